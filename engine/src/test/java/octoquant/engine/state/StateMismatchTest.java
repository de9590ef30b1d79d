package octoquant.engine.state;

import octoquant.engine.param.Parameter;
import octoquant.engine.optim.Adam;
import octoquant.engine.optim.Sgd;
import octoquant.engine.storage.FloatStorage;
import octoquant.engine.storage.OctalStorage;
import octoquant.engine.quant.QatMode;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.RoundingMode;
import octoquant.engine.storage.ScalePolicy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Restoring into an object built differently fails with one line naming the entry, prefixes included. */
class StateMismatchTest {
    private static String restoreError(Stateful from, Stateful into) {
        MemoryState saved = new MemoryState();
        from.saveState(saved.under("fc1.weight"));
        StateMismatchException e = assertThrows(StateMismatchException.class,
                () -> into.restoreState(saved.reader().under("fc1.weight")));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private static QuantizedStorage int8(int rows, int cols) {
        return new QuantizedStorage(rows, cols, 8, ScalePolicy.MAXABS, false, RoundingMode.NEAREST_EVEN, 0);
    }

    @Test
    void otherBitWidth() {
        QuantizedStorage into = new QuantizedStorage(3, 4, 4, ScalePolicy.MAXABS, false, RoundingMode.NEAREST_EVEN, 0);
        assertEquals("state entry 'fc1.weight.scheme' is 'int8 per-tensor maxabs nearest', but this storage is "
                + "'int4 per-tensor maxabs nearest'", restoreError(int8(3, 4), into));
    }

    @Test
    void otherShape() {
        assertEquals("state entry 'fc1.weight.shape' is [3, 4], but this storage is [4, 3]",
                restoreError(int8(3, 4), int8(4, 3)));
        assertEquals("state entry 'fc1.weight.shape' is [2, 6], but this storage is [3, 4]",
                restoreError(new FloatStorage(2, 6), new FloatStorage(3, 4)));
    }

    @Test
    void otherScheme() {
        assertEquals("state entry 'fc1.weight.scheme' is 'fp32', but this storage is 'int8 per-tensor maxabs nearest'",
                restoreError(new FloatStorage(3, 4), int8(3, 4)));
        QuantizedStorage quant8 = (QuantizedStorage) QuantScheme.quant(8).newStorage(3, 4, 0);
        String msg = restoreError(quant8, new OctalStorage(3, 4, 8));
        assertTrue(msg.startsWith("state entry 'fc1.weight.scheme' is 'int8 per-tensor fixed"), msg);
        assertTrue(msg.endsWith("but this storage is 'octal8 (3 digits + sign, fixed grid, zero)'"), msg);
    }

    @Test
    void otherQatScheme() {
        Parameter p = new Parameter("w", new int[] {3, 4}, new FloatStorage(3, 4));
        QatMode saved = new QatMode(QuantScheme.parse("int4-pc"), 0);
        p.setMode(saved);
        p.computeWeights();
        assertEquals("state entry 'fc1.weight.scheme' is 'int4-pc', but this QAT mode is 'quant8'",
                restoreError(saved, new QatMode(QuantScheme.quant(8), 0)));
    }

    @Test
    void otherOptimizerOrParameters() {
        Parameter a = new Parameter("a", new int[] {2, 3}, new FloatStorage(2, 3));
        Parameter b = new Parameter("b", new int[] {2}, new FloatStorage(1, 2));
        assertEquals("state entry 'fc1.weight.optimizer' is 'Adam beta1=0.9 beta2=0.999 eps=1.0E-8 weightDecay=0.0 L2', "
                + "but this optimizer is 'Sgd momentum=0.0 dampening=0.0 weightDecay=0.0'",
                restoreError(new Adam(List.of(a, b), 1e-3), new Sgd(List.of(a, b), 1e-3)));
        assertEquals("state entry 'fc1.weight.parameterSizes' is [6, 2], but this optimizer's parameter list is [6]",
                restoreError(new Adam(List.of(a, b), 1e-3), new Adam(List.of(a), 1e-3)));
    }

    @Test
    void missingEntryIsNamed() {
        StateMismatchException e = assertThrows(StateMismatchException.class,
                () -> int8(2, 2).restoreState(new MemoryState().reader().under("layer")));
        assertEquals("state entry 'layer.scheme' is missing from the saved state", e.getMessage());
    }

    @Test
    void entryOfTheWrongSizeIsNamed() {
        // Same description and shape, but the words of another storage: a hand-built inconsistent state.
        MemoryState good = MemoryState.of(int8(2, 2));
        MemoryState bad = new MemoryState();
        bad.putInts("shape", new int[] {2, 2});
        bad.putString("scheme", "int8 per-tensor maxabs nearest");
        bad.putLongs("words", new long[7]);
        StateMismatchException e = assertThrows(StateMismatchException.class, () -> int8(2, 2).restoreState(bad.reader()));
        assertEquals("state entry 'words' holds 7 values, but this object needs "
                + good.reader().longs("words").length, e.getMessage());
    }
}
