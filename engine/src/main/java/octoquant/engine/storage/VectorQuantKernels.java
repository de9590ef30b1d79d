package octoquant.engine.storage;

import octoquant.engine.kernels.QuantKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link QuantKernels} on the Vector API at the preferred width. Created only by the Vector API provider
 * ({@code octoquant.engine.vectorization}), once the module is known to be readable. The storage-mode update's loops are
 * in {@link VectorUpdateLoops}.
 *
 * <p><b>Why the fake-quantize pass may work in float lanes and still give the scalar loop's bits.</b> The
 * reference rounds the double {@code x = w·(2^b − 1)} (fixed grid; exact, a float times a 16-bit integer)
 * or {@code x = w / (double) step}; this loop rounds the float {@code y = w·(2^b − 1)} or {@code w / step}.
 * In both cases {@code y = (float) x}: trivially for the exact product, and for the quotient because
 * rounding a double quotient of two floats to float again is the correctly rounded float quotient (double
 * rounding is innocuous for division when the wide format has at least 2p + 2 bits, 53 ≥ 50; Figueroa,
 * "When is double rounding innocuous?", 1995). Rounding to float is monotone and every integer and
 * half-integer below 2^22 is a float, so x and y lie on the same side of every rounding boundary (the
 * half-integers for nearest-even, the integers for floor and toward-zero) — unless y lands exactly on
 * one. Such lanes ("edges", about one weight in 2^16 of random data, or the exact ties and grid points
 * the tests feed on purpose) compute the exact residual {@code x − y} with one fused multiply-add (w, the
 * step and y are multiples of 2^-149 and the step is a normal float, so a nonzero residual stays nonzero):
 * zero means the real code is y itself and the reference rounds the same y; otherwise the whole chunk takes
 * the reference's double arithmetic. (y below the normal range: x is as tiny, only 0 is a boundary near
 * it, and y = 0 with w ≠ 0 is an edge with a nonzero residual.) Nearest-even is {@code (y + 1.5·2^23) −
 * 1.5·2^23} for |y| &lt; 2^22; floor and toward-zero step that by one where it passed y. Lanes with
 * |y| ≥ 2^21, NaN or ∞ stop the loop and are left to the scalar loop. Codes then lie within ±2^22, so
 * their int and float forms are exact: {@code (q − zp)·step} is the reference's long → float product,
 * and on the fixed grid {@code q / (float) (2^b − 1)} equals the reference's {@code (float) (q / (2^b − 1))}
 * by the same double-rounding argument (the tests check every |q| ≤ 2^21 for every b).
 *
 * <p><b>Rules.</b> Everything here runs at the preferred width (16 float or int lanes, 8 long lanes on
 * AVX-512), the engine's only shape, and reinterprets lanes with {@code reinterpretShape} and a constant
 * species. The fixed grid's sign-magnitude fields (9 bits for quant8, 10 for octal8) have no vector form:
 * they decode through {@link FieldDecoding}'s table. Why, with the measurements: {@code docs/decisions.md}.
 */
