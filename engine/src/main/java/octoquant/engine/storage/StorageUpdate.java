package octoquant.engine.storage;

import octoquant.engine.kernels.QuantKernels;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.util.Rng;

import java.math.BigDecimal;

import java.util.Arrays;

/**
 * The storage training mode's update of one quantized tensor, and its {@link UpdateStats}. For weight i
 * of row r, with code q, delta d, zero point zp and step s: {@code x = (q − zp) + d / s} in double, the new
 * code {@code round(x) + zp} (the storage's {@link RoundingMode}; rounding acts on the real code relative
 * to the zero point, so "toward zero" and "floor" mean toward the real 0 and toward −∞ in the affine
 * scheme as well) clamped to the code range; the step never moves. The decoded copy is rewritten where
 * the code changed. Stochastic rounding draws once per weight, in index order, from the storage's stream:
 * weight i takes draw i of this update ({@link Rng#doubleAt}), and the stream then skips all n.
 *
 * <p><b>Counters</b> (exact integers): applied (code changed), lost (nonzero delta, code kept), crossed
 * ({@code |x − (q − zp)| ≥ 1}), clipped. <b>Sums</b> (diagnostics, double): requested {@code Σ|d|} and
 * realized {@code Σ|decode(new) − decode(old)|}, added in a fixed order that does not depend on the thread
 * count or the vector width: the weights form chunks of {@value #CHUNK} from index 0; in each chunk, term
 * i goes to partial {@code i mod 16}, each partial summed in index order; a chunk's value is
 * {@code p0 + p1 + … + p15} left to right; the total is the chunks' values added left to right from 0.
 * (Nothing else reads the sums: codes, counters and streams do not depend on their order.)
 *
 * <p>A non-finite delta is reported (its value and first index) before anything changes. Tensors of at
 * least {@value #PARALLEL_MIN} weights are split by chunks over {@link Parallel}'s threads: every element
 * depends on its own code, delta, row and draw only, and the partial sums are kept per chunk, so the bits
 * do not depend on the split. Each chunk runs {@link QuantKernels#update} (a Vector API form) on its rows
 * and this class's scalar loop (the reference) on what that leaves.
 */
final class StorageUpdate {
    /** Weights per chunk of the sums' order (a multiple of 16, so partial i mod 16 is the same within and across chunks). */
    static final int CHUNK = 4096;
    /** Weights from which the chunks are split over threads. */
    static final int PARALLEL_MIN = 1 << 15;
    /** Per chunk: applied, lost, crossed, clipped. */
    private static final int COUNTS = 4;
    /** Partials per sum and chunk. */
    static final int PARTIALS = 16;
    /** Per chunk: the partials of requested, then those of realized. */
    private static final int SUMS = 2 * PARTIALS;

    /** Real codes are clamped to ±2^51 before rounding (every code range lies far inside; see {@link #scalar}). */
    static final double ROUNDING_LIMIT = 0x1p51;

    private final QuantKernels kernels;
    private final CodeGrid grid;
    private final int rows;
    private final int cols;
    private final RoundingMode rounding;
    /** The fixed grid's quotient is computed as a product ({@link #quotientIsProduct}). */
    private final boolean multiply;
    private final long[] counts;
    private final double[] sums;

    StorageUpdate(CodeGrid grid, int rows, int cols, RoundingMode rounding) {
        this(grid, rows, cols, rounding, VectorizationProvider.get().quantKernels());
    }

    /** With the given kernels (tests compare the scalar and the vector form). */
    StorageUpdate(CodeGrid grid, int rows, int cols, RoundingMode rounding, QuantKernels kernels) {
        this.kernels = kernels;
        this.grid = grid;
        this.rows = rows;
        this.cols = cols;
        this.rounding = rounding;
        this.multiply = grid.fixed() && quotientIsProductCached(grid.fixedDenominator);
        int chunks = (int) (((long) rows * cols + CHUNK - 1) / CHUNK);
        this.counts = new long[chunks * COUNTS];
        this.sums = new double[chunks * SUMS];
    }

