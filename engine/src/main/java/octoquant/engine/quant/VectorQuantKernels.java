package octoquant.engine.quant;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
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
 * scalar loop. So every code is an integral double with |q| &lt; 2^22 after the clamp: its float is exact,
 * and the int is read from the bits of {@code (float) q + 1.5·2^23} (JDK 17 has no fast double → int lane
 * conversion); {@code (float) q − zp} is then exactly the reference's long → float {@code (q − zp)}.
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
    /** Floats and ints with as many lanes as D, for the conversions to and from double. */
    private static final VectorSpecies<Float> FD = VectorSpecies.of(float.class, VectorShape.forBitSize(DL * 32));
    private static final VectorSpecies<Integer> ID = VectorSpecies.of(int.class, VectorShape.forBitSize(DL * 32));
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
    private static final float FLOAT_MAGIC = 0x1.8p23f;
    private static final int FLOAT_MAGIC_BITS = Float.floatToRawIntBits(FLOAT_MAGIC);
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
        if (FD.length() != DL || ID.length() != DL || LL * 2 != IL) {
            throw new IllegalStateException("unexpected vector species: " + D + ", " + FD + ", " + ID + ", " + LS);
        }
    }

    @Override
    String name() {
        return "vector (" + DL + " double lanes)";
    }

    @Override
    long fakeQuantize(float[] w, int from, int to, boolean fixed, double den, double divisor, int mode,
                      long lo, long hi, int zp, float scale, float[] out, int[] codes, boolean[] clippedOut) {
        if (mode != NEAREST && mode != ZERO && mode != FLOOR) return (long) from << 32;
        final double loD = lo, hiD = hi, limit = fixed ? FIXED_LIMIT : LIMIT;
        // the clamp test |q − mid| > half, with mid and half exact in double (lo, hi are integers)
        final double mid = 0.5 * (loD + hiD), half = 0.5 * (hiD - loD);
        final float zpF = zp;
        // the flags are cleared in one sweep and set only where a chunk clamps (rare): no mask store per chunk
        if (clippedOut != null) java.util.Arrays.fill(clippedOut, from, to, false);
        // One cheap min/max pass usually proves every |x| below the limit (x is monotone in w), which
        // spares the loop its per-chunk test; otherwise each chunk is tested.
        long pair = minMaxWithZero(w, from, to);
        double extreme = Math.max(-low(pair), high(pair)); // NaN, ∞ when a weight is not finite
        boolean test = !((fixed ? extreme * den : extreme / divisor) < limit);
        long clipped = 0;
        int i = from;
        for (; i + DL <= to; i += DL) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(FD, w, i).convertShape(VectorOperators.F2D, D, 0);
            x = fixed ? x.mul(den) : x.div(divisor);
            if (test && !x.abs().compare(VectorOperators.LT, limit).allTrue()) break; // the scalar loop's case
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
                    for (int k = 0; k < DL; k++) clippedOut[i + k] = clip.laneIsSet(k);
                }
            }
            // |q| < 2^22: the float is exact, and 1.5·2^23 + q has q's two's complement in its low bits
            FloatVector qf = (FloatVector) q.convertShape(VectorOperators.D2F, FD, 0);
            ((IntVector) qf.add(FLOAT_MAGIC).reinterpretShape(ID, 0)).sub(FLOAT_MAGIC_BITS).intoArray(codes, i);
            FloatVector v = fixed
                    ? (FloatVector) q.div(den).convertShape(VectorOperators.D2F, FD, 0)
                    : qf.sub(zpF).mul(scale);
            v.intoArray(out, i);
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
}
