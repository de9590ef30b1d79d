package octoquant.experiments.report;

import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.stats.Summary;
import octoquant.experiments.stats.WelchTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The numbers behind the final table and the report: per method the mean and 95% interval over seeds,
 * and the pairwise differences the seed's claims are about — each method against {@code float}, and
 * {@code quantB} against {@code octalB}.
 */
public final class Comparison {
    private Comparison() {}

    /** One method's summary row. */
    public record MethodRow(String method, int runs, long diverged, Summary accuracy, Summary loss,
                            Summary imagesPerSecond, long parameters, long weightBytes) {}

    /**
     * One pairwise comparison of the headline metric (test accuracy in percentage points, or test loss
     * for regression): {@code a − b}.
     */
    public record PairRow(String a, String b, String metric, WelchTest test, String verdict) {}

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

    public static List<PairRow> pairRows(RunResults r) {
        boolean accuracy = r.hasAccuracy();
        List<PairRow> rows = new ArrayList<>();
        var base = r.method("float");
        if (base.isPresent()) {
            for (MethodResult m : r.methods) {
                if (m != base.get()) rows.add(pair(m, base.get(), accuracy));
            }
        }
        for (MethodResult q : r.methods) {
            if (!q.name.startsWith("quant")) continue;
            r.method("octal" + q.name.substring(5)).ifPresent(o -> rows.add(pair(q, o, accuracy)));
        }
        return rows;
    }

    private static PairRow pair(MethodResult a, MethodResult b, boolean accuracy) {
        double[] xa = accuracy ? a.perSeed(s -> s.finalAccuracy() * 100) : a.perSeed(SeedRun::finalLoss);
        double[] xb = accuracy ? b.perSeed(s -> s.finalAccuracy() * 100) : b.perSeed(SeedRun::finalLoss);
        WelchTest t = WelchTest.of(xa, xb);
        String metric = accuracy ? "test accuracy (points)" : "test loss";
        return new PairRow(a.name, b.name, metric, t, verdict(a.name, b.name, t, accuracy));
    }

    /** One plain sentence: is the difference distinguishable from seed-to-seed noise? */
    static String verdict(String a, String b, WelchTest t, boolean accuracy) {
        String unit = accuracy ? " points" : "";
        String what = accuracy ? "accuracy" : "loss";
        if (Double.isNaN(t.p())) {
            return "Not enough finished seeds to judge " + a + " against " + b + " (each needs at least 2).";
        }
        String diff = String.format(Locale.ROOT, "%+.2f%s (95%% CI %+.2f to %+.2f, p = %s)", t.difference(), unit,
                t.difference() - t.halfWidth(), t.difference() + t.halfWidth(), formatP(t.p()));
        if (t.distinguishable()) {
            String dir = t.difference() > 0 ? "higher" : "lower";
            return a + " has " + dir + " test " + what + " than " + b + ": " + diff
                    + "; larger than the seed-to-seed noise.";
        }
        return a + " vs " + b + ": " + diff + "; within seed-to-seed noise, these seeds cannot tell them apart.";
    }

    public static String formatP(double p) {
        if (Double.isNaN(p)) return "n/a";
        if (p < 1e-4) return "<0.0001";
        return String.format(Locale.ROOT, "%.4f", p);
    }
}
