package octoquant.engine.storage;

import octoquant.engine.kernels.QuantKernels;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.state.StateReader;
import octoquant.engine.state.StateWriter;
import octoquant.engine.state.Stateful;
import octoquant.engine.util.Rng;

import java.util.concurrent.atomic.LongAdder;

/**
 * QAT's fake-quantized view of a {@link QuantizedStorage}: what the kernels read in place of fp32 master
 * weights. Each encode is one fused pass over the master: calibrate (maxabs, minmax), round (stochastic
 * draws in index order from the storage's seeded stream), clamp and dequantize every weight into an fp32
 * array that {@link #floatView()} returns — no packing — and record its int code and whether it was
 * clamped (the straight-through estimator's mask). Every value is bit-identical to decoding the packed
 * codes that {@link QuantizedStorage#encodeFrom(float[], boolean[])} of the same storage would have
 * written: the same calibration, rounding, clamping and dequantization.
 *
 * <p>The packed words and overflow table are built from the recorded codes only when something reads the
 * packed form ({@link #packed()}, {@link #sizeInBytes()}, {@link #saveState}); {@link #release()} hands the
 * packed storage over for inference. The view costs 8 bytes per weight beside the packed codes, not
 * counted in {@link #sizeInBytes()}: it is QAT's working copy, like the fp32 master.
 *
 * <p>Non-stochastic passes over at least {@value #PARALLEL_MIN} weights split over {@link Parallel}'s
 * threads: every element depends on its own weight and its group's step only, so the bits do not depend
 * on the split. The loop's Vector API form is {@link QuantKernels#fakeQuantize}.
 */
public final class FakeQuantView implements WeightStorage, Stateful {
    /** Weights from which an encode splits the work over {@link Parallel}'s threads. */
    static final int PARALLEL_MIN = 1 << 14;
    private static final int NEAREST = RoundingMode.NEAREST_EVEN.ordinal();
    private static final int ZERO = RoundingMode.TOWARD_ZERO.ordinal();
    private static final int FLOOR = RoundingMode.FLOOR.ordinal();

    private QuantizedStorage storage;
    private final CodeGrid grid;
    private final DecodedCopy copy;
    private boolean packedBehind;

    /** A view of {@code storage}'s current codes; from now on this view encodes it (and owns it until {@link #release()}). */
    public FakeQuantView(QuantizedStorage storage) {
        this.storage = storage;
        this.grid = storage.grid();
        this.copy = new DecodedCopy(storage.length());
        storage.readCopy(copy);
    }

    /** Recalibrates the step (and zero point) from {@code values}, then quantizes them (the STE mask into {@code clippedOut} if given). */
    public void encode(float[] values, boolean[] clippedOut) {
        storage().checkLength(values.length);
        fakeQuantizeAll(values, clippedOut, true);
    }

    /** Quantizes {@code values} with the current step and zero point: values beyond the range are clamped and flagged. */
    public void encodeKeepingScale(float[] values, boolean[] clippedOut) {
        storage().checkLength(values.length);
        fakeQuantizeAll(values, clippedOut, false);
    }

    /** Weights clamped by the last encode. */
    public long lastClippedCount() {
        return storage().lastClippedCount();
    }

    /** The code of weight {@code i} (row-major), as the last encode recorded it. */
    public long code(int i) {
        return copy.codes[i];
    }

    /** The step of row {@code row}. */
    public double step(int row) {
        return grid.step(row);
    }

    /** The zero point of row {@code row} (0 unless minmax). */
    public int zeroPoint(int row) {
        return grid.zeroPoint(row);
    }

    /** Weights whose code is 0; see {@link QuantizedStorage#zeroCodeCount()}. No allocation. */
    public int zeroCodeCount() {
        return copy.zeroCodes();
    }

    /** Copies every code into {@code dst} (length {@link #length()}); no allocation. */
    public void copyCodes(int[] dst) {
        copy.copyCodes(dst);
    }

    /** How many codes differ from {@code previous} (an earlier {@link #copyCodes}); no allocation. */
    public int changedCodeCount(int[] previous) {
        return copy.changedCodes(previous);
    }

    /** The storage with its packed codes brought up to date; it stays tied to this view (the next encode rewrites it). */
    public QuantizedStorage packed() {
        QuantizedStorage s = storage();
        if (packedBehind) {
            s.packFrom(copy.codes);
            packedBehind = false;
        }
        return s;
    }

    /** Hands the packed storage over for good (end of training): its decoded fp32 values are not kept; this view is finished. */
    public QuantizedStorage release() {
        QuantizedStorage s = packed();
        storage = null;
        return s;
    }

    private QuantizedStorage storage() {
        if (storage == null) throw new IllegalStateException("this fake-quantized view was released");
        return storage;
    }

    @Override
    public int rows() {
        return storage().rows();
    }

    @Override
    public int cols() {
        return storage().cols();
    }

    @Override
    public void decodeRows(int row0, int count, float[] dst, int dstOff) {
        int rows = rows(), cols = cols();
        if (row0 < 0 || count < 0 || row0 + count > rows) {
            throw new IndexOutOfBoundsException("rows [" + row0 + ", " + (row0 + count) + ") of " + rows);
        }
        System.arraycopy(copy.values, row0 * cols, dst, dstOff, count * cols);
    }

    /** The fake-quantized values (read-only for callers). */
    @Override
    public float[] floatView() {
        storage();
        return copy.values;
    }

