package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.stats.PairedComparison;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies every claim's rule to the evidence: the statistical rows (paired comparisons, Holm–Bonferroni over all
 * of them at once), the exact checks, and each claim's verdict from its rows ({@link Rule} says how).
 */
public final class Verdicts {
    private Verdicts() {}

    /** Seed pairs a comparison needs to enter a verdict. */
    public static final int MIN_PAIRS = 5;
    public static final double ALPHA = 0.05;

    /** A statistical row before the family's Holm adjustment. */
    record Pending(Claim claim, Measure measure, VerdictRow row, PairedComparison stats) {}

    public static List<ClaimVerdict> evaluate(Evidence ev) {
        List<Pending> pending = new ArrayList<>();
        Map<Integer, List<Object>> rowsByClaim = new LinkedHashMap<>();
        for (Claim c : Claims.ALL) {
            List<Object> rows = new ArrayList<>();
            if (c.check() != Claim.Check.NONE) {
                rows.addAll(ExactChecks.rows(c, ev));
            } else {
                for (Target t : c.targets()) {
                    for (TrainingMode mode : List.of(TrainingMode.QAT, TrainingMode.STORAGE, TrainingMode.PTQ)) {
                        rows.addAll(statisticalRows(c, t, mode, ev, pending));
                    }
                }
            }
            rowsByClaim.put(c.id(), rows);
        }
        Map<Pending, VerdictRow> finished = finish(pending);
        List<ClaimVerdict> out = new ArrayList<>();
        for (Claim c : Claims.ALL) {
            List<VerdictRow> rows = new ArrayList<>();
            for (Object o : rowsByClaim.get(c.id())) rows.add(o instanceof Pending p ? finished.get(p) : (VerdictRow) o);
            out.add(aggregate(c, rows));
        }
        return out;
    }

    /** The rows of one claim, one data set and model, one mode: not run, not applicable, or one per measure. */
    static List<Object> statisticalRows(Claim c, Target t, TrainingMode mode, Evidence ev, List<Pending> pending) {
        List<Object> rows = new ArrayList<>();
        String interp = mode.token();
        String setup = t.shortName();
        String na = c.notApplicable().get(mode);
        if (na != null) {
            rows.add(VerdictRow.untestable(c.id(), interp, t, interp, "", "not testable here (" + na + ")", na));
            return rows;
        }
        Optional<PlannedSet> set = ev.main(t.experiment(), t.model(), mode);
        if (set.isEmpty()) {
            String why = notRunReason(ev, t, mode);
            rows.add(VerdictRow.untestable(c.id(), interp, t, interp, "", "not run here: " + shortReason(why), why));
            return rows;
        }
        PlannedSet s = set.get();
        for (Measure m : c.measures()) {
            if (!m.modes().contains(mode)) continue;
            Evidence.Pairs pairs;
            String early = "";
            if (m.kind() == Measure.Kind.GAP_GROWTH) {
                int e = Setup.earlyEpoch(s.config().epochs());
                early = " (epoch " + e + " to " + s.config().epochs() + ")";
                if (e >= s.config().epochs()) {
                    rows.add(untestableRow(c, t, mode, s, m, "not testable here (the runs have " + s.config().epochs()
                            + " epoch" + (s.config().epochs() == 1 ? "" : "s") + ": no earlier epoch to compare with)"));
                    continue;
                }
                pairs = gapGrowth(ev, s, m, e);
                if (pairs == null) {
                    rows.add(untestableRow(c, t, mode, s, m, "not testable here (no early-ptq run set in this audit)"));
                    continue;
                }
            } else if (m.metric() == Metric.LATE_LOSS_DECREASE && s.config().epochs() < 2) {
                rows.add(untestableRow(c, t, mode, s, m, "not testable here (the runs have 1 epoch: no last quarter to "
                        + "compare with the last epoch)"));
                continue;
            } else if (m.metric() == Metric.LOG_INFERENCE_TIME && loadedWhileTiming(ev, s, m) > LOADED_PER_CORE) {
                rows.add(untestableRow(c, t, mode, s, m, String.format(Locale.ROOT, "not testable here (timed while other "
                        + "work loaded the machine: load average up to %.1f per core)", loadedWhileTiming(ev, s, m))));
                continue;
            } else {
                pairs = ev.pairs(s.name(), m.x(), m.metric()::of, m.y(), m.metric()::of);
            }
            if (pairs.n() < MIN_PAIRS) {
                PairedComparison pc = pairs.n() >= 2 ? PairedComparison.of(pairs.x(), pairs.y()) : null;
                VerdictRow r = statRow(c, t, mode, s, m, pairs.n(), pc, early);
                rows.add(r.withVerdict(Double.NaN, "not testable here (n = " + pairs.n() + " < " + MIN_PAIRS + ")",
                        describe(r, m, pc) + "; fewer than " + MIN_PAIRS + " seed pairs enter no verdict"));
                continue;
            }
            PairedComparison pc = PairedComparison.of(pairs.x(), pairs.y());
            Pending p = new Pending(c, m, statRow(c, t, mode, s, m, pairs.n(), pc, early), pc);
            pending.add(p);
            rows.add(p);
        }
        return rows;
    }

