package octoquant.experiments.report;

import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.stats.PairedComparison;
import octoquant.experiments.stats.SignFlipTest;
import octoquant.experiments.stats.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The numbers behind the final table and the report: per method the mean and 95% interval over seeds,
 * and the pairwise differences the seed's claims are about — each method against {@code float}, and
 * {@code quantB} against {@code octalB} — paired by seed (a seed gives both methods the same initial
 * weights and batches).
 */
public final class Comparison {
    private Comparison() {}

    /** One method's summary row. */
    public record MethodRow(String method, int runs, long diverged, Summary accuracy, Summary loss,
                            Summary imagesPerSecond, long parameters, long weightBytes) {}

    /**
     * One pairwise comparison of the headline metric (test accuracy in percentage points, or test loss for
     * regression), paired by seed: {@code a − b} over the seeds that finished in both methods.
     *
     * @param excluded seeds run by either method that are not in the pairs (diverged or missing in one)
     * @param test     the paired statistics, Holm-adjusted across the rows of one table
     */
    public record PairRow(String a, String b, String metric, int excluded, PairedComparison test, String verdict) {}

    public static List<MethodRow> methodRows(RunResults r) {
        List<MethodRow> rows = new ArrayList<>();
        for (MethodResult m : r.methods) {
            double[] acc = m.perSeed(s -> s.finalAccuracy() * 100);
            double[] loss = m.perSeed(SeedRun::finalLoss);
            double[] ips = m.perSeed(s -> s.diverged() ? Double.NaN : s.imagesPerSecond);
            long params = m.runs.isEmpty() ? 0 : m.runs.get(0).parameterCount;
            long bytes = m.runs.stream().filter(s -> !s.diverged()).mapToLong(s -> s.weightBytes).max()
                    .orElse(m.runs.isEmpty() ? 0 : m.runs.get(0).weightBytes);
            rows.add(new MethodRow(m.name, m.runs.size(), m.divergedRuns(), Summary.of(acc), Summary.of(loss),
                    Summary.of(ips), params, bytes));
        }
        return rows;
    }

    /**
     * Each method against {@code float}, and {@code quantB} against {@code octalB}, paired by seed; the
     * paired t p-values of these rows form one Holm–Bonferroni family, and each verdict uses the adjusted p.
     */
    public static List<PairRow> pairRows(RunResults r) {
        boolean accuracy = r.hasAccuracy();
        List<MethodResult[]> pairs = new ArrayList<>();
        var base = r.method("float");
        if (base.isPresent()) {
            for (MethodResult m : r.methods) {
                if (m != base.get()) pairs.add(new MethodResult[] {m, base.get()});
            }
        }
        for (MethodResult q : r.methods) {
            if (!q.name.startsWith("quant")) continue;
            r.method("octal" + q.name.substring(5)).ifPresent(o -> pairs.add(new MethodResult[] {q, o}));
        }
        List<PairedComparison> tests = new ArrayList<>();
        List<Integer> excluded = new ArrayList<>();
        for (MethodResult[] p : pairs) {
            SeedPairs sp = SeedPairs.of(p[0], p[1], accuracy);
            tests.add(PairedComparison.of(sp.a, sp.b));
            excluded.add(sp.excluded);
        }
        tests = PairedComparison.holm(tests);
        String metric = accuracy ? "test accuracy (points)" : "test loss";
        List<PairRow> rows = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            String a = pairs.get(i)[0].name, b = pairs.get(i)[1].name;
            rows.add(new PairRow(a, b, metric, excluded.get(i), tests.get(i),
                    verdict(a, b, tests.get(i), excluded.get(i), accuracy)));
        }
        return rows;
    }

    /** The headline metric of the seeds both methods finished, in seed order, and how many seeds were left out. */
    private record SeedPairs(double[] a, double[] b, int excluded) {
        static SeedPairs of(MethodResult ma, MethodResult mb, boolean accuracy) {
            ToDoubleFunction<SeedRun> metric = accuracy ? s -> s.finalAccuracy() * 100 : SeedRun::finalLoss;
            Map<Integer, Double> byA = new TreeMap<>(), byB = new TreeMap<>();
            for (SeedRun s : ma.runs) byA.put(s.seed, metric.applyAsDouble(s));
            for (SeedRun s : mb.runs) byB.put(s.seed, metric.applyAsDouble(s));
            Set<Integer> seeds = new TreeSet<>(byA.keySet());
            seeds.addAll(byB.keySet());
            List<double[]> kept = new ArrayList<>();
            for (int seed : seeds) {
                Double x = byA.get(seed), y = byB.get(seed);
                if (x != null && y != null && Double.isFinite(x) && Double.isFinite(y)) kept.add(new double[] {x, y});
            }
            double[] xa = new double[kept.size()], xb = new double[kept.size()];
            for (int i = 0; i < kept.size(); i++) {
                xa[i] = kept.get(i)[0];
                xb[i] = kept.get(i)[1];
            }
            return new SeedPairs(xa, xb, seeds.size() - kept.size());
        }
    }

    /**
     * One plain sentence: is the difference distinguishable from seed-to-seed noise? Decided by the
     * Holm-adjusted paired t p (below 0.05), with the sign-flip test as the distribution-free check, see
     * {@link PairedComparison}.
     */
    static String verdict(String a, String b, PairedComparison t, int excluded, boolean accuracy) {
        String unit = accuracy ? " points" : "";
        String what = accuracy ? "accuracy" : "loss";
        String left = excluded == 0 ? "" : ", " + excluded + (excluded == 1 ? " seed" : " seeds")
                + " left out (diverged or not run by both)";
        if (t.n() < 2) {
            return "Not enough finished seeds to judge " + a + " against " + b + ": " + t.n()
                    + (t.n() == 1 ? " seed" : " seeds") + " finished by both" + left + "; at least 2 are needed.";
        }
        String diff = String.format(Locale.ROOT,
                "%+.2f%s (95%% CI %+.2f to %+.2f, %d paired seeds%s; paired t p = %s, Holm-adjusted %s; sign-flip p = %s)",
                t.difference(), unit, t.ciLow(), t.ciHigh(), t.n(), left, formatP(t.tP()), formatP(t.holmP()),
                formatP(t.permutationP()));
        String same = t.note().isEmpty() ? "" : " Note: " + t.note() + ".";
        if (t.distinguishable()) {
            String dir = t.difference() > 0 ? "higher" : "lower";
            String check = t.signFlipAgrees() ? "" : String.format(Locale.ROOT,
                    " The distribution-free sign-flip test does not confirm it at this n (its smallest possible p "
                    + "with %d seeds is %s): the verdict rests on the paired t test's normality.", t.n(),
                    formatP(SignFlipTest.smallestP(t.n())));
            return a + " has " + dir + " test " + what + " than " + b + ": " + diff
                    + "; larger than the seed-to-seed noise." + check + same;
        }
        return a + " vs " + b + ": " + diff + "; within seed-to-seed noise, these seeds cannot tell them apart." + same;
    }

    public static String formatP(double p) {
        if (Double.isNaN(p)) return "n/a";
        if (p < 1e-4) return "<0.0001";
        return String.format(Locale.ROOT, "%.4f", p);
    }
}