    /** Not supported: a fake-quantized view is re-encoded from its master, never updated. */
    @Override
    public void applyUpdate(float[] delta) {
        throw new UnsupportedOperationException("QAT's fake-quantized view is encoded from its fp32 master, not updated");
    }

    @Override
    public void encodeFrom(float[] values) {
        encode(values, null);
    }

    @Override
    public long version() {
        return storage().version();
    }

    /** The packed storage's bytes (codes, steps, zero points, overflow entries); the view itself is not counted. */
    @Override
    public long sizeInBytes() {
        return packed().sizeInBytes();
    }

    @Override
    public String describe() {
        return storage().describe();
    }

    // ------------------------------------------------------------------ state
    // The state is the storage's (its own entries, the flag "fakeQuantView" set), packed first; the view's
    // arrays are not saved: by contract they are the decode of the packed codes, so restore rebuilds them.

    @Override
    public void saveState(StateWriter out) {
        packed().writeState(out, true);
    }

    @Override
    public void restoreState(StateReader in) {
        QuantizedStorage s = storage();
        s.restoreState(in);
        s.readCopy(copy);
        packedBehind = false;
    }

    // ------------------------------------------------------------------ the fused pass

    private void fakeQuantizeAll(float[] values, boolean[] clippedOut, boolean recalibrate) {
        QuantizedStorage s = storage;
        Rng rng = s.rng();
        int n = values.length;
        int groups = grid.fixed() ? 1 : grid.scales.length, perGroup = n / groups;
        // a per-channel group is calibrated right before it is quantized, while its row is in cache
        boolean calibrateInGroup = recalibrate && groups > 1;
        if (recalibrate && !calibrateInGroup) StepCalibration.calibrate(grid, values, 1.0);
        long clipped;
        if (rng != null || n < PARALLEL_MIN) {
            // stochastic rounding draws in index order from one stream: sequential by contract
            clipped = 0;
            for (int g = 0; g < groups; g++) clipped += fakeQuantizeGroup(values, g, perGroup, recalibrate, calibrateInGroup, clippedOut, rng);
        } else {
            // the clip count is an exact integer sum
            LongAdder count = new LongAdder();
            if (groups == 1) {
                Parallel.forRange(n, PARALLEL_MIN / 2, (from, to) -> count.add(fakeQuantizeRange(values, from, to,
                        grid.groupScale(0), grid.groupZeroPoint(0), clippedOut, recalibrate, null)));
            } else {
                Parallel.forRange(groups, Math.max(1, PARALLEL_MIN / 2 / perGroup), (from, to) -> {
                    long c = 0;
                    for (int g = from; g < to; g++) c += fakeQuantizeGroup(values, g, perGroup, recalibrate, calibrateInGroup, clippedOut, null);
                    count.add(c);
                });
            }
            clipped = count.sum();
        }
        packedBehind = true;
        s.recordEncode(clipped);
    }

    private long fakeQuantizeGroup(float[] values, int g, int perGroup, boolean recalibrated, boolean calibrateFirst,
                                   boolean[] clippedOut, Rng rng) {
        if (calibrateFirst) StepCalibration.calibrateGroup(grid, values, g, perGroup, 1.0);
        return fakeQuantizeRange(values, g * perGroup, (g + 1) * perGroup, grid.groupScale(g), grid.groupZeroPoint(g),
                clippedOut, recalibrated, rng);
    }

    /**
     * One group's weights {@code [from, to)}; returns how many were clamped. The reference's arithmetic
     * ({@link QuantizedStorage#encodeFrom}'s {@code round(realCode) + zeroPoint}, clamp,
     * {@link CodeGrid#dequantize}) with the policy and rounding mode hoisted out of the loop.
     * {@code recalibrated}: the step was just calibrated from these values (on the fixed grid there is no
     * calibration, so it says nothing).
     */
    private long fakeQuantizeRange(float[] values, int from, int to, float scale, int zp, boolean[] clippedOut,
                                   boolean recalibrated, Rng rng) {
        final boolean fixed = grid.fixed();
        final double den = grid.fixedDenominator, divisor = scale;
        final long lo = grid.qmin, hi = grid.qmax;
        final int mode = storage.rounding().ordinal();
        final float[] out = copy.values;
        final int[] codes = copy.codes;
        // the vector kernel does a prefix with the same bits; this loop (the reference) finishes
        long prefix = rng != null ? (long) from << 32
                : VectorizationProvider.get().quantKernels().fakeQuantize(values, from, to, fixed, den, divisor, mode, lo, hi, zp, scale, out,
                        codes, clippedOut, recalibrated && !fixed);
        long clipped = (int) prefix;
        for (int i = (int) (prefix >>> 32); i < to; i++) {
            float w = values[i];
            if (!Float.isFinite(w)) throw new IllegalArgumentException("cannot quantize non-finite weight " + w + " at index " + i);
            double x = fixed ? w * den : w / divisor;
            long r;
            if (mode == NEAREST) r = (long) Math.rint(x);
            else if (mode == ZERO) r = (long) x;
            else if (mode == FLOOR) r = (long) Math.floor(x);
            else r = RoundingMode.STOCHASTIC.round(x, rng);
            long q = r + zp;
            boolean clip = q < lo || q > hi;
            if (clip) {
                q = Math.max(lo, Math.min(hi, q));
                clipped++;
            }
            if (clippedOut != null) clippedOut[i] = clip;
            codes[i] = (int) q;
            // exactly dequantize(q, row): a double division on the fixed grid, else long → float times scale
            out[i] = fixed ? (float) (q / den) : (q - zp) * scale;
        }
        return clipped;
    }
}