    /**
     * Load average per core above which an inference timing is not a measurement of the code: the run's own
     * threads make about 1 on a machine with as many cores as threads.
     */
    static final double LOADED_PER_CORE = 1.5;

    /** The highest load per core any run of {@code m}'s two methods in {@code s} saw while timing inference. */
    private static double loadedWhileTiming(Evidence ev, PlannedSet s, Measure m) {
        double max = Double.NaN;
        for (String method : List.of(m.x(), m.y())) {
            for (var r : ev.runs(s.name(), method).values()) {
                if (Double.isFinite(r.inferenceLoadPerCore)) max = Double.isNaN(max) ? r.inferenceLoadPerCore : Math.max(max, r.inferenceLoadPerCore);
            }
        }
        return max;
    }

    /** Per seed, the octal8 − quant8 (x − y) test-accuracy gap at the last epoch and at epoch {@code e}. */
    private static Evidence.Pairs gapGrowth(Evidence ev, PlannedSet s, Measure m, int e) {
        if (s.mode() != TrainingMode.PTQ) {
            int last = s.config().epochs();
            var late = ev.pairs(s.name(), m.x(), r -> Metric.testAccuracyAt(r, last), m.y(), r -> Metric.testAccuracyAt(r, last));
            var soon = ev.pairs(s.name(), m.x(), r -> Metric.testAccuracyAt(r, e), m.y(), r -> Metric.testAccuracyAt(r, e));
            return gaps(late, soon);
        }
        Optional<PlannedSet> earlySet = ev.withRole(PlannedSet.Role.PTQ_EARLY, s.experiment(), s.model())
                .filter(x -> x.config().epochs() == e);
        if (earlySet.isEmpty()) return null;
        var late = ev.pairs(s.name(), m.x(), Metric.TEST_ACCURACY::of, m.y(), Metric.TEST_ACCURACY::of);
        var soon = ev.pairs(earlySet.get().name(), m.x(), Metric.TEST_ACCURACY::of, m.y(), Metric.TEST_ACCURACY::of);
        return gaps(late, soon);
    }

    /** Pairs (gap late, gap early) per seed present in both. */
    private static Evidence.Pairs gaps(Evidence.Pairs late, Evidence.Pairs soon) {
        List<double[]> v = new ArrayList<>();
        List<Integer> seeds = new ArrayList<>();
        for (int i = 0; i < late.n(); i++) {
            for (int j = 0; j < soon.n(); j++) {
                if (late.seeds()[i] != soon.seeds()[j]) continue;
                seeds.add(late.seeds()[i]);
                v.add(new double[] {late.x()[i] - late.y()[i], soon.x()[j] - soon.y()[j]});
            }
        }
        double[] x = new double[v.size()], y = new double[v.size()];
        for (int i = 0; i < v.size(); i++) {
            x[i] = v.get(i)[0];
            y[i] = v.get(i)[1];
        }
        return new Evidence.Pairs(seeds.stream().mapToInt(Integer::intValue).toArray(), x, y);
    }

    private static VerdictRow statRow(Claim c, Target t, TrainingMode mode, PlannedSet s, Measure m, int n,
                                      PairedComparison pc, String early) {
        double nan = Double.NaN;
        return new VerdictRow(c.id(), mode.token(), t.shortName() + " (" + t.label() + ")", t.experiment(), t.model(),
                mode.token(), s.name(), s.config().epochs(), m.words() + early, m.comparison(), n,
                pc == null ? nan : pc.difference(), pc == null ? nan : pc.ciLow(), pc == null ? nan : pc.ciHigh(),
                pc == null ? nan : pc.tP(), pc == null ? nan : pc.permutationP(), pc == null ? nan : pc.wilcoxonP(), nan,
                pc == null ? nan : pc.effectSizeDz(), c.seedValue(), "pending", "");
    }

    private static VerdictRow untestableRow(Claim c, Target t, TrainingMode mode, PlannedSet s, Measure m, String verdict) {
        VerdictRow r = statRow(c, t, mode, s, m, 0, null, "");
        return r.withVerdict(Double.NaN, verdict, verdict.substring(verdict.indexOf('(') + 1, verdict.length() - 1));
    }

