package octoquant.engine.kernels;

/**
 * The hot loops of quantization that have a Vector API form: QAT's fused quantize→dequantize pass, the
 * storage mode's update, the calibration's min/max reduction, the decoding of packed offset-binary
 * fields and the integer dot products. Every method is bit-identical to the scalar loop of
 * {@code storage.FakeQuantView}, {@code storage.StorageUpdate}, {@code storage.StepCalibration},
 * {@code storage.FieldDecoding} or {@code integer.IntGemm} it speeds up.
 *
 * <p>This class is the scalar form; the Vector API form is {@code storage.VectorQuantKernels}.
 * {@link VectorizationProvider#quantKernels()} hands out the form in use. Stateless.
 *
 * <p>The encode and decode methods work on a <em>prefix</em> of the range and return where they stopped;
 * the caller's scalar loop — the reference — does the rest (tails, stochastic rounding, non-finite
 * weights and their error messages). This class itself is the scalar form: it does nothing there.
 */
public class QuantKernels {
    /** Created by the providers. */
    protected QuantKernels() {}

    /** {@code scalar}, or the Vector API form's name. */
    public String name() {
        return "scalar";
    }

    /**
     * QAT's fused pass over weights {@code [from, to)} of one group, as {@code FakeQuantView}'s
     * reference loop: {@code x = fixed ? w·den : w / divisor} in double, rounded by {@code mode} (an
     * ordinal of {@code RoundingMode}, never stochastic), plus {@code zp}, clamped to {@code [lo, hi]};
     * the code goes to {@code codes}, the clamp flag to {@code clippedOut} (if not null) and the value
     * ({@code (float) (q / den)} on the fixed grid, else {@code (float) (q − zp) · scale}) to {@code out}.
     * {@code calibrated}: the step was calibrated from exactly these finite weights (maxabs, minmax), so
     * every |x| lies within the code range.
     *
     * @return {@code (end << 32) | clipped}: weights {@code [from, end)} are done, {@code clipped} of them
     *         were clamped
     */
    public long fakeQuantize(float[] w, int from, int to, boolean fixed, double den, double divisor, int mode,
                      long lo, long hi, int zp, float scale, float[] out, int[] codes, boolean[] clippedOut,
                      boolean calibrated) {
        return (long) from << 32;
    }

    /**
     * The storage-mode update of weights {@code [from, to)}, all of one step (and zero point): a prefix of
     * them exactly as {@code StorageUpdate}'s scalar loop does it element by element — the new codes and
     * decoded values written where a code changed, the counters added to {@code counts[countsOff …+4)}
     * (applied, lost, crossed, clipped) and each term of the two sums to its partial,
     * {@code sums[sumsOff + i mod 16]} (|delta|) and {@code sums[sumsOff + 16 + i mod 16]} (|value change|),
     * in index order. {@code from} is a multiple of 8. {@code mode} is a {@code RoundingMode} ordinal; for
     * stochastic rounding weight i takes {@code Rng.doubleAt(counter, i)}. {@code step} is the row's step
     * ({@code 1/den} on the fixed grid), {@code scale} the stored float step. Every delta is finite.
     *
     * @return the end of the prefix done (the caller's scalar loop does the rest)
     */
    public int update(int mode, float[] delta, int[] codes, float[] values, int from, int to, boolean fixed,
               double den, double step, float scale, int zp, long qmin, long qmax, long counter,
               long[] counts, int countsOff, double[] sums, int sumsOff) {
        return from;
    }

    /** The index of the first non-finite value of {@code v[from, to)}, or −1. */
    public int firstNonFinite(float[] v, int from, int to) {
        for (int i = from; i < to; i++) if (!Float.isFinite(v[i])) return i;
        return -1;
    }

    /**
     * The smallest and the largest of {@code v[from, to)} and 0 ({@link Math#min}/{@link Math#max}
     * semantics, so the order does not matter), as {@link #packPair}; a non-finite value makes the result
     * non-finite (the caller then finds and names it). The scalar form keeps four independent running
     * extremes, which breaks the loop-carried latency chain.
     */
    public long minMaxWithZero(float[] v, int from, int to) {
        float lo = 0, hi = 0, lo1 = 0, hi1 = 0, lo2 = 0, hi2 = 0, lo3 = 0, hi3 = 0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            float v0 = v[i], v1 = v[i + 1], v2 = v[i + 2], v3 = v[i + 3];
            lo = Math.min(lo, v0);
            hi = Math.max(hi, v0);
            lo1 = Math.min(lo1, v1);
            hi1 = Math.max(hi1, v1);
            lo2 = Math.min(lo2, v2);
            hi2 = Math.max(hi2, v2);
            lo3 = Math.min(lo3, v3);
            hi3 = Math.max(hi3, v3);
        }
        for (; i < to; i++) {
            lo = Math.min(lo, v[i]);
            hi = Math.max(hi, v[i]);
        }
        return packPair(Math.min(Math.min(lo, lo1), Math.min(lo2, lo3)), Math.max(Math.max(hi, hi1), Math.max(hi2, hi3)));
    }

    /**
     * Decodes a prefix of the offset-binary fields {@code [start, start + n)} of {@code width} bits,
     * {@code dst[off + k] = (field + shift) · scale}, as {@code FieldDecoding.affineFused}; returns how
     * many it decoded.
     */
    public int affine(long[] words, int width, int start, int n, int shift, float scale, float[] dst, int off) {
        return 0;
    }

    /**
     * The integer dot products of {@code IntGemm}: {@code dots[i·rows + j] = Σ_{t<k} a[i·k + t] · w[j·k + t]}
     * for {@code i < m, j < rows}, int32 arithmetic (exact in any order, wrap-around included). This scalar
     * form is the reference; the vector form gives the same ints.
     */
    public void intDots(int m, int rows, int k, int[] a, int[] w, int[] dots) {
        for (int i = 0; i < m; i++) {
            int aBase = i * k;
            for (int j = 0; j < rows; j++) {
                int wBase = j * k, dot = 0;
                for (int t = 0; t < k; t++) dot += a[aBase + t] * w[wBase + t];
                dots[i * rows + j] = dot;
            }
        }
    }

    /**
     * The row length {@link #intDots} wants for k values ({@code IntGemm} pads its rows with zeros to it,
     * which add nothing): k itself here, whole vectors in the vector form.
     */
    public int intRowStride(int k) {
        return k;
    }

    /** Two floats in one long (no allocation per call): {@code lo} in the high half. */
    protected static long packPair(float lo, float hi) {
        return ((long) Float.floatToRawIntBits(lo) << 32) | (Float.floatToRawIntBits(hi) & 0xFFFFFFFFL);
    }

    public static float low(long pair) {
        return Float.intBitsToFloat((int) (pair >>> 32));
    }

    public static float high(long pair) {
        return Float.intBitsToFloat((int) pair);
    }

}
