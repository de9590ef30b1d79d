package octoquant.engine.quant;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link QuantKernels} on the Vector API at the preferred width. Loaded reflectively by
 * {@link QuantKernels} only once the module is known to be readable.
 *
 * <p><b>Why the results are the scalar loop's bits.</b> The fused pass computes the real code in double
 * lanes, as the reference does, so every division and product is the same correctly rounded double. The
 * Vector API has no rint/floor lane operation; nearest-even is {@code (x + 1.5·2^52) − 1.5·2^52}, exact for
 * |x| < 2^51 (at that magnitude one ulp is 1, and the constant is even, so ties go to the even integer);
 * floor and toward-zero step that result by one where it passed x. Lanes with |x| ≥ 2^50 (2^21 on the
 * fixed grid, whose codes are not clamped below int32), NaN or ∞ stop the vector loop and are left to the
 * scalar loop. So every code is an integral double with |q| &lt; 2^22 after the clamp: its int and its
 * float are exact, and {@code (float) q − zp} is exactly the reference's long → float {@code (q − zp)}.
 *
 * <p><b>Why the weights and codes pass through small double buffers.</b> Converting 8 floats to 8 doubles
 * in registers needs a 256-bit float vector next to the engine's 512-bit ones, and on JDK 17 a second
 * shape of an element type anywhere in the process sends other kernels' vector code (the GEMM, the
 * Winograd transforms) to the boxed fallback: a qat CNN step allocated 39 MB instead of 12 MB. Conversions
 * into the lower half of a full-width vector (part 0 of a lane-count-changing {@code convertShape}) are not
 * intrinsified on JDK 17 either (measured: 24 MB per step). So plain loops copy floats into a per-thread
 * double block and write codes and values back from it; the arithmetic stays in double lanes.
 *
 * <p><b>Why reinterpretShape with a constant species.</b> {@code reinterpretAsInts()} leaves C2 to guess
 * the result's class from a type profile that every other user of the Vector API in the JVM shares; when
 * the GEMM's kernels pollute it, the vector is boxed and each store takes the slow Java path (measured
 * 18× slower). A species constant makes the class exact.
 *
 * <p><b>No vector form for the fixed grid's sign-magnitude fields</b> (9 bits for quant8, 10 for octal8):
 * their fields straddle 32-bit lanes at a phase that changes from chunk to chunk, and both forms tried — a
 * per-phase rearrange of the window's ints, and per-lane broadcast words blended and shifted by per-phase
 * counts — measured no faster than {@link FieldDecoding}'s table (70–100 µs against 74 µs for 128×784
 * weights, one thread), so the table stays.
 */
final class VectorQuantKernels extends QuantKernels {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();
    /** Weights per block of the fake-quantize loop (its double buffers: 3 × 2 KB per thread). */
    private static final int BLOCK = 256;
    private static final ThreadLocal<double[][]> BLOCK_BUFFERS = ThreadLocal.withInitial(() -> new double[3][BLOCK]);
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int IL = I.length();
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int LL = LS.length();

    private static final double MAGIC = 0x1.8p52;
    /** Largest |x| for the vector loop: the rounding trick needs 2^51, the float code conversion |q| < 2^22. */
    private static final double LIMIT = 0x1p50;
    /** On the fixed grid q is x rounded, unclamped (its range is int32): so |x| < 2^21. */
    private static final double FIXED_LIMIT = 0x1p21;
    private static final int NEAREST = RoundingMode.NEAREST_EVEN.ordinal();
    private static final int ZERO = RoundingMode.TOWARD_ZERO.ordinal();
    private static final int FLOOR = RoundingMode.FLOOR.ordinal();

    /**
     * For field widths w dividing 32 with IL·w a multiple of 64 (4, 8, 16 at 16 int lanes; null where that
     * fails): lane j reads int {@code j·w / 32} of its chunk and shifts it right by {@code j·w mod 32}.
     * Constants, one per width, so C2 knows the shuffle's class (see above on type profiles).
     */
    private static final VectorShuffle<Integer> FIELD_INT_4 = fieldInts(4), FIELD_INT_8 = fieldInts(8), FIELD_INT_16 = fieldInts(16);
    private static final IntVector FIELD_SHIFT_4 = fieldShifts(4), FIELD_SHIFT_8 = fieldShifts(8), FIELD_SHIFT_16 = fieldShifts(16);

