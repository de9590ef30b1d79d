package octoquant.engine.state;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.util.Rng;

import static org.junit.jupiter.api.Assertions.*;

/**
 * For any scheme, shape and history of encodes and updates (small ones that rounding may drop, large ones
 * that clip or overflow): save, go on, restore into a fresh storage of the same construction, replay the
 * same operations — the state ends identical entry for entry.
 */
class StorageStateProperties {
    private static final String[] SCHEMES = {"float", "quant8", "quant4", "octal8", "octal5", "int8", "int4-pc",
        "int3-minmax", "int6-pc-minmax-stochastic", "int4-stochastic", "int5-pc-zero", "int8-floor", "int16"};

    @Property(tries = 150)
    void restoreThenReplayEqualsTheOriginal(@ForAll @IntRange(min = 0, max = 12) int schemeIndex,
                                            @ForAll @IntRange(min = 1, max = 9) int rows,
                                            @ForAll @IntRange(min = 1, max = 9) int cols,
                                            @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                            @ForAll @IntRange(min = 0, max = 6) int before,
                                            @ForAll @IntRange(min = 1, max = 6) int after) {
        QuantScheme scheme = QuantScheme.parse(SCHEMES[schemeIndex]);
        WeightStorage original = scheme.newStorage(rows, cols, seed);
        Rng ops = new Rng(seed ^ 0x5DEECE66DL);
        for (int k = 0; k < before; k++) operate(original, ops);
        MemoryState saved = MemoryState.of((Stateful) original);
        MemoryState opsAtSave = MemoryState.of(ops);
        for (int k = 0; k < after; k++) operate(original, ops);

        WeightStorage restored = scheme.newStorage(rows, cols, seed);
        operate(restored, new Rng(seed)); // some other history first
        ((Stateful) restored).restoreState(saved.reader());
        ops.restoreState(opsAtSave.reader()); // replay the same operations
        for (int k = 0; k < after; k++) operate(restored, ops);

        assertNull(MemoryState.of((Stateful) original).firstDifference(MemoryState.of((Stateful) restored)));
        assertArrayEquals(original.decodeAll(), restored.decodeAll());
    }

    /** One encode (1 in 4) or update, with magnitudes from far below a step to several units. */
    private static void operate(WeightStorage s, Rng ops) {
        int n = s.length();
        float[] v = new float[n];
        double scale = Math.pow(10, -4 + 4.5 * ops.nextDouble());
        for (int i = 0; i < n; i++) v[i] = (float) (scale * (2 * ops.nextDouble() - 1));
        if (ops.nextInt(4) == 0) s.encodeFrom(v);
        else s.applyUpdate(v);
    }
}
