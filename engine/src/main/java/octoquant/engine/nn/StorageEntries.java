package octoquant.engine.nn;

import octoquant.engine.param.Parameter;
import octoquant.engine.safetensors.DType;
import octoquant.engine.safetensors.TensorData;
import octoquant.engine.state.StateMismatchException;
import octoquant.engine.storage.FloatStorage;
import octoquant.engine.storage.OctalStorage;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.RoundingMode;
import octoquant.engine.storage.ScalePolicy;
import octoquant.engine.storage.WeightStorage;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One parameter's storage as state-dict entries and back (the layout is documented on {@link StateDict}):
 * fp32 values, or integer codes with their steps and zero points and the scheme's name.
 */
final class StorageEntries {
    static final String SCALE = ".scale";
    static final String ZERO_POINT = ".zero_point";
    /** Octal storage with another rounding than the seed's toward-zero: a suffix only state dicts use. */
    private static final Pattern OCTAL_ROUNDING = Pattern.compile("octal([0-9]{1,2})-([a-z]+)");

    private StorageEntries() {}

    /** A parameter's storage rebuilt from a state dict, with what loading it in place needs. */
    record Loaded(String scheme, WeightStorage storage, float[] values, long[] codes, float[] steps, int[] zeroPoints) {}

    /** Adds {@code p}'s entries (and its scheme, when quantized) to {@code tensors} and {@code metadata}. */
    static void write(Parameter p, Map<String, TensorData> tensors, Map<String, String> metadata) {
        WeightStorage s = p.storage();
        String scheme = schemeName(s);
        if (scheme == null) {
            throw new IllegalArgumentException("parameter " + p.name() + ": storage '" + s.describe() + "' has no state-dict form");
        }
        if (s instanceof FloatStorage) {
            tensors.put(p.name(), TensorData.ofFloats(p.shape(), s.decodeAll()));
            return;
        }
        QuantizedStorage q = (QuantizedStorage) s;
        long[] codes = new long[q.length()];
        for (int i = 0; i < codes.length; i++) codes[i] = q.code(i);
        tensors.put(p.name(), TensorData.ofLongs(codeType(q, codes), p.shape(), codes));
        if (q.policy() != ScalePolicy.FIXED) {
            int groups = q.perChannel() ? q.rows() : 1;
            int[] groupShape = q.perChannel() ? new int[] {q.rows()} : new int[0];
            float[] steps = new float[groups];
            int[] zeroPoints = new int[groups];
            for (int g = 0; g < groups; g++) {
                steps[g] = (float) q.step(g); // a float widened to double: exact back
                zeroPoints[g] = q.zeroPoint(g);
            }
            tensors.put(p.name() + SCALE, TensorData.ofFloats(groupShape, steps));
            if (q.policy() == ScalePolicy.MINMAX) tensors.put(p.name() + ZERO_POINT, TensorData.ofInts(DType.I32, groupShape, zeroPoints));
        }
        metadata.put(StateDict.SCHEME_PREFIX + p.name(), scheme);
    }

    /**
     * Reads {@code p}'s entries into a new storage of the dict's scheme, checking dtypes, shapes and code
     * ranges; the names it used go into {@code used}.
     *
     * @throws StateMismatchException naming the entry that does not fit
     */
    static Loaded read(Parameter p, StateDict dict, Set<String> used) {
        String name = p.name();
        TensorData t = dict.get(name);
        used.add(name);
        if (!Arrays.equals(t.shape(), p.shape())) {
            throw mismatch(name, "has shape " + Arrays.toString(t.shape()) + ", but the model's parameter is " + Arrays.toString(p.shape()));
        }
        String scheme = dict.scheme(name);
        int rows = p.storage().rows(), cols = p.storage().cols();
        WeightStorage storage = newStorage(scheme, rows, cols, name);
        if (storage instanceof FloatStorage f) {
            float[] values = floats(t, name, "a float parameter (no scheme in the metadata)");
            f.encodeFrom(values);
            return new Loaded(scheme, storage, values, null, null, null);
        }
        QuantizedStorage q = (QuantizedStorage) storage;
        if (!t.dtype().isInteger()) throw mismatch(name, "is " + t.dtype() + ", but scheme " + scheme + " stores integer codes");
        long[] codes = t.toLongs();
        float[] steps = new float[0];
        int[] zeroPoints = new int[0];
        if (q.policy() != ScalePolicy.FIXED) {
            int[] groupShape = q.perChannel() ? new int[] {rows} : new int[0];
            steps = floats(group(dict, name + SCALE, groupShape, scheme, used), name + SCALE, "a scale");
            if (q.policy() == ScalePolicy.MINMAX) {
                TensorData zp = group(dict, name + ZERO_POINT, groupShape, scheme, used);
                if (!zp.dtype().isInteger()) throw mismatch(name + ZERO_POINT, "is " + zp.dtype() + ", but zero points are integers");
                long[] wide = zp.toLongs();
                zeroPoints = new int[wide.length];
                for (int g = 0; g < wide.length; g++) {
                    if (wide[g] != (int) wide[g]) throw mismatch(name + ZERO_POINT, "holds " + wide[g] + ", outside the int range");
                    zeroPoints[g] = (int) wide[g];
                }
            }
        }
        try {
            q.loadCodes(codes, steps, zeroPoints);
        } catch (IllegalArgumentException e) {
            throw mismatch(name, "does not fit scheme " + scheme + ": " + e.getMessage());
        }
        return new Loaded(scheme, storage, null, codes, steps, zeroPoints);
    }

