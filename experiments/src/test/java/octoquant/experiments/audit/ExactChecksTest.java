package octoquant.experiments.audit;

import octoquant.experiments.result.MechanismRecord;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.result.WeightHistogram;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The exact checks: the control's bit-for-bit comparison, the decoded grids, the seed's printed numbers, model size. */
class ExactChecksTest {

    static SeedRun run() {
        SeedRun r = AuditFixtures.run(0, 71.25, 2.1, 1.7, 1.5);
        r.histograms.add(new WeightHistogram("0.weight", -0.1, 0.1, new long[] {1, 5, 2}, 1 / 255.0));
        r.mechanism.add(new MechanismRecord(1, "0.weight", "weight", 100, 900, 0.4, 0.6, 0.1, 0, 0.2, 0.3, 0.02, Double.NaN,
                0.5, 0.3, Double.NaN));
        return r;
    }

    @Test
    void identicalRunsPassTheControlCheckWhateverTheirTimesAndBytes() {
        SeedRun a = run(), b = run();
        b.imagesPerSecond = 12345;
        b.inferenceSeconds = 9;
        b.trainSeconds = 3;
        b.weightBytes = 999;
        b.checkpointBytes = 77;
        assertEquals(java.util.Optional.empty(), ControlCheck.firstDifference(a, b));
    }

    @Test
    void oneNumberDifferingFailsTheControlCheckAndIsNamed() {
        SeedRun a = run(), b = run();
        var e = b.epochs.get(1);
        b.epochs.set(1, new octoquant.experiments.result.EpochMetrics(2, Math.nextUp(e.trainLoss()), e.trainAccuracy(),
                e.testLoss(), e.testAccuracy(), e.trainSeconds()));
        assertEquals("epochs[1].trainLoss: 1.7 vs 1.7000000000000002", ControlCheck.firstDifference(a, b).orElseThrow());

        SeedRun c = run();
        MechanismRecord m = c.mechanism.get(0);
        c.mechanism.set(0, new MechanismRecord(1, "0.weight", "weight", 100, 900, 0.4, 0.6, 0.1, 0, 0.2, 0.31, 0.02, Double.NaN,
                0.5, 0.3, Double.NaN));
        assertNotEquals(m, c.mechanism.get(0));
        assertEquals("mechanism[0].zeroFraction: 0.3 vs 0.31", ControlCheck.firstDifference(a, c).orElseThrow());

        SeedRun d = run();
        d.finalTestAccuracy = -0.0 + a.finalTestAccuracy + 1e-16;
        assertTrue(ControlCheck.firstDifference(a, d).orElseThrow().startsWith("finalTestAccuracy"));
    }

    @Test
    void octalAndTheFixedGridTowardZeroDecodeAlike() {
        assertEquals(java.util.Optional.empty(), ExactChecks.gridDifference());
        assertTrue(ExactChecks.gridProbe().length > 8000);
    }

    @Test
    void theSeedsPrintedNumbersAllButOneFollowFromItsFunctions() {
        Claim nine = Claims.ALL.get(8);
        List<VerdictRow> rows = ExactChecks.printedNumbers(nine);
        assertEquals(12, rows.size());
        List<VerdictRow> wrong = rows.stream().filter(r -> !r.verdict().equals("holds")).toList();
        assertEquals(1, wrong.size());
        assertEquals("quantize_weights(0.37683514, 8) = 96, the seed printed 97 (w·255 = 96.0930)", wrong.get(0).detail());
        assertTrue(rows.stream().anyMatch(r -> r.detail().equals("float_to_octal(0.75, 8) = 0o277, as printed")));
        assertTrue(rows.stream().anyMatch(r -> r.detail().equals("quantize_weights(0.75, 8) = 191, as printed")));
        ClaimVerdict v = Verdicts.aggregate(nine, rows);
        assertEquals("does not hold", v.verdict());
        assertTrue(v.because().startsWith("11 of 12 printed numbers follow from the seed's own functions"), v.because());
    }

    @Test
    void theSeedsCnnHasItsParameterCountOnCifarShapedImages() {
        Evidence ev = new Evidence(AuditFixtures.config(List.of(AuditFixtures.cnnSet(octoquant.engine.quant.TrainingMode.QAT, 2, 5))),
                java.util.Map.of(), x -> null);
        VerdictRow cnn = ExactChecks.modelSize(Claims.ALL.get(6), ev).get(0);
        assertEquals("holds", cnn.verdict());
        assertTrue(cnn.detail().contains("282,250 parameters"), cnn.detail());
    }
}