    private static VectorShuffle<Integer> fieldInts(int w) {
        if ((IL * w) % 64 != 0) return null;
        int[] idx = new int[IL];
        for (int j = 0; j < IL; j++) idx[j] = j * w / 32;
        return VectorShuffle.fromArray(I, idx, 0);
    }

    private static IntVector fieldShifts(int w) {
        if ((IL * w) % 64 != 0) return null;
        int[] sh = new int[IL];
        for (int j = 0; j < IL; j++) sh[j] = j * w % 32;
        return IntVector.fromArray(I, sh, 0);
    }

    VectorQuantKernels() {
        if (BLOCK % DL != 0 || LL * 2 != IL) {
            throw new IllegalStateException("unexpected vector species: " + D + ", " + I + ", " + LS);
        }
    }

    @Override
    String name() {
        return "vector (" + DL + " double lanes)";
    }

    @Override
    long fakeQuantize(float[] w, int from, int to, boolean fixed, double den, double divisor, int mode,
                      long lo, long hi, int zp, float scale, float[] out, int[] codes, boolean[] clippedOut,
                      boolean calibrated) {
        if (mode != NEAREST && mode != ZERO && mode != FLOOR) return (long) from << 32;
        final double loD = lo, hiD = hi, limit = fixed ? FIXED_LIMIT : LIMIT;
        // the clamp test |q − mid| > half, with mid and half exact in double (lo, hi are integers)
        final double mid = 0.5 * (loD + hiD), half = 0.5 * (hiD - loD);
        final float zpF = zp;
        // the flags are cleared in one sweep and set only where a chunk clamps (rare): no mask store per chunk
        if (clippedOut != null) java.util.Arrays.fill(clippedOut, from, to, false);
        // A step just calibrated from these weights bounds every |x| by the code range (and the calibration
        // rejected non-finite weights); else one cheap min/max pass usually proves every |x| below the
        // limit (x is monotone in w). Either spares the loop its per-chunk test.
        boolean test = false;
        if (!calibrated) {
            long pair = minMaxWithZero(w, from, to);
            double extreme = Math.max(-low(pair), high(pair)); // NaN, ∞ when a weight is not finite
            test = !((fixed ? extreme * den : extreme / divisor) < limit);
        }
        long clipped = 0;
        int i = from;
        // Floats go to doubles and codes/values come back through small per-thread double buffers with plain
        // loops, not through float/int vectors of D's lane count: that would be a second FloatVector shape
        // (256-bit next to the engine's 512-bit) in the process, and on JDK 17 a second shape of an element
        // type sends other kernels' vector code (GEMM, Winograd) to the boxed, allocating fallback.
        double[][] buf = BLOCK_BUFFERS.get();
        double[] xb = buf[0], qb = buf[1], vb = buf[2];
        boolean stop = false;
        while (!stop && i + DL <= to) {
            int len = Math.min(BLOCK, to - i);
            len -= len % DL;
            for (int k = 0; k < len; k++) xb[k] = w[i + k];
            int done = 0;
            for (; done < len; done += DL) {
                DoubleVector x = DoubleVector.fromArray(D, xb, done);
                x = fixed ? x.mul(den) : x.div(divisor);
                if (test && !x.abs().compare(VectorOperators.LT, limit).allTrue()) { // the scalar loop's case
                    stop = true;
                    break;
                }
                DoubleVector r = x.add(MAGIC).sub(MAGIC);
                if (mode == FLOOR) {
                    r = r.sub(1.0, r.compare(VectorOperators.GT, x));
                } else if (mode == ZERO) {
                    DoubleVector down = r.sub(1.0, r.compare(VectorOperators.GT, x));
                    DoubleVector up = r.add(1.0, r.compare(VectorOperators.LT, x));
                    r = down.blend(up, x.compare(VectorOperators.LT, 0.0));
                }
                DoubleVector q = r.add(zp);
                VectorMask<Double> clip = q.sub(mid).abs().compare(VectorOperators.GT, half);
                if (clip.anyTrue()) {
                    clipped += clip.trueCount();
                    q = q.max(loD).min(hiD);
                    if (clippedOut != null) {
                        for (int k = 0; k < DL; k++) clippedOut[i + done + k] = clip.laneIsSet(k);
                    }
                }
                q.intoArray(qb, done);
                if (fixed) q.div(den).intoArray(vb, done);
            }
            // q is an integer with |q| < 2^22: the int and the float conversions are exact
            if (fixed) {
                for (int k = 0; k < done; k++) {
                    codes[i + k] = (int) qb[k];
                    out[i + k] = (float) vb[k];
                }
            } else {
                for (int k = 0; k < done; k++) {
                    codes[i + k] = (int) qb[k];
                    out[i + k] = ((float) qb[k] - zpF) * scale;
                }
            }
            i += done;
        }
        return ((long) i << 32) | clipped;
    }

