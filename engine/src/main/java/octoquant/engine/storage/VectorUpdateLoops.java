package octoquant.engine.storage;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import octoquant.engine.kernels.QuantKernels;
import octoquant.engine.util.Rng;

/**
 * The Vector API form of the storage-mode update ({@link QuantKernels#update}), used by
 * {@link VectorQuantKernels}: element for element the arithmetic of {@link StorageUpdate}'s scalar loop in
 * double lanes, so codes and counters are the reference's by construction — the quotient {@code d / step},
 * the sum {@code x = (q − zp) + d / step}, the rounding, the clamp and the test {@code |x − (q − zp)| ≥ 1}
 * are the same IEEE operations on the same doubles. The roundings are exact for |x| ≤ 2^51: nearest-even
 * is {@code (x + 1.5·2^52) − 1.5·2^52}; floor and toward zero step that back by one where it passed x;
 * for larger |x| they are off by a few units at most, so the code still lies beyond 2^50 on x's side and
 * clamps to the same end of the range as the reference's (every range lies within ±2^31). Stochastic draws
 * are SplitMix64 outputs computed per lane from the stream's counter and the weight's index
 * ({@link Rng#doubleAt}). A code goes back to an int through the bits of {@code n + 1.5·2^52} (the low
 * word), and to its value as {@code (float) (n − zp) · step}, or on the fixed grid {@code (float) n /
 * (float) (2^b − 1)}, which equals the reference's {@code (float) (n / (2^b − 1))} for |n| ≤ 2^21
 * ({@code FloatLaneFakeQuantTest}); a group with a larger code takes the reference's value element by
 * element. Only groups of FL weights in which a code changed are written.
 *
 * <p><b>Rules for JDK 17</b> (why: {@code docs/decisions.md}, 2026-12-05). A range is
 * done {@value #BLOCK} weights at a time in five short loops that pass doubles through a per-thread
 * scratch — x with the requested partials and counts, the rounded codes, which codes changed, the int
 * codes, the values with the realized partials — called through one megamorphic interface call site so
 * that C2 compiles each loop on its own instead of inlining them into one large method; no vector is
 * carried from one iteration to the next (the partials are added in memory); no lane select (blend,
 * masked operation, min, max) and no vector chosen by a branch — a step back by one is subtracted as a
 * number made from a sign bit, the rare clamp is done element by element.
 *
 * <p>The partials follow {@link StorageUpdate}'s contract: term i goes to partial i mod 16; a block of
 * {@code FL} weights starting at a multiple of 8 is converted in two halves of {@code DL} double lanes, each
 * added to its {@code DL} partials. Shapes other than 16 float + 8 double or 8 float + 4 double lanes leave
 * the work to the scalar loop.
 */
final class VectorUpdateLoops {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    private static final int DL = D.length();
    /** Whether this machine's shapes fit the partials' contract (16 float + 8 double lanes, or 8 + 4). */
    static final boolean SHAPES_FIT = F.length() == I.length() && D.length() == L.length() && FL == 2 * DL
            && (DL == 8 || DL == 4);
    /** Whether the storages use these loops. */
    static final boolean ENABLED = SHAPES_FIT;
    /** Weights per pass (a multiple of every FL): the scratch stays in the first-level cache. */
    static final int BLOCK = 512;

