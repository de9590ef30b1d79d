package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.result.MechanismRecord;
import octoquant.experiments.result.SeedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The mechanism records measure truncation's dead zone (weights within one grid step of 0) wherever weights
 * sit on a grid: in qat through the fake-quantized view the layers compute with, in storage through the
 * storage itself; the audit's "why" text and its dead-zone plot read it.
 */
class MechanismDeadZoneTest {
    @Test
    void everyQuantizedWeightRecordMeasuresTheDeadZoneInQatAndStorage(@TempDir Path tmp) throws Exception {
        for (TrainingMode mode : List.of(TrainingMode.QAT, TrainingMode.STORAGE)) {
            SeedRun run = FloatAcrossModesTest.train(mode, List.of("quant8"), tmp.resolve(mode + ".ckpt"));
            List<MechanismRecord> weights = run.mechanism.stream().filter(r -> r.kind().equals("weight")).toList();
            assertFalse(weights.isEmpty(), mode.toString());
            for (MechanismRecord r : weights) {
                assertTrue(r.deadZoneFraction() >= 0 && r.deadZoneFraction() < 1, mode + " " + r);
            }
            assertTrue(weights.stream().anyMatch(r -> r.deadZoneFraction() > 0), mode + ": some weights near 0");
        }
    }
}