    /** Holm over the family of every pending comparison, then each row's verdict. */
    static Map<Pending, VerdictRow> finish(List<Pending> pending) {
        List<PairedComparison> family = pending.stream().map(Pending::stats).toList();
        List<PairedComparison> adjusted = PairedComparison.holm(family);
        Map<Pending, VerdictRow> out = new LinkedHashMap<>();
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            PairedComparison a = adjusted.get(i);
            out.put(p, decide(p.claim().rule(), p.measure(), p.row(), a));
        }
        return out;
    }

    /** A row's verdict under its claim's rule, given its comparison with the Holm-adjusted p. */
    static VerdictRow decide(Rule rule, Measure m, VerdictRow row, PairedComparison a) {
        String text = describe(row, m, a);
        if (rule.kind() == Rule.Kind.EQUIVALENCE) {
            double lo = Math.exp(a.ciLow()), hi = Math.exp(a.ciHigh()), ratio = Math.exp(a.difference());
            boolean inside = lo >= 1 - rule.bound() && hi <= 1 + rule.bound();
            String d = String.format(Locale.ROOT, "time ratio %s = %.3f (95%% CI %.3f to %.3f, n = %d): %s [%.2f, %.2f]",
                    m.x() + "/" + m.y(), ratio, lo, hi, a.n(), inside ? "inside" : "not inside", 1 - rule.bound(), 1 + rule.bound());
            if (!inside && lo <= 1 && hi >= 1) d += " (the interval holds 1: too wide to show near-equality, and no difference shown either)";
            return row.withVerdict(a.holmP(), inside ? VerdictRow.HOLDS : VerdictRow.DOES_NOT_HOLD, d + "; " + text);
        }
        if (!Double.isFinite(a.holmP())) {
            return row.withVerdict(a.holmP(), VerdictRow.DOES_NOT_HOLD, text + " (" + (a.note().isEmpty() ? "no p-value" : a.note()) + ")");
        }
        if (a.holmP() >= ALPHA) return row.withVerdict(a.holmP(), VerdictRow.DOES_NOT_HOLD, text);
        boolean claimed = Math.signum(a.difference()) == m.claimedSign();
        String v = claimed ? VerdictRow.HOLDS : VerdictRow.REVERSED;
        if (!a.signFlipAgrees()) {
            text += String.format(Locale.ROOT, "; the sign-flip test does not confirm it (p = %.3g): this verdict rests on the "
                    + "normality of the paired differences", a.permutationP());
        }
        return row.withVerdict(a.holmP(), v, text);
    }

    /** The numbers of a comparison in words. */
    static String describe(VerdictRow r, Measure m, PairedComparison a) {
        if (a == null) return r.comparison() + ": " + r.n() + " pair" + (r.n() == 1 ? "" : "s");
        return String.format(Locale.ROOT, "%s = %s (95%% CI %s to %s), d_z %s, paired t p %s, Holm p %s, sign-flip p %s, "
                        + "Wilcoxon p %s, n = %d", r.comparison(), Fmt.signed(a.difference()), Fmt.signed(a.ciLow()),
                Fmt.signed(a.ciHigh()), Fmt.num(a.effectSizeDz()), Fmt.p(a.tP()), Fmt.p(a.holmP()), Fmt.p(a.permutationP()),
                Fmt.p(a.wilcoxonP()), a.n());
    }

    /** Why a claim's data set and model were not run in this mode. */
    static String notRunReason(Evidence ev, Target t, TrainingMode mode) {
        Optional<NotRun> nr = ev.notRun(t.experiment(), t.model(), mode);
        if (nr.isPresent()) return nr.get().reason();
        String missing = ev.missingData(t.experiment());
        if (missing != null) return missing;
        Budget first = Budget.firstWith(t.experiment(), t.model());
        String budget = ev.config().budget().token();
        if (first == null) return "no budget trains " + t.shortName();
        return t.shortName() + " is not in the " + budget + " budget (--budget " + first.token() + " runs it)";
    }

    /** The first clause of a reason, for verdict lists: "CIFAR-10 not found (downloads disabled)". */
    static String shortReason(String why) {
        int cut = why.indexOf(';');
        return cut < 0 ? why : why.substring(0, cut);
    }

    /** The claim's verdict from its rows (see {@link Rule}). */
    static ClaimVerdict aggregate(Claim c, List<VerdictRow> rows) {
        if (c.rule().perItem()) {
            long held = rows.stream().filter(r -> r.verdict().equals(VerdictRow.HOLDS)).count();
            String because = held + " of " + rows.size() + " printed numbers follow from the seed's own functions"
                    + (held == rows.size() ? "" : "; " + String.join("; ", rows.stream()
                    .filter(r -> !r.verdict().equals(VerdictRow.HOLDS)).map(VerdictRow::detail).toList()));
            return new ClaimVerdict(c, held == rows.size() ? VerdictRow.HOLDS : VerdictRow.DOES_NOT_HOLD, because, rows);
        }
        Map<String, List<VerdictRow>> groups = new LinkedHashMap<>();
        for (VerdictRow r : rows) groups.computeIfAbsent(r.where(), k -> new ArrayList<>()).add(r);
        List<String> holding = new ArrayList<>(), reversed = new ArrayList<>(), testable = new ArrayList<>();
        Set<String> reasons = new LinkedHashSet<>();
        for (Map.Entry<String, List<VerdictRow>> g : groups.entrySet()) {
            List<VerdictRow> rs = g.getValue();
            if (!rs.stream().allMatch(VerdictRow::testable)) {
                for (VerdictRow r : rs) if (!r.testable()) reasons.add(reasonOf(r.verdict()));
                continue;
            }
            testable.add(g.getKey());
            if (rs.stream().allMatch(r -> r.verdict().equals(VerdictRow.HOLDS))) holding.add(g.getKey());
            else if (rs.stream().anyMatch(r -> r.verdict().equals(VerdictRow.REVERSED))
                    && rs.stream().noneMatch(r -> r.verdict().equals(VerdictRow.HOLDS))) reversed.add(g.getKey());
        }
        String verdict;
        if (testable.isEmpty()) verdict = "not testable here (" + String.join("; ", reasons) + ")";
        else if (holding.size() == testable.size()) verdict = VerdictRow.HOLDS;
        else if (!holding.isEmpty()) verdict = "holds only under " + collapse(holding, groups);
        else if (reversed.size() == testable.size()) verdict = VerdictRow.REVERSED;
        else if (!reversed.isEmpty()) verdict = "reversed under " + collapse(reversed, groups);
        else verdict = VerdictRow.DOES_NOT_HOLD;
        return new ClaimVerdict(c, verdict, because(c.rule(), rows, testable.size(), groups.size()), rows);
    }

    /** Interpretations listed; where every set-up of one interpretation is in the list, just its name. */
    private static String collapse(List<String> where, Map<String, List<VerdictRow>> groups) {
        Map<String, List<String>> byInterp = new LinkedHashMap<>();
        for (String w : where) byInterp.computeIfAbsent(groups.get(w).get(0).interpretation(), k -> new ArrayList<>()).add(w);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byInterp.entrySet()) {
            long all = groups.values().stream().filter(rs -> rs.get(0).interpretation().equals(e.getKey())).count();
            boolean allSetups = e.getValue().size() == all && groups.values().stream()
                    .filter(rs -> rs.get(0).interpretation().equals(e.getKey())).allMatch(rs -> rs.stream().allMatch(VerdictRow::testable));
            if (allSetups && all > 1 && e.getValue().get(0).contains(" on ")) out.add(e.getKey());
            else out.addAll(e.getValue());
        }
        return String.join("; ", out);
    }

    private static String reasonOf(String verdict) {
        if (verdict.startsWith("not testable here (")) return verdict.substring("not testable here (".length(), verdict.length() - 1);
        if (verdict.startsWith("not run here: ")) return verdict.substring("not run here: ".length());
        return verdict;
    }

    /** Rows cited in a verdict's sentence; the others are in the claim's table. */
    static final int CITED_ROWS = 6;

    private static String because(Rule rule, List<VerdictRow> rows, int testableGroups, int groups) {
        List<String> parts = new ArrayList<>();
        long testableRows = rows.stream().filter(VerdictRow::testable).count();
        for (VerdictRow r : rows) {
            if (!r.testable()) continue;
            if (parts.size() == CITED_ROWS) {
                parts.add("and " + (testableRows - CITED_ROWS) + " more rows in the claim's table");
                break;
            }
            // An equivalence row cites its ratio (the first clause of its detail), not the ln difference.
            String num = rule.kind() == Rule.Kind.EQUIVALENCE ? r.detail().substring(0, Math.max(0, r.detail().indexOf(';')))
                    : Double.isFinite(r.difference())
                    ? String.format(Locale.ROOT, "%s %s (95%% CI %s to %s, Holm p %s, n = %d)", r.comparison(),
                    Fmt.signed(r.difference()), Fmt.signed(r.ciLow()), Fmt.signed(r.ciHigh()), Fmt.p(r.adjustedP()), r.n())
                    : r.detail();
            parts.add(r.where() + ": " + num + " → " + r.verdict());
        }
        String s = String.join("; ", parts);
        if (testableGroups < groups) {
            s += (s.isEmpty() ? "" : ". ") + (groups - testableGroups) + " of " + groups
                    + " interpretations not run or not testable here (rows below)";
        }
        return s;
    }
}