    /**
     * The name under which {@link #newStorage} rebuilds {@code s}: {@code float}, {@code quantB},
     * {@code octalB[-rounding]} or the canonical {@code intB…} name; null for a storage of another kind.
     */
    static String schemeName(WeightStorage s) {
        if (s.getClass() == FloatStorage.class) return "float";
        if (s.getClass() == OctalStorage.class) {
            OctalStorage o = (OctalStorage) s;
            return "octal" + o.bits() + (o.rounding() == RoundingMode.TOWARD_ZERO ? "" : "-" + o.rounding().token());
        }
        if (s.getClass() == QuantizedStorage.class) {
            QuantizedStorage q = (QuantizedStorage) s;
            if (q.policy() == ScalePolicy.FIXED && !q.perChannel() && q.rounding() == RoundingMode.NEAREST_EVEN) return "quant" + q.bits();
            return QuantScheme.integer(q.bits(), q.perChannel(), q.policy(), q.rounding()).name();
        }
        return null;
    }

    /**
     * An all-zero storage of {@code scheme}; a stochastic one draws from a stream seeded by the parameter's
     * name (a state dict holds no generator).
     */
    private static WeightStorage newStorage(String scheme, int rows, int cols, String name) {
        long seed = 0x5AFE_7E45_0000_0000L ^ name.hashCode();
        Matcher octal = OCTAL_ROUNDING.matcher(scheme);
        if (octal.matches() && RoundingMode.fromToken(octal.group(2)) != null) {
            int bits = Integer.parseInt(octal.group(1));
            if (bits >= 2 && bits <= 16) return new OctalStorage(rows, cols, bits, RoundingMode.fromToken(octal.group(2)), seed);
        }
        try {
            return QuantScheme.parse(scheme).newStorage(rows, cols, seed);
        } catch (IllegalArgumentException e) {
            throw new StateMismatchException("state dict metadata '" + StateDict.SCHEME_PREFIX + name + "' is " + quote(scheme)
                    + ", not a scheme (" + QuantScheme.GRAMMAR + ")");
        }
    }

    /** The smallest of I8, U8, I16, I32 holding the scheme's code range (the codes present on the unbounded fixed grid). */
    private static DType codeType(QuantizedStorage q, long[] codes) {
        long lo = q.minCode(), hi = q.maxCode();
        if (q.policy() == ScalePolicy.FIXED) {
            lo = 0;
            hi = 0;
            for (long c : codes) {
                lo = Math.min(lo, c);
                hi = Math.max(hi, c);
            }
        }
        for (DType t : new DType[] {DType.I8, DType.U8, DType.I16, DType.I32}) {
            if (lo >= t.min() && hi <= t.max()) return t;
        }
        return DType.I64;
    }

    private static TensorData group(StateDict dict, String entry, int[] shape, String scheme, Set<String> used) {
        TensorData t = dict.get(entry);
        if (t == null) throw new StateMismatchException("state dict has no entry '" + entry + "', which scheme " + scheme + " needs");
        used.add(entry);
        boolean scalarOk = shape.length == 0 && t.elementCount() == 1 && t.shape().length <= 1;
        if (!scalarOk && !Arrays.equals(t.shape(), shape)) {
            throw mismatch(entry, "has shape " + Arrays.toString(t.shape()) + ", but scheme " + scheme + " needs " + Arrays.toString(shape));
        }
        return t;
    }

    private static float[] floats(TensorData t, String entry, String what) {
        if (t.dtype().isInteger()) throw mismatch(entry, "is " + t.dtype() + ", but " + what + " needs F32, F16 or BF16");
        return t.toFloats();
    }

    private static StateMismatchException mismatch(String entry, String problem) {
        return new StateMismatchException("state dict entry " + quote(entry) + " " + problem);
    }

    /** {@code s} in single quotes with control characters escaped, so a message stays one line. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029' || c == '\u0085') sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append(s.length() > 80 ? "…'" : "'").toString();
    }
}
