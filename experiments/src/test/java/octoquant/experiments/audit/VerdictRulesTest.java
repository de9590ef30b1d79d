package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.stats.HolmBonferroni;
import octoquant.experiments.stats.PairedComparison;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static octoquant.experiments.audit.AuditFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** Every verdict rule and word, on constructed per-seed numbers. */
class VerdictRulesTest {
    static final double[] BASE = {60, 62, 61, 63, 59};

    static double[] plus(double[] a, double... d) {
        double[] r = a.clone();
        for (int i = 0; i < r.length; i++) r[i] += d[i % d.length];
        return r;
    }

    /** Octal8 clearly ahead (+10 ± 0.5), clearly behind (−10 ± 0.5), or indistinguishable (±1 around 0). */
    static RunResults ahead() {
        return results(BASE, plus(BASE, 10, 10.5, 9.5, 10.2, 9.8));
    }

    static RunResults behind() {
        return results(BASE, plus(BASE, -10, -10.5, -9.5, -10.2, -9.8));
    }

    static RunResults same() {
        return results(BASE, plus(BASE, 1, -1, 0.5, -0.5, 0.1));
    }

    static List<ClaimVerdict> evaluate(RunResults storage, RunResults qat, RunResults ptq) {
        Map<TrainingMode, RunResults> m = new LinkedHashMap<>();
        m.put(TrainingMode.STORAGE, storage);
        m.put(TrainingMode.QAT, qat);
        m.put(TrainingMode.PTQ, ptq);
        return Verdicts.evaluate(evidence(m, 5));
    }

    @Test
    void holdsWhenEveryTestableInterpretationHolds() {
        ClaimVerdict c1 = claim(evaluate(ahead(), ahead(), ahead()), 1);
        assertEquals("holds", c1.verdict(), c1.because());
        VerdictRow storage = c1.rows().stream().filter(r -> r.mode().equals("storage") && r.experiment().equals("fashion-mnist"))
                .findFirst().orElseThrow();
        assertEquals(5, storage.n());
        assertEquals(10.0, storage.difference(), 1e-12);
        assertTrue(storage.adjustedP() < 0.05 && storage.adjustedP() >= storage.p(), "Holm never lowers a p");
        assertTrue(c1.because().contains("octal8 − quant8 +10.00"), c1.because());
    }

    @Test
    void holdsOnlyUnderTheInterpretationsThatHold() {
        ClaimVerdict c1 = claim(evaluate(ahead(), same(), behind()), 1);
        assertEquals("holds only under storage on Fashion-MNIST CNN (closest set-up available)", c1.verdict(), c1.because());
    }

    @Test
    void reversedWhenEveryTestableInterpretationIsReversed() {
        assertEquals("reversed", claim(evaluate(behind(), behind(), behind()), 1).verdict());
        ClaimVerdict partly = claim(evaluate(behind(), same(), same()), 1);
        assertEquals("reversed under storage on Fashion-MNIST CNN (closest set-up available)", partly.verdict());
    }

    @Test
    void doesNotHoldWhenNoDifferenceStandsOut() {
        ClaimVerdict c1 = claim(evaluate(same(), same(), same()), 1);
        assertEquals("does not hold", c1.verdict());
        assertTrue(c1.rows().stream().filter(VerdictRow::testable).allMatch(r -> r.verdict().equals("does not hold")));
    }

    @Test
    void fewerThanFivePairsAreNotTestableButKeepTheirNumbers() {
        Map<TrainingMode, RunResults> m = new LinkedHashMap<>();
        m.put(TrainingMode.STORAGE, results(new double[] {60, 61}, new double[] {70, 72}));
        ClaimVerdict c1 = claim(Verdicts.evaluate(evidence(m, 2)), 1);
        assertTrue(c1.verdict().startsWith("not testable here ("), c1.verdict());
        assertTrue(c1.verdict().contains("n = 2 < 5"), c1.verdict());
        assertTrue(c1.verdict().contains("CIFAR-10 not found"), c1.verdict());
        VerdictRow r = c1.rows().stream().filter(x -> x.mode().equals("storage") && x.experiment().equals("fashion-mnist"))
                .findFirst().orElseThrow();
        assertEquals("not testable here (n = 2 < 5)", r.verdict());
        assertEquals(10.5, r.difference(), 1e-12);
        assertTrue(Double.isFinite(r.ciLow()) && Double.isNaN(r.adjustedP()), "numbers kept, no adjusted p outside the family");
        VerdictRow cifar = c1.rows().stream().filter(x -> x.experiment().equals("cifar10")).findFirst().orElseThrow();
        assertEquals("not run here: CIFAR-10 not found (downloads disabled)", cifar.verdict());
        assertTrue(cifar.detail().contains("put it there"), "the detail says how to provide the data");
    }

    @Test
    void rowsAreDecidedOnTheHolmAdjustedP() {
        Rule rule = Rule.directional("test");
        Measure m = Claims.ALL.get(0).measures().get(0);
        VerdictRow row = VerdictRow.untestable(1, "storage", null, "storage", "", "pending", "");
        PairedComparison raw = new PairedComparison(5, 2.0, 0.5, 3.5, 0.03, 0.0625, 0.0625, 1.4, Double.NaN, "");
        assertEquals("holds", Verdicts.decide(rule, m, row, raw.withHolmP(0.03)).verdict());
        assertEquals("does not hold", Verdicts.decide(rule, m, row, raw.withHolmP(0.06)).verdict(),
                "raw p 0.03 but Holm-adjusted 0.06: not significant");
        PairedComparison neg = new PairedComparison(5, -2.0, -3.5, -0.5, 0.01, 0.0625, 0.0625, -1.4, 0.02, "");
        VerdictRow r = Verdicts.decide(rule, m, row, neg);
        assertEquals("reversed", r.verdict());
        assertTrue(r.detail().contains("rests on the normality"), "sign-flip p 0.0625 does not confirm: said");
        PairedComparison zero = new PairedComparison(5, 0, 0, 0, Double.NaN, 1, 1, Double.NaN, Double.NaN,
                "every paired difference is 0");
        assertEquals("does not hold", Verdicts.decide(rule, m, row, zero).verdict());
    }