    /** 1.5·2^52: {@code (x + MAGIC) − MAGIC} is x rounded to the nearest integer, ties to even, for |x| ≤ 2^51. */
    private static final double MAGIC = 0x1.8p52;
    /** The bits of 1.5·2^23: {@code intBitsToFloat(FLOAT_MAGIC_BITS + m) − 1.5·2^23 = m} for |m| < 2^22. */
    private static final int FLOAT_MAGIC_BITS = Float.floatToRawIntBits(0x1.8p23f);
    /** Largest |code| whose fixed-grid value the float division gives exactly. */
    private static final double FIXED_VALUE_LIMIT = 0x1p21;
    /** Lane j: {@code j · GAMMA}, the counter offsets of a half's draws. */
    private static final LongVector LANE_GAMMA = laneGamma();
    /** Int lane 2j of the first half's doubles (their low words) to lane j, and of the second half's to DL + j. */
    private static final VectorShuffle<Integer> EVEN_TO_LOW = evenLanes(0), EVEN_TO_HIGH = evenLanes(DL);
    private static final IntVector LOW_ONES = halfOnes(false), HIGH_ONES = halfOnes(true);
    /** The bits of 1.0, and the sign bit, of a double lane. */
    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0), SIGN_BIT = Long.MIN_VALUE;


    private VectorUpdateLoops() {}

    private static VectorShuffle<Integer> evenLanes(int first) {
        int[] idx = new int[I.length()];
        for (int j = 0; j < idx.length; j++) idx[j] = j >= first && j < first + DL ? 2 * (j - first) : 0;
        return VectorShuffle.fromArray(I, idx, 0);
    }

    private static IntVector halfOnes(boolean high) {
        int[] v = new int[I.length()];
        for (int j = 0; j < v.length; j++) v[j] = (j >= DL) == high ? -1 : 0;
        return IntVector.fromArray(I, v, 0);
    }

    private static LongVector laneGamma() {
        long[] g = new long[L.length()];
        for (int j = 0; j < g.length; j++) g[j] = j * Rng.GAMMA;
        return LongVector.fromArray(L, g, 0);
    }

    /** See {@link QuantKernels#update}; whatever the JDK (the tests call it directly). */
    static int update(int mode, float[] delta, int[] codes, float[] values, int from, int to, boolean fixed,
                      double den, double step, float scale, int zp, long qmin, long qmax, long counter,
                      long[] counts, int co, double[] sums, int so) {
        if (!SHAPES_FIT || (from & 7) != 0) return from;
        int end = from + (to - from) / FL * FL;
        if (end == from) return from;
        Block k = BLOCKS.get();
        k.delta = delta;
        k.codes = codes;
        k.values = values;
        k.fixed = fixed;
        k.den = den;
        k.step = step;
        k.scale = scale;
        k.zp = zp;
        k.qmin = qmin;
        k.qmax = qmax;
        k.counter = counter;
        k.sums = sums;
        k.so = so;
        k.applied = k.nonzero = k.crossed = k.clipped = 0;
        Pass[] passes = (fixed && StorageUpdate.quotientIsProductCached(den) ? PASSES_BY_PRODUCT : PASSES)[mode];
        for (int b = from; b < end; b += BLOCK) {
            k.b = b;
            k.e = Math.min(end, b + BLOCK);
            for (Pass p : passes) p.run(k);
        }
        counts[co] += k.applied;
        counts[co + 1] += k.nonzero - k.applied; // a zero delta never changes a code
        counts[co + 2] += k.crossed;
        counts[co + 3] += k.clipped;
        k.delta = null; // the arrays are not kept alive by the scratch
        k.codes = null;
        k.values = null;
        k.sums = null;
        return end;
    }

    /** One thread's block: the update's arguments, the scratch passed between the passes and the counters. */
    private static final class Block {
        float[] delta;
        int[] codes;
        float[] values;
        double[] sums;
        int b, e, zp, so;
        boolean fixed;
        double den, step;
        float scale;
        long qmin, qmax, counter;
        final double[] x = new double[BLOCK], n = new double[BLOCK];
        /** Codes that change in each group of FL weights of the block (0: nothing to write). */
        final int[] changed = new int[BLOCK / FL];
        long applied, nonzero, crossed, clipped;
    }

    /** One pass over a block; called through this interface from one call site that sees every pass (class comment). */
    @FunctionalInterface
    private interface Pass {
        void run(Block k);
    }

    private static final Pass REAL_CODES = k -> {
        long both = realCodes(k.delta, k.codes, k.b, k.e, k.step, k.zp, k.x, k.sums, k.so);
        k.nonzero += both >>> 32;
        k.crossed += (int) both;
    };
    private static final Pass REAL_CODES_BY_PRODUCT = k -> {
        long both = realCodesByProduct(k.delta, k.codes, k.b, k.e, k.den, k.x, k.sums, k.so);
        k.nonzero += both >>> 32;
        k.crossed += (int) both;
    };
    private static final Pass NEAREST_PASS = k -> k.clipped += nearest(k.x, k.b, k.e, k.zp, k.qmin, k.qmax, k.n);
    private static final Pass ZERO_PASS = k -> k.clipped += towardZero(k.x, k.b, k.e, k.zp, k.qmin, k.qmax, k.n);
    private static final Pass FLOOR_PASS = k -> k.clipped += floor(k.x, k.b, k.e, k.zp, k.qmin, k.qmax, k.n);
    private static final Pass STOCHASTIC_PASS = k -> k.clipped += stochastic(k.x, k.b, k.e, k.zp, k.qmin, k.qmax, k.counter, k.n);
    private static final Pass CHANGED = k -> k.applied += changed(k.codes, k.n, k.b, k.e, k.changed);
    private static final Pass CODES = k -> writeCodes(k.n, k.codes, k.b, k.e, k.changed);
    private static final Pass VALUES = k -> writeValues(k.codes, k.values, k.n, k.b, k.e, k.fixed, k.den, k.scale, k.zp, k.sums, k.so, k.changed);
    /** The passes of each rounding mode, by ordinal; then the same with the fixed grid's exact product. */
    private static final Pass[][] PASSES = passes(REAL_CODES), PASSES_BY_PRODUCT = passes(REAL_CODES_BY_PRODUCT);
    private static final ThreadLocal<Block> BLOCKS = ThreadLocal.withInitial(Block::new);

    private static Pass[][] passes(Pass realCodes) {
        Pass[][] p = new Pass[RoundingMode.values().length][];
        for (RoundingMode m : RoundingMode.values()) {
            Pass round = m == RoundingMode.NEAREST_EVEN ? NEAREST_PASS : m == RoundingMode.TOWARD_ZERO ? ZERO_PASS
                    : m == RoundingMode.FLOOR ? FLOOR_PASS : STOCHASTIC_PASS;
            p[m.ordinal()] = new Pass[] {realCodes, round, CHANGED, CODES, VALUES};
        }
        return p;
    }

    /** The index of the first non-finite value of {@code v[from, to)}, or −1. */
    static int firstNonFinite(float[] v, int from, int to) {
        int i = from;
        for (; i + FL <= to; i += FL) {
            if (!FloatVector.fromArray(F, v, i).abs().compare(VectorOperators.LE, Float.MAX_VALUE).allTrue()) break; // NaN fails too
        }
        for (; i < to; i++) if (!Float.isFinite(v[i])) return i;
        return -1;
    }

    /**
     * {@code x[i − b] = (q − zp) + d / step}, |d| added to the requested partials in index order; returns
     * {@code (nonzero deltas << 32) | crossed}, crossed counting {@code |x − (q − zp)| ≥ 1}.
     */
    private static long realCodes(float[] delta, int[] codes, int b, int e, double step, int zp, double[] x,
                                  double[] sums, int so) {
        DoubleVector zpD = DoubleVector.broadcast(D, zp), stepD = DoubleVector.broadcast(D, step);
        long nonzero = 0, crossed = 0;
        for (int i = b; i < e; i += FL) {
            FloatVector dv = FloatVector.fromArray(F, delta, i);
            IntVector qv = IntVector.fromArray(I, codes, i);
            DoubleVector d0 = (DoubleVector) dv.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector d1 = (DoubleVector) dv.convertShape(VectorOperators.F2D, D, 1);
            DoubleVector k0 = ((DoubleVector) qv.convertShape(VectorOperators.I2D, D, 0)).sub(zpD);
            DoubleVector k1 = ((DoubleVector) qv.convertShape(VectorOperators.I2D, D, 1)).sub(zpD);
            DoubleVector x0 = k0.add(d0.div(stepD)), x1 = k1.add(d1.div(stepD));
            x0.intoArray(x, i - b);
            x1.intoArray(x, i - b + DL);
            crossed += x0.sub(k0).abs().compare(VectorOperators.GE, 1.0).trueCount()
                    + x1.sub(k1).abs().compare(VectorOperators.GE, 1.0).trueCount();
            nonzero += dv.compare(VectorOperators.NE, 0f).trueCount();
            int p0 = so + (i & 15), p1 = so + ((i + DL) & 15);
            DoubleVector.fromArray(D, sums, p0).add(d0.abs()).intoArray(sums, p0);
            DoubleVector.fromArray(D, sums, p1).add(d1.abs()).intoArray(sums, p1);
        }
        return (nonzero << 32) | crossed;
    }
    /**
     * {@link #realCodes} on the fixed grid where the quotient is the exact product {@code d · (2^b − 1)}
     * ({@link StorageUpdate#quotientIsProduct}): a multiplication instead of a division.
     */
    private static long realCodesByProduct(float[] delta, int[] codes, int b, int e, double den, double[] x,
                                           double[] sums, int so) {
        DoubleVector denD = DoubleVector.broadcast(D, den);
        long nonzero = 0, crossed = 0;
        for (int i = b; i < e; i += FL) {
            FloatVector dv = FloatVector.fromArray(F, delta, i);
            IntVector qv = IntVector.fromArray(I, codes, i);
            DoubleVector d0 = (DoubleVector) dv.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector d1 = (DoubleVector) dv.convertShape(VectorOperators.F2D, D, 1);
            DoubleVector k0 = (DoubleVector) qv.convertShape(VectorOperators.I2D, D, 0); // no zero point on the fixed grid
            DoubleVector k1 = (DoubleVector) qv.convertShape(VectorOperators.I2D, D, 1);
            DoubleVector x0 = k0.add(d0.mul(denD)), x1 = k1.add(d1.mul(denD));
            x0.intoArray(x, i - b);
            x1.intoArray(x, i - b + DL);
            crossed += x0.sub(k0).abs().compare(VectorOperators.GE, 1.0).trueCount()
                    + x1.sub(k1).abs().compare(VectorOperators.GE, 1.0).trueCount();
            nonzero += dv.compare(VectorOperators.NE, 0f).trueCount();
            int p0 = so + (i & 15), p1 = so + ((i + DL) & 15);
            DoubleVector.fromArray(D, sums, p0).add(d0.abs()).intoArray(sums, p0);
            DoubleVector.fromArray(D, sums, p1).add(d1.abs()).intoArray(sums, p1);
        }
        return (nonzero << 32) | crossed;
    }


    // The four rounding passes: n = round(x) + zp, clamped to [qmin, qmax]; each returns the clamps. Written
    // out per mode. A step back by one where rint passed x is subtracted as a number, 1.0 or 0.0, made from
    // the sign bit of x − rint(x) (its 64-bit lane shifted arithmetically, masked to the bits of 1.0). The
    // clamp is rare and is done element by element where a group has one.

    private static long nearest(double[] x, int b, int e, int zp, long qmin, long qmax, double[] n) {
        DoubleVector zpD = DoubleVector.broadcast(D, zp), lo = DoubleVector.broadcast(D, (double) qmin);
        DoubleVector hi = DoubleVector.broadcast(D, (double) qmax);
        long clipped = 0;
        for (int j = 0; j < e - b; j += DL) {
            DoubleVector r = DoubleVector.fromArray(D, x, j).add(MAGIC).sub(MAGIC).add(zpD); // ties to even
            r.intoArray(n, j);
            int c = r.compare(VectorOperators.LT, lo).trueCount() + r.compare(VectorOperators.GT, hi).trueCount();
            if (c != 0) clipped += clamp(n, j, qmin, qmax);
        }
        return clipped;
    }

    private static long floor(double[] x, int b, int e, int zp, long qmin, long qmax, double[] n) {
        DoubleVector zpD = DoubleVector.broadcast(D, zp), lo = DoubleVector.broadcast(D, (double) qmin);
        DoubleVector hi = DoubleVector.broadcast(D, (double) qmax);
        long clipped = 0;
        for (int j = 0; j < e - b; j += DL) {
            DoubleVector v = DoubleVector.fromArray(D, x, j);
            DoubleVector r = v.add(MAGIC).sub(MAGIC);
            DoubleVector back = (DoubleVector) ((LongVector) v.sub(r).reinterpretShape(L, 0))
                    .lanewise(VectorOperators.ASHR, 63).and(ONE_BITS).reinterpretShape(D, 0); // 1.0 where rint(x) > x
            r = r.sub(back).add(zpD);
            r.intoArray(n, j);
            int c = r.compare(VectorOperators.LT, lo).trueCount() + r.compare(VectorOperators.GT, hi).trueCount();
            if (c != 0) clipped += clamp(n, j, qmin, qmax);
        }
        return clipped;
    }

    private static long towardZero(double[] x, int b, int e, int zp, long qmin, long qmax, double[] n) {
        DoubleVector zpD = DoubleVector.broadcast(D, zp), lo = DoubleVector.broadcast(D, (double) qmin);
        DoubleVector hi = DoubleVector.broadcast(D, (double) qmax);
        long clipped = 0;
        for (int j = 0; j < e - b; j += DL) {
            DoubleVector v = DoubleVector.fromArray(D, x, j);
            // floor of |x|, then x's sign bit on it (−0 for x in (−1, 0): the same code 0)
            DoubleVector a = v.abs();
            DoubleVector r = a.add(MAGIC).sub(MAGIC);
            DoubleVector back = (DoubleVector) ((LongVector) a.sub(r).reinterpretShape(L, 0))
                    .lanewise(VectorOperators.ASHR, 63).and(ONE_BITS).reinterpretShape(D, 0);
            LongVector sign = ((LongVector) v.reinterpretShape(L, 0)).and(SIGN_BIT);
            r = ((DoubleVector) ((LongVector) r.sub(back).reinterpretShape(L, 0)).or(sign).reinterpretShape(D, 0)).add(zpD);
            r.intoArray(n, j);
            int c = r.compare(VectorOperators.LT, lo).trueCount() + r.compare(VectorOperators.GT, hi).trueCount();
            if (c != 0) clipped += clamp(n, j, qmin, qmax);
        }
        return clipped;
    }

    private static long stochastic(double[] x, int b, int e, int zp, long qmin, long qmax, long counter, double[] n) {
        DoubleVector zpD = DoubleVector.broadcast(D, zp), lo = DoubleVector.broadcast(D, (double) qmin);
        DoubleVector hi = DoubleVector.broadcast(D, (double) qmax);
        long clipped = 0;
        for (int j = 0; j < e - b; j += DL) {
            DoubleVector v = DoubleVector.fromArray(D, x, j);
            // down = floor(x), up by one where the weight's draw lies below the fraction x − down
            DoubleVector r = v.add(MAGIC).sub(MAGIC);
            DoubleVector back = (DoubleVector) ((LongVector) v.sub(r).reinterpretShape(L, 0))
                    .lanewise(VectorOperators.ASHR, 63).and(ONE_BITS).reinterpretShape(D, 0);
            DoubleVector down = r.sub(back);
            LongVector z = LANE_GAMMA.add(counter + (long) (b + j + 1) * Rng.GAMMA);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(Rng.MIX1);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(Rng.MIX2);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
            DoubleVector u = ((DoubleVector) z.lanewise(VectorOperators.LSHR, 11).convertShape(VectorOperators.L2D, D, 0)).mul(0x1.0p-53);
            DoubleVector up = (DoubleVector) ((LongVector) u.sub(v.sub(down)).reinterpretShape(L, 0))
                    .lanewise(VectorOperators.ASHR, 63).and(ONE_BITS).reinterpretShape(D, 0); // 1.0 where u < x − down
            r = down.add(up).add(zpD);
            r.intoArray(n, j);
            int c = r.compare(VectorOperators.LT, lo).trueCount() + r.compare(VectorOperators.GT, hi).trueCount();
            if (c != 0) clipped += clamp(n, j, qmin, qmax);
        }
        return clipped;
    }

    /** Clamps {@code n[j, j + DL)} to [qmin, qmax]; returns how many were beyond. */
    private static int clamp(double[] n, int j, long qmin, long qmax) {
        int c = 0;
        for (int k = j; k < j + DL; k++) {
            if (n[k] < qmin) {
                n[k] = qmin;
                c++;
            } else if (n[k] > qmax) {
                n[k] = qmax;
                c++;
            }
        }
        return c;
    }

    /** The codes that move, {@code n ≠ q}, counted per block of FL weights into {@code changed}; returns their sum. */
    private static long changed(int[] codes, double[] n, int b, int e, int[] changed) {
        long total = 0;
        for (int i = b; i < e; i += FL) {
            IntVector qv = IntVector.fromArray(I, codes, i);
            int j = i - b;
            int c = DoubleVector.fromArray(D, n, j).compare(VectorOperators.NE, (DoubleVector) qv.convertShape(VectorOperators.I2D, D, 0)).trueCount()
                    + DoubleVector.fromArray(D, n, j + DL).compare(VectorOperators.NE, (DoubleVector) qv.convertShape(VectorOperators.I2D, D, 1)).trueCount();
            changed[j / FL] = c;
            total += c;
        }
        return total;
    }

    /** The new codes as ints (blocks where one changed): the low word of {@code n + 1.5·2^52}, the even int lanes of each half gathered. */
    private static void writeCodes(double[] n, int[] codes, int b, int e, int[] changed) {
        for (int i = b; i < e; i += FL) {
            int j = i - b;
            if (changed[j / FL] == 0) continue;
            IntVector low = ((IntVector) DoubleVector.fromArray(D, n, j).add(MAGIC).reinterpretShape(I, 0)).rearrange(EVEN_TO_LOW);
            IntVector high = ((IntVector) DoubleVector.fromArray(D, n, j + DL).add(MAGIC).reinterpretShape(I, 0)).rearrange(EVEN_TO_HIGH);
            low.and(LOW_ONES).or(high.and(HIGH_ONES)).intoArray(codes, i);
        }
    }

    /**
     * The values of the new codes (blocks where one changed), and |new − old| added to the realized partials
     * in index order (0 for every other weight, which adds nothing). A fixed-grid
     * block with a code beyond 2^21 takes the reference's double division, element by element.
     */
    private static void writeValues(int[] codes, float[] values, double[] n, int b, int e, boolean fixed, double den,
                                    float scale, int zp, double[] sums, int so, int[] changed) {
        IntVector bits = IntVector.broadcast(I, FLOAT_MAGIC_BITS - zp);
        FloatVector valueScale = FloatVector.broadcast(F, fixed ? 1f : scale);
        FloatVector valueDen = FloatVector.broadcast(F, fixed ? (float) den : 1f);
        DoubleVector limit = DoubleVector.broadcast(D, FIXED_VALUE_LIMIT);
        for (int i = b; i < e; i += FL) {
            int j = i - b, p0 = so + 16 + (i & 15), p1 = so + 16 + ((i + DL) & 15);
            if (changed[j / FL] == 0) continue; // no value moves: the realized terms are 0
            if (fixed && !(DoubleVector.fromArray(D, n, j).abs().compare(VectorOperators.LE, limit).allTrue()
                    && DoubleVector.fromArray(D, n, j + DL).abs().compare(VectorOperators.LE, limit).allTrue())) {
                for (int k = i; k < i + FL; k++) {
                    float v = (float) (codes[k] / den);
                    sums[so + 16 + (k & 15)] += Math.abs((double) v - values[k]);
                    values[k] = v;
                }
                continue;
            }
            // (float) (n − zp) through the bits of 1.5·2^23 + (n − zp), times the step or over 2^b − 1
            FloatVector v = ((FloatVector) IntVector.fromArray(I, codes, i).add(bits).reinterpretShape(F, 0))
                    .sub(0x1.8p23f).mul(valueScale).div(valueDen);
            FloatVector old = FloatVector.fromArray(F, values, i);
            DoubleVector e0 = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0))
                    .sub((DoubleVector) old.convertShape(VectorOperators.F2D, D, 0)).abs();
            DoubleVector e1 = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1))
                    .sub((DoubleVector) old.convertShape(VectorOperators.F2D, D, 1)).abs();
            DoubleVector.fromArray(D, sums, p0).add(e0).intoArray(sums, p0);
            DoubleVector.fromArray(D, sums, p1).add(e1).intoArray(sums, p1);
            v.intoArray(values, i);
        }
    }
}
