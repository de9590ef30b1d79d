package octoquant.experiments.checkpoint;

import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.RoundingMode;
import octoquant.engine.storage.ScalePolicy;
import octoquant.engine.state.MemoryState;
import octoquant.engine.state.StateMismatchException;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Engine state written into a checkpoint, through the file format and back, arrives bit for bit. */
class CheckpointStateTest {
    private static final byte[] HASH = CheckpointFile.hashConfig("state-test");

    private static QuantizedStorage trained(long seed) {
        QuantizedStorage s = new QuantizedStorage(5, 7, 4, ScalePolicy.MINMAX, true, RoundingMode.STOCHASTIC, seed);
        Rng rng = new Rng(seed);
        float[] w = new float[35], d = new float[35];
        for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextGaussian();
        s.encodeFrom(w);
        for (int step = 0; step < 5; step++) {
            for (int i = 0; i < d.length; i++) d[i] = (float) (0.05 * rng.nextGaussian());
            s.applyUpdate(d);
        }
        return s;
    }

    @Test
    void storageStateSurvivesTheFile() {
        QuantizedStorage original = trained(3);
        Checkpoint c = new Checkpoint(HASH);
        CheckpointState.writer(c).put("state.w", original);
        Checkpoint back = CheckpointFile.decode(CheckpointFile.encode(c), "mem", HASH);

        QuantizedStorage restored = trained(99); // same construction, other history
        CheckpointState.reader(back).restore("state.w", restored);
        assertTrue(MemoryState.of(original).sameAs(MemoryState.of(restored)));
        float[] d = new float[35];
        java.util.Arrays.fill(d, 0.013f); // below half a step: only stochastic rounding moves codes
        original.applyUpdate(d);
        restored.applyUpdate(d);
        assertArrayEquals(original.decodeAll(), restored.decodeAll());
        assertEquals(original.totalUpdates(), restored.totalUpdates());
    }

    @Test
    void missingOrMistypedEntriesAreNamed() {
        Checkpoint c = new Checkpoint(HASH);
        CheckpointState.writer(c).put("state.w", trained(3));
        Checkpoint empty = new Checkpoint(HASH);
        StateMismatchException missing = assertThrows(StateMismatchException.class,
                () -> CheckpointState.reader(empty).restore("state.w", trained(3)));
        assertEquals("state entry 'state.w.scheme' is missing from the checkpoint", missing.getMessage());

        Checkpoint mistyped = new Checkpoint(HASH).putString("rng.state", "0").putDoubles("rng.spareGaussian", new double[1]);
        StateMismatchException wrongType = assertThrows(StateMismatchException.class,
                () -> CheckpointState.reader(mistyped).restore("rng", new Rng(1)));
        assertEquals("checkpoint entry 'rng.state' is a String, expected long[]", wrongType.getMessage());
    }
}