    @Test
    void holmAdjustsTheWholeFamilyInOrderOfTheRawP() {
        List<Verdicts.Pending> pending = new ArrayList<>();
        double[][] diffs = {{1, 1.1, 0.9, 1.05, 0.95}, {0.3, -0.2, 0.5, 0.1, 0.4}, {2, 2.5, 1.8, 2.2, 2.1}, {0.1, -0.3, 0.2, 0.05, -0.1}};
        Claim c = Claims.ALL.get(0);
        for (double[] d : diffs) {
            PairedComparison pc = PairedComparison.of(d, new double[d.length]);
            pending.add(new Verdicts.Pending(c, c.measures().get(0), VerdictRow.untestable(1, "x", null, "qat", "", "pending", ""), pc));
        }
        var finished = Verdicts.finish(pending);
        double[] raw = pending.stream().mapToDouble(p -> p.stats().tP()).toArray();
        double[] holm = HolmBonferroni.adjust(raw);
        for (int i = 0; i < pending.size(); i++) {
            assertEquals(holm[i], finished.get(pending.get(i)).adjustedP(), 0.0, "row " + i);
        }
        // By hand: sorted ascending, the k-th smallest (k from 0) is multiplied by m − k, and never falls below its predecessor.
        Integer[] order = {0, 1, 2, 3};
        java.util.Arrays.sort(order, (a, b) -> Double.compare(raw[a], raw[b]));
        double running = 0;
        for (int k = 0; k < 4; k++) {
            running = Math.max(running, Math.min(1, (4 - k) * raw[order[k]]));
            assertEquals(running, finished.get(pending.get(order[k])).adjustedP(), 1e-15);
        }
    }

    @Test
    void equivalenceHoldsOnlyWhenTheRatioIntervalLiesInsideTheBounds() {
        Claim six = Claims.ALL.get(5);
        Measure m = six.measures().get(0);
        VerdictRow row = VerdictRow.untestable(6, "ptq", null, "ptq", "", "pending", "");
        PairedComparison tight = new PairedComparison(5, Math.log(1.01), Math.log(0.99), Math.log(1.03), 0.2, 0.3, 0.3, 0.5, 0.9, "");
        assertEquals("holds", Verdicts.decide(six.rule(), m, row, tight).verdict());
        PairedComparison wide = new PairedComparison(5, Math.log(1.01), Math.log(0.9), Math.log(1.1), 0.7, 0.8, 0.8, 0.1, 1, "");
        assertEquals("does not hold", Verdicts.decide(six.rule(), m, row, wide).verdict());
        PairedComparison slow = new PairedComparison(5, Math.log(1.2), Math.log(1.15), Math.log(1.25), 0.001, 0.06, 0.06, 3, 0.01, "");
        VerdictRow r = Verdicts.decide(six.rule(), m, row, slow);
        assertEquals("does not hold", r.verdict());
        assertTrue(r.detail().startsWith("time ratio octal8/quant8 = 1.200"), r.detail());
    }

    @Test
    void inferenceTimedOnALoadedMachineIsNotTestable() {
        RunResults quiet = same(), loaded = same();
        for (var m : loaded.methods) for (var r : m.runs) r.inferenceLoadPerCore = 1.2;
        loaded.methods.get(1).runs.get(3).inferenceLoadPerCore = 7.5; // one octal8 run timed under other work
        ClaimVerdict six = claim(evaluate(quiet, loaded, quiet), 6);
        VerdictRow qat = six.rows().stream().filter(r -> r.mode().equals("qat") && r.experiment().equals("fashion-mnist"))
                .findFirst().orElseThrow();
        assertEquals("not testable here (timed while other work loaded the machine: load average up to 7.5 per core)", qat.verdict());
        VerdictRow storage = six.rows().stream().filter(r -> r.mode().equals("storage") && r.experiment().equals("fashion-mnist"))
                .findFirst().orElseThrow();
        assertFalse(storage.verdict().startsWith("not testable"), storage.verdict()); // no load recorded: judged as measured
    }

    @Test
    void claimWordsFromConstructedRows() {
        Claim c = Claims.ALL.get(0);
        VerdictRow hold = row("storage", "A", "holds"), rev = row("qat", "A", "reversed"), no = row("ptq", "A", "does not hold"),
                nt = row("ptq", "B", "not testable here (n = 3 < 5)");
        assertEquals("holds", Verdicts.aggregate(c, List.of(hold, nt)).verdict());
        assertEquals("holds only under storage on A", Verdicts.aggregate(c, List.of(hold, rev, no)).verdict());
        assertEquals("reversed", Verdicts.aggregate(c, List.of(rev, nt)).verdict());
        assertEquals("reversed under qat on A", Verdicts.aggregate(c, List.of(rev, no)).verdict());
        assertEquals("does not hold", Verdicts.aggregate(c, List.of(no, nt)).verdict());
        assertEquals("not testable here (n = 3 < 5)", Verdicts.aggregate(c, List.of(nt)).verdict());
    }

    private static VerdictRow row(String mode, String setup, String verdict) {
        double nan = Double.NaN;
        return new VerdictRow(1, mode, setup, "x", "cnn", mode, "s", 2, "m", "octal8 − quant8", 5, 1, 0, 2, 0.01, 0.06, 0.06,
                0.02, 1, nan, verdict, "detail");
    }
}
