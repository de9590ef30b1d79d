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
    /** Longs with the bits of DL ints: the window a chunk of DL sign-magnitude fields is cut from. */
    private static final VectorSpecies<Long> LD = VectorSpecies.of(long.class, VectorShape.forBitSize(DL * 32));
    private static final int LDL = LD.length();
    /** Widest sign-magnitude field {@link #fixedGrid} cuts from its window (DL·w + 63 ≤ DL·32 bits). */
    private static final int MAX_GRID_WIDTH = Math.min(16, 32 - (63 + DL - 1) / DL);

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
     * For field widths w dividing 32 with IL·w a multiple of 64 (4, 8, 16 at 16 int lanes): lane j reads
     * int {@code j·w / 32} of its chunk and shifts it right by {@code j·w mod 32}.
     */
    private static final VectorShuffle<Integer>[] FIELD_INT = new VectorShuffle[17];
    private static final IntVector[] FIELD_SHIFT = new IntVector[17];

    static {
        for (int w = 1; w <= 16; w++) {
            if (32 % w != 0 || (IL * w) % 64 != 0) continue;
            int[] idx = new int[IL], sh = new int[IL];
            for (int j = 0; j < IL; j++) {
                idx[j] = j * w / 32;
                sh[j] = j * w % 32;
            }
            FIELD_INT[w] = VectorShuffle.fromArray(I, idx, 0);
            FIELD_SHIFT[w] = IntVector.fromArray(I, sh, 0);
        }
    }

    /**
     * For a sign-magnitude field width w and a window whose first field starts at bit p (0..63): lane j
     * takes bits from int {@code k = (p + j·w) / 32} of the window and the next one, shifted by
     * {@code (p + j·w) mod 32}. Built per width on first use (64 phases).
     */
    private static final class GridPhases {
        final VectorShuffle<Integer>[] lowInt = new VectorShuffle[64], highInt = new VectorShuffle[64];
        final IntVector[] shift = new IntVector[64], highShift = new IntVector[64];

        GridPhases(int w) {
            for (int p = 0; p < 64; p++) {
                int[] lo = new int[DL], hi = new int[DL], sh = new int[DL], hsh = new int[DL];
                for (int j = 0; j < DL; j++) {
                    int bit = p + j * w;
                    lo[j] = bit / 32;
                    hi[j] = Math.min(DL - 1, bit / 32 + 1); // never needed past the window when it is clamped
                    sh[j] = bit % 32;
                    hsh[j] = 31 - bit % 32; // (next << 1) << (31 − s): 0 when s = 0, no shift by 32
                }
                lowInt[p] = VectorShuffle.fromArray(ID, lo, 0);
                highInt[p] = VectorShuffle.fromArray(ID, hi, 0);
                shift[p] = IntVector.fromArray(ID, sh, 0);
                highShift[p] = IntVector.fromArray(ID, hsh, 0);
            }
        }
    }

    private static final GridPhases[] GRID = new GridPhases[17];

    private static GridPhases gridPhases(int w) {
        GridPhases g = GRID[w];
        if (g == null) GRID[w] = g = new GridPhases(w); // a benign race: equal tables
        return g;
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
        if (width > 16 || FIELD_INT[width] == null) return 0;
        int perWord = 64 / width;
        int head = Math.min(n, (perWord - start % perWord) % perWord), i = 0;
        for (; i < head; i++) dst[off + i] = (BitPacker.get(words, width, start + i) + shift) * scale;
        VectorShuffle<Integer> fieldInt = FIELD_INT[width];
        IntVector fieldShift = FIELD_SHIFT[width];
        int mask = (1 << width) - 1, wordsPerChunk = IL * width / 64;
        // the chunk's words: a whole preferred-width vector is read, so stop LL words before the end
        for (int wd = (start + i) / perWord; i + IL <= n && wd + LL <= words.length; i += IL, wd += wordsPerChunk) {
            IntVector ints = (IntVector) LongVector.fromArray(LS, words, wd).reinterpretShape(I, 0);
            IntVector fields = ints.rearrange(fieldInt).lanewise(VectorOperators.LSHR, fieldShift).and(mask);
            ((FloatVector) fields.add(shift).convert(VectorOperators.I2F, 0)).mul(scale).intoArray(dst, off + i);
        }
        return i;
    }

    /**
     * Sign-magnitude fields of the fixed grid, {@code (float) (code / den)} (the value of
     * {@link FieldDecoding#fixedGridTable} and of {@link FieldDecoding#signMagnitudeDivide}: the same int →
     * double, the same double division, the same rounding to float), DL fields a chunk cut from a window
     * of DL·32 bits. The escape "−0" decodes as 0, as in the table, and is patched by the caller.
     */
    @Override
    int fixedGrid(long[] words, int width, int start, int n, double den, float[] dst, int off) {
        if (width < 2 || width > MAX_GRID_WIDTH) return 0;
        GridPhases g = gridPhases(width);
        int mask = (1 << width) - 1, magBits = width - 1, magMask = (1 << magBits) - 1;
        long bit = (long) start * width;
        int i = 0;
        for (; i + DL <= n; i += DL, bit += (long) DL * width) {
            int word = (int) (bit >>> 6), p = (int) bit & 63;
            if (word + LDL > words.length) break;
            IntVector ints = (IntVector) LongVector.fromArray(LD, words, word).reinterpretShape(ID, 0);
            IntVector low = ints.rearrange(g.lowInt[p]).lanewise(VectorOperators.LSHR, g.shift[p]);
            IntVector high = ints.rearrange(g.highInt[p]).lanewise(VectorOperators.LSHL, 1).lanewise(VectorOperators.LSHL, g.highShift[p]);
            IntVector fields = low.or(high).and(mask);
            IntVector negative = fields.lanewise(VectorOperators.LSHR, magBits); // 0 or 1
            IntVector code = fields.and(magMask).lanewise(VectorOperators.XOR, negative.neg()).add(negative);
            DoubleVector d = ((DoubleVector) code.convertShape(VectorOperators.I2D, D, 0)).div(den);
            ((FloatVector) d.convertShape(VectorOperators.D2F, FD, 0)).intoArray(dst, off + i);
        }
        return i;
    }
}