public final class VectorQuantKernels extends QuantKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int IL = I.length();
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int LL = LS.length();

    /** 1.5·2^23: {@code (y + F_MAGIC) − F_MAGIC} is y rounded to the nearest integer, ties to even, for |y| < 2^22. */
    private static final float F_MAGIC = 0x1.8p23f;
    /** The bits of F_MAGIC: {@code floatToRawIntBits(F_MAGIC + q) − MAGIC_BITS = q} for integral |q| < 2^22. */
    private static final int MAGIC_BITS = Float.floatToRawIntBits(F_MAGIC);
    /** Largest |y| of the fake-quantize loop: the rounding trick needs 2^22; 2^21 leaves room for the zero point. */
    private static final float F_LIMIT = 0x1p21f;
    /** Steps the float-lane loop takes: normal, so residuals are exact multiples of 2^-149 (see the class doc). */
    private static final float MIN_STEP = 0x1p-100f, MAX_STEP = 0x1p100f;
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

    /** For the Vector API provider only. */
    public VectorQuantKernels() {
        if (FL != IL || LL * 2 != IL) {
            throw new IllegalStateException("unexpected vector species: " + F + ", " + I + ", " + LS);
        }
    }

    @Override
    public String name() {
        return "vector (" + FL + " float lanes)";
    }

    @Override
    public long fakeQuantize(float[] w, int from, int to, boolean fixed, double den, double divisor, int mode,
                      long lo, long hi, int zp, float scale, float[] out, int[] codes, boolean[] clippedOut,
                      boolean calibrated) {
        if (mode != NEAREST && mode != ZERO && mode != FLOOR) return (long) from << 32;
        final float denF = (float) den;
        // The proof (class doc) needs: on the fixed grid 2^b − 1 exact in float; otherwise the divisor the
        // float step itself, a normal float far from both ends of the range (residuals stay exact), and
        // codes that float holds exactly. Anything else is left to the scalar loop.
        if (fixed ? denF != den || den > 0x1p16
                : divisor != scale || !(scale >= MIN_STEP && scale <= MAX_STEP) || lo < -0x1p20 || hi > 0x1p20
                || Math.abs(zp) > (1 << 20)) {
            return (long) from << 32;
        }
        // the flags are cleared in one sweep and set only where a chunk clamps (rare): no mask store per chunk
        if (clippedOut != null) java.util.Arrays.fill(clippedOut, from, to, false);
        // A step just calibrated from these weights bounds every |x| by the code range (and the calibration
        // rejected non-finite weights); otherwise every chunk checks its lanes against the limit (NaN fails).
        // One loop per rounding mode, each its own method: a JVM that trains several schemes (experiments.jar:
        // quant8 rounds to nearest, octal8 toward zero) then keeps one stable compiled loop per mode. One loop
        // for all modes, recompiled as each new mode arrived, was seen to end up boxing its vectors (MLP
        // octal8 after quant8 and int8-pc: 756 KB and 1.4 ms per step, not in every run); a branch-free loop
        // selecting the mode with masks was 4.5× slower (JDK 17's mask operations).
        final boolean test = !calibrated;
        if (mode == NEAREST) return nearestLoop(w, from, to, fixed, denF, den, divisor, lo, hi, zp, scale, out, codes, clippedOut, test);
        if (mode == FLOOR) return floorLoop(w, from, to, fixed, denF, den, divisor, lo, hi, zp, scale, out, codes, clippedOut, test);
        return towardZeroLoop(w, from, to, fixed, denF, den, divisor, lo, hi, zp, scale, out, codes, clippedOut, test);
    }

    // The three loops below differ only in their rounding lines (r and the edge test) and the mode passed
    // to referenceChunk. The rest is written out in each on purpose: a shared helper would take and return
    // vectors, and on JDK 17 a helper C2 does not inline boxes its vector arguments and results (the rule
    // VectorWinogradTransforms and VectorPoolPasses follow too).

    /** {@link #fakeQuantize}'s loop for {@code nearest-even} rounding. */
    private static long nearestLoop(float[] w, int from, int to, boolean fixed, float denF, double den, double divisor,
                                    long lo, long hi, int zp, float scale, float[] out, int[] codes, boolean[] clippedOut,
                                    boolean test) {
        final float loF = lo, hiF = hi, zpF = zp;
        long clipped = 0;
        int i = from;
        for (; i + FL <= to; i += FL) {
            FloatVector wv = FloatVector.fromArray(F, w, i);
            FloatVector y = fixed ? wv.mul(denF) : wv.div(scale);
            if (test && !y.abs().compare(VectorOperators.LT, F_LIMIT).allTrue()) break; // the scalar loop's case
            FloatVector r = y.add(F_MAGIC).sub(F_MAGIC); // ties to even
            VectorMask<Float> edge = y.sub(r).abs().compare(VectorOperators.EQ, 0.5f); // y on a half-integer
            if (edge.anyTrue()) {
                // the exact residual x − y (zero iff the real code is y itself, which the reference then rounds as
                // this loop did): only a nonzero one can make the double reference round differently
                FloatVector residual = fixed ? wv.fma(FloatVector.broadcast(F, denF), y.neg())
                        : y.neg().fma(FloatVector.broadcast(F, scale), wv);
                if (edge.and(residual.compare(VectorOperators.NE, 0f)).anyTrue()) {
                    clipped += referenceChunk(w, i, fixed, den, divisor, NEAREST, lo, hi, zp, scale, out, codes, clippedOut);
                    continue;
                }
            }
            FloatVector q = r.add(zpF); // also turns toward-zero's −0 into the reference's +0
            if (!fixed) { // fixed-grid codes lie within ±2^22, far inside their int32 range: never clamped
                VectorMask<Float> clip = q.compare(VectorOperators.LT, loF).or(q.compare(VectorOperators.GT, hiF));
                if (clip.anyTrue()) {
                    clipped += clip.trueCount();
                    q = q.max(loF).min(hiF);
                    if (clippedOut != null) {
                        for (int k = 0; k < FL; k++) clippedOut[i + k] = clip.laneIsSet(k);
                    }
                }
            }
            // the int code without a float → int conversion (not intrinsified on JDK 17: it boxes): for an
            // integral |q| < 2^22 the float q + 1.5·2^23 holds 2^22 + q in its mantissa bits
            ((IntVector) q.add(F_MAGIC).reinterpretShape(I, 0)).sub(MAGIC_BITS).intoArray(codes, i);
            (fixed ? q.div(denF) : q.sub(zpF).mul(scale)).intoArray(out, i);
        }
        return ((long) i << 32) | clipped;
    }

    /** {@link #fakeQuantize}'s loop for {@code floor} rounding. */
    private static long floorLoop(float[] w, int from, int to, boolean fixed, float denF, double den, double divisor,
                                    long lo, long hi, int zp, float scale, float[] out, int[] codes, boolean[] clippedOut,
                                    boolean test) {
        final float loF = lo, hiF = hi, zpF = zp;
        long clipped = 0;
        int i = from;
        for (; i + FL <= to; i += FL) {
            FloatVector wv = FloatVector.fromArray(F, w, i);
            FloatVector y = fixed ? wv.mul(denF) : wv.div(scale);
            if (test && !y.abs().compare(VectorOperators.LT, F_LIMIT).allTrue()) break; // the scalar loop's case
            FloatVector r = y.add(F_MAGIC).sub(F_MAGIC);
            VectorMask<Float> edge = r.compare(VectorOperators.EQ, y); // y on an integer
            r = r.blend(r.sub(1f), r.compare(VectorOperators.GT, y));
            if (edge.anyTrue()) {
                // the exact residual x − y (zero iff the real code is y itself, which the reference then rounds as
                // this loop did): only a nonzero one can make the double reference round differently
                FloatVector residual = fixed ? wv.fma(FloatVector.broadcast(F, denF), y.neg())
                        : y.neg().fma(FloatVector.broadcast(F, scale), wv);
                if (edge.and(residual.compare(VectorOperators.NE, 0f)).anyTrue()) {
                    clipped += referenceChunk(w, i, fixed, den, divisor, FLOOR, lo, hi, zp, scale, out, codes, clippedOut);
                    continue;
                }
            }
            FloatVector q = r.add(zpF); // also turns toward-zero's −0 into the reference's +0
            if (!fixed) { // fixed-grid codes lie within ±2^22, far inside their int32 range: never clamped
                VectorMask<Float> clip = q.compare(VectorOperators.LT, loF).or(q.compare(VectorOperators.GT, hiF));
                if (clip.anyTrue()) {
                    clipped += clip.trueCount();
                    q = q.max(loF).min(hiF);
                    if (clippedOut != null) {
                        for (int k = 0; k < FL; k++) clippedOut[i + k] = clip.laneIsSet(k);
                    }
                }
            }
            // the int code without a float → int conversion (not intrinsified on JDK 17: it boxes): for an
            // integral |q| < 2^22 the float q + 1.5·2^23 holds 2^22 + q in its mantissa bits
            ((IntVector) q.add(F_MAGIC).reinterpretShape(I, 0)).sub(MAGIC_BITS).intoArray(codes, i);
            (fixed ? q.div(denF) : q.sub(zpF).mul(scale)).intoArray(out, i);
        }
        return ((long) i << 32) | clipped;
    }

    /** {@link #fakeQuantize}'s loop for {@code toward-zero} rounding. */
    private static long towardZeroLoop(float[] w, int from, int to, boolean fixed, float denF, double den, double divisor,
                                    long lo, long hi, int zp, float scale, float[] out, int[] codes, boolean[] clippedOut,
                                    boolean test) {
        final float loF = lo, hiF = hi, zpF = zp;
        long clipped = 0;
        int i = from;
        for (; i + FL <= to; i += FL) {
            FloatVector wv = FloatVector.fromArray(F, w, i);
            FloatVector y = fixed ? wv.mul(denF) : wv.div(scale);
            if (test && !y.abs().compare(VectorOperators.LT, F_LIMIT).allTrue()) break; // the scalar loop's case
            // floor of |y|, y's sign back (−0 for y in (−1, 0): the code is still 0)
            FloatVector a = y.abs(), ra = a.add(F_MAGIC).sub(F_MAGIC);
            VectorMask<Float> edge = ra.compare(VectorOperators.EQ, a); // y on an integer
            ra = ra.blend(ra.sub(1f), ra.compare(VectorOperators.GT, a));
            FloatVector r = ra.blend(ra.neg(), y.compare(VectorOperators.LT, 0f));
            if (edge.anyTrue()) {
                // the exact residual x − y (zero iff the real code is y itself, which the reference then rounds as
                // this loop did): only a nonzero one can make the double reference round differently
                FloatVector residual = fixed ? wv.fma(FloatVector.broadcast(F, denF), y.neg())
                        : y.neg().fma(FloatVector.broadcast(F, scale), wv);
                if (edge.and(residual.compare(VectorOperators.NE, 0f)).anyTrue()) {
                    clipped += referenceChunk(w, i, fixed, den, divisor, ZERO, lo, hi, zp, scale, out, codes, clippedOut);
                    continue;
                }
            }
            FloatVector q = r.add(zpF); // also turns toward-zero's −0 into the reference's +0
            if (!fixed) { // fixed-grid codes lie within ±2^22, far inside their int32 range: never clamped
                VectorMask<Float> clip = q.compare(VectorOperators.LT, loF).or(q.compare(VectorOperators.GT, hiF));
                if (clip.anyTrue()) {
                    clipped += clip.trueCount();
                    q = q.max(loF).min(hiF);
                    if (clippedOut != null) {
                        for (int k = 0; k < FL; k++) clippedOut[i + k] = clip.laneIsSet(k);
                    }
                }
            }
            // the int code without a float → int conversion (not intrinsified on JDK 17: it boxes): for an
            // integral |q| < 2^22 the float q + 1.5·2^23 holds 2^22 + q in its mantissa bits
            ((IntVector) q.add(F_MAGIC).reinterpretShape(I, 0)).sub(MAGIC_BITS).intoArray(codes, i);
            (fixed ? q.div(denF) : q.sub(zpF).mul(scale)).intoArray(out, i);
        }
        return ((long) i << 32) | clipped;
    }

    /**
     * One chunk with the reference's arithmetic (FakeQuantView's scalar loop, element for element): the
     * chunks where a float quotient sat on a rounding boundary without being the real code. Rare (about one
     * weight in 2^16 of random weights), so exactness, not speed, matters here.
     */
    private static long referenceChunk(float[] w, int i, boolean fixed, double den, double divisor, int mode,
                                       long lo, long hi, int zp, float scale, float[] out, int[] codes, boolean[] clippedOut) {
        long clipped = 0;
        for (int k = i; k < i + FL; k++) {
            double x = fixed ? w[k] * den : w[k] / divisor;
            long q = (mode == NEAREST ? (long) Math.rint(x) : mode == ZERO ? (long) x : (long) Math.floor(x)) + zp;
            boolean clip = q < lo || q > hi;
            if (clip) {
                q = Math.max(lo, Math.min(hi, q));
                clipped++;
            }
            if (clippedOut != null) clippedOut[k] = clip;
            codes[k] = (int) q;
            out[k] = fixed ? (float) (q / den) : (q - zp) * scale;
        }
        return clipped;
    }

    @Override
    public int update(int mode, float[] delta, int[] codes, float[] values, int from, int to, boolean fixed,
               double den, double step, float scale, int zp, long qmin, long qmax, long counter,
               long[] counts, int countsOff, double[] sums, int sumsOff) {
        if (!VectorUpdateLoops.ENABLED) return from; // JDK 17: the scalar loop (see VectorUpdateLoops)
        return VectorUpdateLoops.update(mode, delta, codes, values, from, to, fixed, den, step, scale, zp,
                qmin, qmax, counter, counts, countsOff, sums, sumsOff);
    }

    @Override
    public int firstNonFinite(float[] v, int from, int to) {
        return VectorUpdateLoops.firstNonFinite(v, from, to);
    }

    @Override
    public long minMaxWithZero(float[] v, int from, int to) {
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
    public int affine(long[] words, int width, int start, int n, int shift, float scale, float[] dst, int off) {
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
     * any order, so this is the scalar loop's result bit for bit. Rows of whole vectors only (what
     * {@link #intRowStride} asks {@code IntGemm} for); any other k is left to the scalar form.
     */
    @Override
    public void intDots(int m, int rows, int k, int[] a, int[] w, int[] dots) {
        if (k % IL != 0) {
            super.intDots(m, rows, k, a, w, dots);
            return;
        }
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 4 <= rows; j += 4) dots4x4(i, j, rows, k, a, w, dots);
            for (; j < rows; j++) for (int ii = i; ii < i + 4; ii++) dots[ii * rows + j] = dot(a, ii * k, w, j * k, k);
        }
        for (; i < m; i++) for (int j = 0; j < rows; j++) dots[i * rows + j] = dot(a, i * k, w, j * k, k);
    }

    /** Whole vectors: {@code IntGemm} pads its rows with zeros, so no dot product has a scalar tail. */
    @Override
    public int intRowStride(int k) {
        return (k + IL - 1) / IL * IL;
    }

    private static int dot(int[] a, int aOff, int[] w, int wOff, int k) {
        IntVector acc = IntVector.zero(I);
        for (int t = 0; t < k; t += IL) acc = acc.add(IntVector.fromArray(I, a, aOff + t).mul(IntVector.fromArray(I, w, wOff + t)));
        return acc.reduceLanes(VectorOperators.ADD);
    }

    private static void dots4x4(int i, int j, int rows, int k, int[] a, int[] w, int[] dots) {
        int a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        int w0 = j * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
        IntVector c00 = IntVector.zero(I), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00,
                c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int t = 0; t < k; t += IL) {
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
        int r0 = i * rows + j, r1 = r0 + rows, r2 = r1 + rows, r3 = r2 + rows;
        dots[r0] = c00.reduceLanes(VectorOperators.ADD);
        dots[r0 + 1] = c01.reduceLanes(VectorOperators.ADD);
        dots[r0 + 2] = c02.reduceLanes(VectorOperators.ADD);
        dots[r0 + 3] = c03.reduceLanes(VectorOperators.ADD);
        dots[r1] = c10.reduceLanes(VectorOperators.ADD);
        dots[r1 + 1] = c11.reduceLanes(VectorOperators.ADD);
        dots[r1 + 2] = c12.reduceLanes(VectorOperators.ADD);
        dots[r1 + 3] = c13.reduceLanes(VectorOperators.ADD);
        dots[r2] = c20.reduceLanes(VectorOperators.ADD);
        dots[r2 + 1] = c21.reduceLanes(VectorOperators.ADD);
        dots[r2 + 2] = c22.reduceLanes(VectorOperators.ADD);
        dots[r2 + 3] = c23.reduceLanes(VectorOperators.ADD);
        dots[r3] = c30.reduceLanes(VectorOperators.ADD);
        dots[r3 + 1] = c31.reduceLanes(VectorOperators.ADD);
        dots[r3 + 2] = c32.reduceLanes(VectorOperators.ADD);
        dots[r3 + 3] = c33.reduceLanes(VectorOperators.ADD);
    }
}