    @Override
    long minMaxWithZero(float[] v, int from, int to) {
        FloatVector lo0 = FloatVector.zero(F), hi0 = lo0, lo1 = lo0, hi1 = lo0;
        int i = from;
        for (; i + 2 * FL <= to; i += 2 * FL) {
            FloatVector a = FloatVector.fromArray(F, v, i), b = FloatVector.fromArray(F, v, i + FL);
            lo0 = lo0.min(a);
            hi0 = hi0.max(a);
            lo1 = lo1.min(b);
            hi1 = hi1.max(b);
        }
        float lo = lo0.min(lo1).reduceLanes(VectorOperators.MIN);
        float hi = hi0.max(hi1).reduceLanes(VectorOperators.MAX);
        for (; i < to; i++) {
            lo = Math.min(lo, v[i]);
            hi = Math.max(hi, v[i]);
        }
        return packPair(lo, hi);
    }

    @Override
    int affine(long[] words, int width, int start, int n, int shift, float scale, float[] dst, int off) {
        switch (width) {
            case 4: return FIELD_INT_4 == null ? 0 : affine(words, 4, FIELD_INT_4, FIELD_SHIFT_4, start, n, shift, scale, dst, off);
            case 8: return FIELD_INT_8 == null ? 0 : affine(words, 8, FIELD_INT_8, FIELD_SHIFT_8, start, n, shift, scale, dst, off);
            case 16: return FIELD_INT_16 == null ? 0 : affine(words, 16, FIELD_INT_16, FIELD_SHIFT_16, start, n, shift, scale, dst, off);
            default: return 0;
        }
    }

    private static int affine(long[] words, int width, VectorShuffle<Integer> fieldInt, IntVector fieldShift,
                              int start, int n, int shift, float scale, float[] dst, int off) {
        int perWord = 64 / width;
        int head = Math.min(n, (perWord - start % perWord) % perWord), i = 0;
        for (; i < head; i++) dst[off + i] = (BitPacker.get(words, width, start + i) + shift) * scale;
        int mask = (1 << width) - 1, wordsPerChunk = IL * width / 64;
        // the chunk's words: a whole preferred-width vector is read, so stop LL words before the end
        for (int wd = (start + i) / perWord; i + IL <= n && wd + LL <= words.length; i += IL, wd += wordsPerChunk) {
            IntVector ints = (IntVector) LongVector.fromArray(LS, words, wd).reinterpretShape(I, 0);
            IntVector fields = ints.rearrange(fieldInt).lanewise(VectorOperators.LSHR, fieldShift).and(mask);
            ((FloatVector) fields.add(shift).convertShape(VectorOperators.I2F, F, 0)).mul(scale).intoArray(dst, off + i);
        }
        return i;
    }