    /**
     * Applies {@code delta} to the copy's codes and values; returns what it did.
     *
     * @param rng the storage's stream (stochastic rounding only, else null): advanced by n draws
     * @throws IllegalArgumentException for a non-finite delta, naming it and its index; nothing changed
     */
    UpdateStats apply(float[] delta, DecodedCopy copy, Rng rng, String describe) {
        int n = delta.length;
        int bad = kernels.firstNonFinite(delta, 0, n);
        if (bad >= 0) {
            throw new IllegalArgumentException("non-finite update " + (double) delta[bad] + " at index " + bad + " of "
                    + describe + " storage");
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        Arrays.fill(counts, 0);
        Arrays.fill(sums, 0);
        long counter = rng == null ? 0 : rng.counter();
        if (n >= PARALLEL_MIN) {
            Parallel.forRange(chunks, 1, (s, e) -> {
                for (int c = s; c < e; c++) chunk(c, delta, copy, counter);
            });
        } else {
            for (int c = 0; c < chunks; c++) chunk(c, delta, copy, counter);
        }
        long applied = 0, lost = 0, crossed = 0, clipped = 0;
        double requested = 0, realized = 0;
        for (int c = 0; c < chunks; c++) {
            applied += counts[c * COUNTS];
            lost += counts[c * COUNTS + 1];
            crossed += counts[c * COUNTS + 2];
            clipped += counts[c * COUNTS + 3];
            double req = 0, real = 0;
            for (int j = 0; j < PARTIALS; j++) {
                req += sums[c * SUMS + j];
                real += sums[c * SUMS + PARTIALS + j];
            }
            requested += req;
            realized += real;
        }
        if (rng != null) rng.skip(n);
        return new UpdateStats(n, applied, lost, crossed, clipped, requested, realized);
    }

    /** Chunk {@code c}: its rows' pieces, each a scalar head up to a multiple of 8, the vector kernel, a scalar tail. */
    private void chunk(int c, float[] delta, DecodedCopy copy, long counter) {
        int from = c * CHUNK, to = Math.min(delta.length, from + CHUNK);
        int co = c * COUNTS, so = c * SUMS;
        int mode = rounding.ordinal();
        for (int start = from; start < to; ) {
            int row = start / cols;
            // one step and zero point per piece: a row per channel, the whole chunk otherwise
            int end = grid.groups(rows) > 1 ? Math.min(to, (row + 1) * cols) : to;
            int head = Math.min(end, (start + 7) & ~7);
            scalar(delta, copy, start, head, row, counter, co, so);
            int g = grid.group(row);
            int done = kernels.update(mode, delta, copy.codes, copy.values, head, end, grid.fixed(),
                    grid.fixedDenominator, grid.step(row), grid.groupScale(g), grid.groupZeroPoint(g), grid.qmin, grid.qmax,
                    counter, counts, co, sums, so);
            scalar(delta, copy, done, end, row, counter, co, so);
            start = end;
        }
    }

    /**
     * The scalar loop, and the reference the vector form is tested against: weights {@code [from, to)}, all
     * of one step (that of {@code row}), element by element, with the arithmetic of the class comment.
     *
     * <p>The quotient {@code d / step} is what a division costs most of the time here, so it is first
     * taken as {@code d · fl(1/step)}, within {@code 2^−51·|t|} of it; with |t| and |q − zp| below 2^20 the
     * approximate x is then within {@value #NEAR} of the exact one, so wherever it lies farther than that
     * from every rounding boundary (integers, or half-integers for nearest), from |x − (q − zp)| = 1 and,
     * for stochastic rounding, from the draw, it decides exactly as x does; the other weights (and larger
     * ones) take the exact quotient. On the fixed grid the quotient is the exact product
     * {@code d · (2^b − 1)} where {@link #quotientIsProduct} proves them equal. x is clamped to ±2^51
     * before it is rounded: that changes no code of any range (the rounded value is clamped to the range
     * anyway) but keeps {@code round(x) + zp} from wrapping around the long range, which sent a minmax code
     * to the wrong end when an update exceeded 2^63 steps.
     */
    private void scalar(float[] delta, DecodedCopy copy, int from, int to, int row, long counter, int co, int so) {
        if (from >= to) return;
        final int[] codes = copy.codes;
        final float[] values = copy.values;
        final double[] sums = this.sums;
        final int zp = grid.zeroPoint(row);
        final double step = grid.step(row);
        final boolean exactProduct = this.multiply;
        final double factor = exactProduct ? grid.fixedDenominator : 1.0 / step;
        final long qmin = grid.qmin, qmax = grid.qmax;
        final int mode = rounding.ordinal();
        final boolean stochastic = mode == STOCHASTIC;
        long applied = 0, lost = 0, crossed = 0, clipped = 0;
        for (int i = from; i < to; i++) {
            int q = codes[i];
            double d = delta[i];
            int slot = so + (i & (PARTIALS - 1));
            sums[slot] += Math.abs(d);
            if (d == 0) continue; // x = q − zp exactly: no rounding mode moves the code (a stochastic draw is still spent)
            long k = (long) q - zp;
            double t = d * factor;
            double x = k + t;
            double u = stochastic ? Rng.doubleAt(counter, i) : 0;
            double down = Math.floor(x), frac = x - down;
            if (!exactProduct && !(Math.abs(t) < BOUND && Math.abs(k) < BOUND
                    && (mode == NEAREST ? Math.abs(frac - 0.5) >= NEAR : frac >= NEAR && frac <= 1 - NEAR)
                    && Math.abs(Math.abs(t) - 1) >= NEAR && (!stochastic || Math.abs(u - frac) >= NEAR))) {
                x = k + d / step; // too close to call: the exact quotient
                if (!(Math.abs(x) <= ROUNDING_LIMIT)) x = Math.copySign(ROUNDING_LIMIT, x);
                down = Math.floor(x);
                frac = x - down;
            } else if (!(Math.abs(x) <= ROUNDING_LIMIT)) {
                x = Math.copySign(ROUNDING_LIMIT, x);
                down = Math.floor(x);
                frac = x - down;
            }
            long r;
            if (mode == NEAREST) r = (long) Math.rint(x);
            else if (mode == FLOOR) r = (long) down;
            else if (mode == ZERO) r = (long) x;
            else r = (long) down + (u < frac ? 1 : 0);
            long nq = r + zp;
            if (nq < qmin || nq > qmax) {
                nq = nq < qmin ? qmin : qmax;
                clipped++;
            }
            // crossed from the unclamped x (|x| above 2^51 crossed in any case)
            if (!(Math.abs(x - k) < 1)) crossed++;
            if (nq != q) {
                applied++;
                float v = grid.dequantize(nq, row);
                sums[slot + PARTIALS] += Math.abs((double) v - values[i]);
                codes[i] = (int) nq;
                values[i] = v;
            } else {
                lost++;
            }
        }
        counts[co] += applied;
        counts[co + 1] += lost;
        counts[co + 2] += crossed;
        counts[co + 3] += clipped;
    }

    /** The margin of the approximate quotient (see {@link #scalar}): far above its error, far below any spacing that matters. */
    private static final double NEAR = 0x1p-28;
    /** |t| and |q − zp| below which the approximate x is within {@link #NEAR} of the exact one. */
    private static final double BOUND = 0x1p20;
    private static final int NEAREST = RoundingMode.NEAREST_EVEN.ordinal();
    private static final int FLOOR = RoundingMode.FLOOR.ordinal();
    private static final int ZERO = RoundingMode.TOWARD_ZERO.ordinal();
    private static final int STOCHASTIC = RoundingMode.STOCHASTIC.ordinal();

    /** {@link #quotientIsProduct} of the fixed grids' 2^b − 1, b = 0..16, decided once. */
    private static final boolean[] PRODUCT = new boolean[17];

    static {
        for (int b = 1; b <= 16; b++) PRODUCT[b] = quotientIsProduct((1L << b) - 1);
    }

    /** {@link #quotientIsProduct} without the exact arithmetic, for the fixed grids' denominators. */
    static boolean quotientIsProductCached(double den) {
        int b = 64 - Long.numberOfLeadingZeros((long) den);
        return b <= 16 && den == (1L << b) - 1 ? PRODUCT[b] : quotientIsProduct(den);
    }

    /**
     * Whether {@code d / fl(1/den) == d · den} in double for every float d, so the fixed grid's quotient may be
     * computed as a product. With {@code fl(1/den) = (1/den)(1 − ε)} exactly, {@code D = d · den} is exact in
     * double (24 + 16 significant bits) and the true quotient is {@code D(1 + ε')}, {@code ε' = ε / (1 − ε)};
     * when {@code |ε'| ≤ 2^−55}, {@code |D · ε'| < ulp(D)/4} (also below a power of two, where the gap halves),
     * so the quotient rounds to D itself. Decided exactly here; it holds for b = 4, 7, 8 (quant8's 255), 10
     * and 12–16, and the other widths keep the division.
     */
    static boolean quotientIsProduct(double den) {
        if (!(den >= 1 && den <= 65535 && den == Math.rint(den))) return false;
        BigDecimal eps = BigDecimal.ONE.subtract(new BigDecimal(1.0 / den).multiply(new BigDecimal(den)));
        // |ε'| ≤ 2^−55 ⟺ |ε| ≤ 2^−55 · (1 − ε), as 1 − ε > 0: exact, no division
        return eps.abs().compareTo(new BigDecimal(Math.scalb(1.0, -55)).multiply(BigDecimal.ONE.subtract(eps))) <= 0;
    }
}
