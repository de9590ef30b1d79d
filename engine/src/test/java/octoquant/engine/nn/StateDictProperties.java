package octoquant.engine.nn;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;
import octoquant.engine.param.Parameter;
import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.safetensors.SafetensorsFile;
import octoquant.engine.safetensors.TensorData;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.RoundingMode;
import octoquant.engine.storage.ScalePolicy;
import octoquant.engine.storage.WeightStorage;

import static org.junit.jupiter.api.Assertions.*;

/**
 * For any scheme and training mode: a trained model's state dict, through the bytes of a safetensors file,
 * loads into a fresh fp32 model (and into a model already in that scheme) as a storage of the same kind
 * with the same codes, steps, zero points, decoded values and byte size; further training in storage mode
 * goes exactly as the original's (deterministic roundings: a state dict holds no rounding generator); and
 * the weights decode from the entries alone by the formulas a Python user is given ({@link StateDict}).
 */
class StateDictProperties {
    private static final String[] SCHEMES = {"float", "quant8", "quant4", "quant2", "octal8", "octal5", "octal3", "int8", "int8-pc",
        "int4-pc", "int3-minmax", "int6-pc-minmax", "int5-pc-zero", "int8-floor", "int16", "int16-pc-minmax", "int8-pc-fixed",
        "int6-pc-minmax-stochastic", "int4-stochastic"};

    @Property(tries = 80)
    void aQuantizedModelReloadsBitForBit(@ForAll @IntRange(min = 0, max = 18) int schemeIndex,
                                         @ForAll @IntRange(min = 0, max = 2) int modeIndex,
                                         @ForAll @LongRange(min = 0, max = 1000) long seed,
                                         @ForAll @IntRange(min = 1, max = 12) int steps,
                                         @ForAll @IntRange(min = 1, max = 4) int grow) {
        QuantScheme scheme = QuantScheme.parse(SCHEMES[schemeIndex]);
        TrainingMode mode = TrainingMode.values()[modeIndex];
        Sequential original = Regression.model(seed);
        for (Parameter p : original.parameters()) { // weights past 1 overflow the fixed grid's packed field
            float[] v = p.storage().decodeAll();
            for (int i = 0; i < v.length; i++) v[i] *= grow;
            p.storage().encodeFrom(v);
        }
        Quantization.prepare(original, scheme, mode, seed);
        Regression.train(original, steps, seed + 1);
        Quantization.finish(original, scheme, mode, seed);

        StateDict dict = StateDict.of(SafetensorsFile.parse(original.stateDict().toFile().toBytes(), "dict"));
        Sequential fresh = Regression.model(seed + 2);
        fresh.loadStateDict(dict, true);
        Sequential sameScheme = Regression.model(seed + 3);
        Quantization.prepare(sameScheme, scheme, TrainingMode.STORAGE, seed + 3);
        sameScheme.loadStateDict(dict, true);

        long overflow = 0;
        for (Parameter p : original.parameters()) if (p.storage() instanceof QuantizedStorage q) overflow += q.overflowCount();
        Statistics.label("codes in the overflow table").collect(overflow > 0);
        for (Parameter p : original.parameters()) {
            for (Sequential loaded : new Sequential[] {fresh, sameScheme}) {
                WeightStorage a = p.storage(), b = loaded.parameter(p.name()).storage();
                assertSame(a.getClass(), b.getClass(), p.name());
                assertEquals(a.describe(), b.describe());
                assertArrayEquals(a.decodeAll(), b.decodeAll(), "decoded values of " + p.name());
                assertEquals(a.sizeInBytes(), b.sizeInBytes(), "bytes of " + p.name());
                if (a instanceof QuantizedStorage qa) {
                    QuantizedStorage qb = (QuantizedStorage) b;
                    for (int i = 0; i < qa.length(); i++) assertEquals(qa.code(i), qb.code(i));
                    for (int r = 0; r < qa.rows(); r++) {
                        assertEquals(qa.step(r), qb.step(r));
                        assertEquals(qa.zeroPoint(r), qb.zeroPoint(r));
                    }
                    assertEquals(qa.overflowCount(), qb.overflowCount());
                }
            }
            assertArrayEquals(p.storage().decodeAll(), decodeAsDocumented(dict, p.name()), "the documented formula for " + p.name());
        }

        boolean deterministic = scheme.isFloat() || scheme.rounding() != RoundingMode.STOCHASTIC;
        if (deterministic) {
            Regression.train(original, 3, seed + 4);
            Regression.train(fresh, 3, seed + 4);
            for (Parameter p : original.parameters()) {
                assertArrayEquals(p.storage().decodeAll(), fresh.parameter(p.name()).storage().decodeAll(), "after further training: " + p.name());
            }
        }
    }

    /** The weights from the entries alone, by the formulas {@link StateDict} gives (what the Python tests do). */
    static float[] decodeAsDocumented(StateDict dict, String name) {
        String scheme = dict.scheme(name);
        TensorData t = dict.get(name);
        if (scheme.equals("float")) return t.toFloats();
        QuantScheme s = QuantScheme.parse(scheme.replaceFirst("^(octal[0-9]+)-.*$", "$1"));
        long[] codes = t.toLongs();
        float[] out = new float[codes.length];
        if (s.policy() == ScalePolicy.FIXED) {
            for (int i = 0; i < codes.length; i++) out[i] = (float) (codes[i] / (double) ((1L << s.bits()) - 1));
            return out;
        }
        float[] scale = dict.get(name + ".scale").toFloats();
        long[] zp = dict.get(name + ".zero_point") == null ? new long[scale.length] : dict.get(name + ".zero_point").toLongs();
        int perRow = codes.length / scale.length; // one scale per tensor, or one per output channel (first dimension)
        for (int i = 0; i < codes.length; i++) out[i] = (float) (codes[i] - zp[i / perRow]) * scale[i / perRow];
        return out;
    }
}