    /**
     * Four activation rows against four weight rows at a time: 16 int accumulators of IL lanes stay in
     * registers, so each pair of loads feeds four multiply-adds instead of one. Integer sums are exact in
     * any order, so this is the scalar loop's result bit for bit.
     */
    @Override
    boolean intDots(int m, int rows, int k, int[] a, int[] w, int[] dots) {
        int kv = k - k % IL;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 4 <= rows; j += 4) dots4x4(i, j, rows, k, kv, a, w, dots);
            for (; j < rows; j++) for (int ii = i; ii < i + 4; ii++) dots[ii * rows + j] = dot(a, ii * k, w, j * k, k, kv);
        }
        for (; i < m; i++) for (int j = 0; j < rows; j++) dots[i * rows + j] = dot(a, i * k, w, j * k, k, kv);
        return true;
    }

    /** Whole vectors: {@link IntGemm} pads its rows with zeros, so no dot product has a scalar tail. */
    @Override
    int intRowStride(int k) {
        return (k + IL - 1) / IL * IL;
    }

    private static int dot(int[] a, int aOff, int[] w, int wOff, int k, int kv) {
        IntVector acc = IntVector.zero(I);
        for (int t = 0; t < kv; t += IL) acc = acc.add(IntVector.fromArray(I, a, aOff + t).mul(IntVector.fromArray(I, w, wOff + t)));
        int s = acc.reduceLanes(VectorOperators.ADD);
        for (int t = kv; t < k; t++) s += a[aOff + t] * w[wOff + t];
        return s;
    }

    private static void dots4x4(int i, int j, int rows, int k, int kv, int[] a, int[] w, int[] dots) {
        int a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        int w0 = j * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
        IntVector c00 = IntVector.zero(I), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00,
                c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int t = 0; t < kv; t += IL) {
            IntVector x0 = IntVector.fromArray(I, a, a0 + t), x1 = IntVector.fromArray(I, a, a1 + t);
            IntVector x2 = IntVector.fromArray(I, a, a2 + t), x3 = IntVector.fromArray(I, a, a3 + t);
            IntVector y = IntVector.fromArray(I, w, w0 + t);
            c00 = c00.add(x0.mul(y)); c10 = c10.add(x1.mul(y)); c20 = c20.add(x2.mul(y)); c30 = c30.add(x3.mul(y));
            y = IntVector.fromArray(I, w, w1 + t);
            c01 = c01.add(x0.mul(y)); c11 = c11.add(x1.mul(y)); c21 = c21.add(x2.mul(y)); c31 = c31.add(x3.mul(y));
            y = IntVector.fromArray(I, w, w2 + t);
            c02 = c02.add(x0.mul(y)); c12 = c12.add(x1.mul(y)); c22 = c22.add(x2.mul(y)); c32 = c32.add(x3.mul(y));
            y = IntVector.fromArray(I, w, w3 + t);
            c03 = c03.add(x0.mul(y)); c13 = c13.add(x1.mul(y)); c23 = c23.add(x2.mul(y)); c33 = c33.add(x3.mul(y));
        }
        store(dots, i, j, rows, 0, 0, c00, a0, w0, k, kv, a, w);
        store(dots, i, j, rows, 0, 1, c01, a0, w1, k, kv, a, w);
        store(dots, i, j, rows, 0, 2, c02, a0, w2, k, kv, a, w);
        store(dots, i, j, rows, 0, 3, c03, a0, w3, k, kv, a, w);
        store(dots, i, j, rows, 1, 0, c10, a1, w0, k, kv, a, w);
        store(dots, i, j, rows, 1, 1, c11, a1, w1, k, kv, a, w);
        store(dots, i, j, rows, 1, 2, c12, a1, w2, k, kv, a, w);
        store(dots, i, j, rows, 1, 3, c13, a1, w3, k, kv, a, w);
        store(dots, i, j, rows, 2, 0, c20, a2, w0, k, kv, a, w);
        store(dots, i, j, rows, 2, 1, c21, a2, w1, k, kv, a, w);
        store(dots, i, j, rows, 2, 2, c22, a2, w2, k, kv, a, w);
        store(dots, i, j, rows, 2, 3, c23, a2, w3, k, kv, a, w);
        store(dots, i, j, rows, 3, 0, c30, a3, w0, k, kv, a, w);
        store(dots, i, j, rows, 3, 1, c31, a3, w1, k, kv, a, w);
        store(dots, i, j, rows, 3, 2, c32, a3, w2, k, kv, a, w);
        store(dots, i, j, rows, 3, 3, c33, a3, w3, k, kv, a, w);
    }

    /** Reduces one accumulator, adds the scalar tail {@code [kv, k)} and stores the dot product. */
    private static void store(int[] dots, int i, int j, int rows, int di, int dj, IntVector acc, int aOff, int wOff,
                              int k, int kv, int[] a, int[] w) {
        int s = acc.reduceLanes(VectorOperators.ADD);
        for (int t = kv; t < k; t++) s += a[aOff + t] * w[wOff + t];
        dots[(i + di) * rows + j + dj] = s;
    }
}
