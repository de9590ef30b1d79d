package octoquant.engine.storage;

import octoquant.engine.state.StateReader;
import octoquant.engine.state.StateWriter;
import octoquant.engine.state.Stateful;
import octoquant.engine.util.Rng;

/**
 * Integer codes, really packed ({@link PackedCodes}), with a step per tensor or per output channel (row)
 * ({@link CodeGrid}). A weight is {@code code · step} ({@link ScalePolicy#FIXED}: {@code code / (2^b − 1)},
 * the seed's implied dequantization), or {@code (code − zeroPoint) · step} for {@link ScalePolicy#MINMAX}.
 *
 * <p><b>Layouts.</b> {@code fixed}: sign-magnitude fields of b+1 bits (so ±(2^b − 1), all w in [−1, 1],
 * fit inline); the seed's grid is unbounded, so larger codes are written as the escape "−0" and kept in a
 * sparse {@link OverflowTable} (8 bytes each, counted in {@link #sizeInBytes()}, reported by
 * {@link #overflowCount()}). {@code maxabs}: offset-binary b-bit fields for codes in
 * [−(2^(b−1) − 1), 2^(b−1) − 1]. {@code minmax}: b-bit fields for codes in [0, 2^b − 1].
 *
 * <p><b>Encoding.</b> {@link #encodeFrom} calibrates the step from the values it is given
 * ({@link StepCalibration}: max |w|, or min/max with 0 included, per row or per tensor) and rounds each
 * value with the storage's {@link RoundingMode} (stochastic draws in index order from the storage's seeded
 * stream). {@link #encodeWithHeadroom} widens the calibrated range, {@link #encodeKeepingScale} keeps the
 * step; values that leave the range are clipped and counted.
 *
 * <p><b>Updates</b> ({@link #applyUpdate}, the {@code storage} training mode; {@link StorageUpdate} holds
 * the arithmetic and the order of the statistics' sums) re-quantize {@code decode(w) + delta} with the
 * storage's rounding and keep the step as it is: with a step that followed the weights, every update that
 * moved the extreme weight would re-round every other weight of the row, so storage-mode training would
 * lose its meaning (the codes are the weights). Every update records {@link UpdateStats}:
 * {@link #lastUpdate()} and {@link #totalUpdates()}.
 *
 * <p><b>The decoded view.</b> Updates work on an unpacked working copy, every code as an int and its fp32
 * decode ({@link DecodedCopy}), which {@link #floatView()} returns while it exists, so the layers read the
 * weights in place in the forward and the backward pass instead of decoding them tile by tile. It is
 * created by {@link #enableDecodedView()} (the {@code storage} mode does so) or by the first update, and
 * costs 8 bytes per weight beside the packed codes, <em>not</em> counted in {@link #sizeInBytes()} (a
 * working copy, like an fp32 master); {@link #dropDecodedView()} releases it. Its values are bit-identical
 * to decoding the packed codes, which are rebuilt from its codes only when something reads the packed
 * form ({@link #overflowCount()}, {@link #sizeInBytes()}, checkpoints).
 *
 * <p>QAT's view of a storage, written by its own fused quantize→dequantize pass, is {@link FakeQuantView}.
 */
public class QuantizedStorage implements WeightStorage, Stateful {
    private final int rows;
    private final int cols;
    private final RoundingMode rounding;
    private final Rng rng;
    private final CodeGrid grid;
    private final PackedCodes packed;
    private final StorageUpdate update;
    /** The decoded view (null unless enabled); when {@code packedBehind}, the packed codes lag its codes. */
    private DecodedCopy copy;
    private boolean packedBehind;
    private long version;
    private UpdateStats last = UpdateStats.NONE;
    private UpdateStats total = UpdateStats.NONE;
    private long lastClipped;

    /**
     * An all-zero storage.
     *
     * @param seed seeds the stochastic rounding stream (ignored by the other modes)
     */
    public QuantizedStorage(int rows, int cols, int bits, ScalePolicy policy, boolean perChannel,
                            RoundingMode rounding, long seed) {
        this(rows, cols, bits, policy, perChannel, rounding, seed, null);
    }

    /** For subclasses with their own field layout (octal digits). */
    QuantizedStorage(int rows, int cols, int bits, ScalePolicy policy, boolean perChannel,
                     RoundingMode rounding, long seed, CodeLayout customLayout) {
        if (rows <= 0 || cols <= 0) throw new IllegalArgumentException("storage shape must be positive, got " + rows + "x" + cols);
        if (bits < 2 || bits > 16) throw new IllegalArgumentException("bit width must be 2..16, got " + bits);
        this.rows = rows;
        this.cols = cols;
        this.rounding = rounding;
        this.rng = rounding.needsRng() ? new Rng(seed) : null;
        this.grid = new CodeGrid(rows, bits, policy, perChannel);
        CodeLayout layout = customLayout != null ? customLayout
                : policy == ScalePolicy.FIXED ? CodeLayout.signMagnitude(bits) : CodeLayout.offset(grid.qmin, grid.qmax, bits);
        this.packed = new PackedCodes(layout, Math.multiplyExact(rows, cols));
        this.update = new StorageUpdate(grid, rows, cols, rounding);
        encodeFrom(new float[rows * cols]);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    public int bits() {
        return grid.bits;
    }

    public ScalePolicy policy() {
        return grid.policy;
    }

    public boolean perChannel() {
        return grid.perChannel;
    }

    public RoundingMode rounding() {
        return rounding;
    }

    /** Bits of one packed field (b+1 for the fixed grid's sign-magnitude, b for maxabs/minmax). */
    public int fieldBits() {
        return packed.width();
    }

    /** The step (value of one code unit) for row {@code row}: {@code 1/(2^b − 1)} on the fixed grid. */
    public double step(int row) {
        return grid.step(row);
    }

    /** The zero point of row {@code row} (0 unless minmax). */
    public int zeroPoint(int row) {
        return grid.zeroPoint(row);
    }

    /** Smallest and largest code this scheme stores (the int32 range for the unbounded fixed grid). */
    public long minCode() {
        return grid.qmin;
    }

    public long maxCode() {
        return grid.qmax;
    }

    /** The integer code of weight {@code i} (row-major). */
    public long code(int i) {
        return copy != null ? copy.codes[i] : packed.code(i);
    }

    /**
     * How many weights have the code 0 — on the fixed grid and maxabs exactly the weights that are 0 (in
     * the minmax scheme code 0 is the low end of the range instead). No allocation; with the decoded view
     * one pass over its ints, else one over the packed fields.
     */
    public int zeroCodeCount() {
        if (copy != null) return copy.zeroCodes();
        int zeros = 0;
        for (int i = 0; i < length(); i++) zeros += packed.code(i) == 0 ? 1 : 0;
        return zeros;
    }

    /**
     * Copies every weight's code (row-major) into {@code dst}, of exactly {@link #length()} ints: with
     * {@link #changedCodeCount}, the codes that changed between two points of training. No allocation.
     */
    public void copyCodes(int[] dst) {
        if (dst.length != length()) {
            throw new IllegalArgumentException("code buffer holds " + dst.length + " ints, the storage " + length() + " codes");
        }
        if (copy != null) copy.copyCodes(dst);
        else packed.unpackTo(dst);
    }

    /** How many codes differ from {@code previous}, an earlier {@link #copyCodes}. No allocation. */
    public int changedCodeCount(int[] previous) {
        if (previous.length != length()) {
            throw new IllegalArgumentException("code buffer holds " + previous.length + " ints, the storage " + length() + " codes");
        }
        if (copy != null) return copy.changedCodes(previous);
        int changed = 0;
        for (int i = 0; i < previous.length; i++) changed += packed.code(i) != previous[i] ? 1 : 0;
        return changed;
    }

    /** Codes that did not fit their packed field and live in the overflow table (fixed grid only). */
    public int overflowCount() {
        ensurePacked();
        return packed.overflowCount();
    }

    /** Weights clamped to the range by the last encode or {@link #applyUpdate}. */
    public long lastClippedCount() {
        return lastClipped;
    }

    /** Counters of the last {@link #applyUpdate}. */
    public UpdateStats lastUpdate() {
        return last;
    }

    /** Counters summed over every {@link #applyUpdate} since construction. */
    public UpdateStats totalUpdates() {
        return total;
    }

    @Override
    public long version() {
        return version;
    }

    /** Dequantizes one code of row {@code row}. */
    public float dequantize(long code, int row) {
        return grid.dequantize(code, row);
    }

    /**
     * Bit-identical to {@code dequantize(code(i), row)} for every element: a copy of the decoded view when
     * it exists, else the packed fields decoded ({@link PackedCodes#decodeRows}).
     */
    @Override
    public void decodeRows(int row0, int count, float[] dst, int dstOff) {
        checkRows(row0, count);
        if (count == 0) return;
        if (copy != null) {
            System.arraycopy(copy.values, row0 * cols, dst, dstOff, count * cols);
            return;
        }
        packed.decodeRows(grid, cols, row0, count, dst, dstOff);
    }

    /** One {@link #code} and one {@link #dequantize} per element: the reference the fast decoders are tested against. */
    void decodeRowsReference(int row0, int count, float[] dst, int dstOff) {
        checkRows(row0, count);
        ensurePacked();
        packed.decodeRowsReference(grid, cols, row0, count, dst, dstOff);
    }

    /** The decoded view's values while it exists (read-only for callers), else null. */
    @Override
    public float[] floatView() {
        return copy == null ? null : copy.values;
    }

    /** Creates the decoded view if it does not exist (see the class comment); it then follows every change. */
    public void enableDecodedView() {
        if (copy != null) return;
        DecodedCopy c = new DecodedCopy(length());
        readCopy(c);
        copy = c;
    }

    /** Packs the view's codes if needed and releases the view: inference then decodes the stored codes. */
    public void dropDecodedView() {
        ensurePacked();
        copy = null;
    }

    /** Recalibrates the step (and zero point) from {@code values}, then quantizes them. */
    @Override
    public void encodeFrom(float[] values) {
        encodeFrom(values, null);
    }

    /**
     * As {@link #encodeFrom(float[])}; when {@code clippedOut} is given, sets {@code clippedOut[i]} to
     * whether weight {@code i}'s rounded code lay outside the range and was clamped (the STE mask).
     */
    public void encodeFrom(float[] values, boolean[] clippedOut) {
        checkLength(values.length);
        StepCalibration.calibrate(grid, values, 1.0);
        quantizeAll(values, clippedOut);
    }

    /**
     * As {@link #encodeFrom(float[])} but the calibrated range is widened {@code headroom} times (the
     * extremes, or for minmax both ends, times the factor): the storage training mode's start, where the
     * step is then frozen and weights that later grow past it would clip. A factor of 2 spends one bit of
     * resolution to let every weight double; 1 is plain {@code encodeFrom}. No effect on the fixed grid.
     */
    public void encodeWithHeadroom(float[] values, double headroom) {
        if (!(headroom >= 1) || Double.isInfinite(headroom)) {
            throw new IllegalArgumentException("calibration headroom must be a finite factor ≥ 1, got " + headroom);
        }
        checkLength(values.length);
        StepCalibration.calibrate(grid, values, headroom);
        quantizeAll(values, null);
    }

    /**
     * Quantizes {@code values} with the current step and zero point (no recalibration): values beyond the
     * range are clamped, counted in {@link #lastClippedCount()} and flagged in {@code clippedOut} if given.
     */
    public void encodeKeepingScale(float[] values, boolean[] clippedOut) {
        checkLength(values.length);
        quantizeAll(values, clippedOut);
    }

    /** The reference quantizer: every value in index order, rounded, clamped and stored packed. */
    private void quantizeAll(float[] values, boolean[] clippedOut) {
        packed.beginRewrite();
        long clipped = 0;
        for (int i = 0; i < values.length; i++) {
            int r = i / cols;
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("cannot quantize non-finite weight " + values[i] + " at index " + i);
            }
            long q = rounding.round(grid.realCode(values[i], r), rng) + grid.zeroPoint(r);
            boolean clip = q < grid.qmin || q > grid.qmax;
            if (clip) {
                q = Math.max(grid.qmin, Math.min(grid.qmax, q));
                clipped++;
            }
            if (clippedOut != null) clippedOut[i] = clip;
            packed.store(i, q);
        }
        packed.endRewrite();
        packedBehind = false;
        if (copy != null) copy.readFrom(packed, grid, rows, cols);
        recordEncode(clipped);
    }

    /**
     * Re-quantizes {@code decode(w) + delta} with this storage's rounding, the step kept fixed; records
     * {@link #lastUpdate()}. Works on the decoded view (created by the first update if needed). See
     * {@link StorageUpdate} for the arithmetic, the counters and the order of the sums.
     *
     * @throws IllegalArgumentException for a non-finite delta, before anything changes
     */
    @Override
    public void applyUpdate(float[] delta) {
        checkLength(delta.length);
        enableDecodedView();
        UpdateStats stats = update.apply(delta, copy, rng, describe());
        packedBehind = true;
        lastClipped = stats.clipped();
        last = stats;
        total = total.plus(stats);
        version++;
    }

    /**
     * Replaces every code, step and zero point with the given ones (a saved state dict being loaded): the
     * storage then decodes, packs and sizes exactly as the one they were read from. Nothing is rounded or
     * calibrated; the update counters are kept, and a decoded view, if any, follows the new codes.
     *
     * @param codes      row-major, each in [{@link #minCode()}, {@link #maxCode()}]
     * @param steps      one per row when per-channel, else one; none for the fixed grid (its step is implied)
     * @param zeroPoints as many as {@code steps} for minmax, in the code range; none otherwise
     * @throws IllegalArgumentException naming the first value that does not fit; the storage is then unchanged
     */
    public void loadCodes(long[] codes, float[] steps, int[] zeroPoints) {
        checkLength(codes.length);
        long qmin = grid.qmin, qmax = grid.qmax;
        if (steps.length != grid.scales.length) {
            throw new IllegalArgumentException(describe() + " storage " + rows + "x" + cols + " takes " + grid.scales.length + " steps, got " + steps.length);
        }
        if (zeroPoints.length != grid.zeroPoints.length) {
            throw new IllegalArgumentException(describe() + " storage " + rows + "x" + cols + " takes " + grid.zeroPoints.length
                    + " zero points, got " + zeroPoints.length);
        }
        for (int g = 0; g < steps.length; g++) {
            if (!(steps[g] > 0) || !Float.isFinite(steps[g])) throw new IllegalArgumentException("step " + g + " is " + steps[g] + ", not a positive number");
        }
        for (int g = 0; g < zeroPoints.length; g++) {
            if (zeroPoints[g] < qmin || zeroPoints[g] > qmax) {
                throw new IllegalArgumentException("zero point " + g + " is " + zeroPoints[g] + ", outside the codes [" + qmin + ", " + qmax + "]");
            }
        }
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < qmin || codes[i] > qmax) {
                throw new IllegalArgumentException("code " + codes[i] + " at index " + i + " is outside " + describe() + "'s codes [" + qmin + ", " + qmax + "]");
            }
        }
        System.arraycopy(steps, 0, grid.scales, 0, steps.length);
        System.arraycopy(zeroPoints, 0, grid.zeroPoints, 0, zeroPoints.length);
        packed.beginRewrite();
        for (int i = 0; i < codes.length; i++) packed.store(i, codes[i]);
        packed.endRewrite();
        packedBehind = false;
        if (copy != null) copy.readFrom(packed, grid, rows, cols);
        recordEncode(0);
    }

    @Override
    public long sizeInBytes() {
        ensurePacked();
        return packed.sizeInBytes() + 4L * grid.scales.length + 4L * grid.zeroPoints.length;
    }

    @Override
    public String describe() {
        return "int" + bits() + (perChannel() ? " per-channel " : " per-tensor ") + policy().token() + " "
                + rounding.token();
    }

    // ------------------------------------------------------------------ for FakeQuantView and the update

    CodeGrid grid() {
        return grid;
    }

    /** The stochastic rounding stream (null for the other modes). */
    Rng rng() {
        return rng;
    }

    /** Overwrites {@code c} with the current codes and their decode. */
    void readCopy(DecodedCopy c) {
        ensurePacked();
        c.readFrom(packed, grid, rows, cols);
    }

    /** Replaces the packed codes by {@code codes} (a view's); the decoded view, if any, is refreshed. */
    void packFrom(int[] codes) {
        packed.packFrom(codes);
        packedBehind = false;
        if (copy != null) copy.readFrom(packed, grid, rows, cols);
    }

    /** An encode changed the codes: {@code clipped} weights were clamped. */
    void recordEncode(long clipped) {
        lastClipped = clipped;
        version++;
    }

    void checkLength(int n) {
        if (n != rows * cols) {
            throw new IllegalArgumentException(describe() + " storage " + rows + "x" + cols + " given " + n + " values");
        }
    }

    private void checkRows(int row0, int count) {
        if (row0 < 0 || count < 0 || row0 + count > rows) {
            throw new IndexOutOfBoundsException("rows [" + row0 + ", " + (row0 + count) + ") of " + rows);
        }
    }

    /** Builds the packed words and overflow table from the decoded view's codes, if they are behind. */
    private void ensurePacked() {
        if (!packedBehind) return;
        packed.packFrom(copy.codes);
        packedBehind = false;
    }

    // ------------------------------------------------------------------ state
    // Configuration, rebuilt by construction and checked on restore: the shape and the scheme (bit width,
    // policy, per-channel, rounding, layout — all in describe(), octal digits included), and with them the
    // code range, the word count and the number of steps. State: the packed codes, the steps and zero
    // points (calibrated from the weights), the overflow table, the rounding generator, the version and
    // clip counters, the update statistics, and whether the state is a FakeQuantView's ("fakeQuantView").
    // The decoded view is not saved: by contract it is the decode of the packed codes, so restore rebuilds
    // it (if this storage keeps one).

    @Override
    public void saveState(StateWriter out) {
        writeState(out, false);
    }

    /** The entries of {@link #saveState}; {@code fakeQuantView}: written for a {@link FakeQuantView}. */
    void writeState(StateWriter out, boolean fakeQuantView) {
        ensurePacked(); // the packed words may lag the decoded view; building them changes no value
        out.putInts("shape", new int[] {rows, cols});
        out.putString("scheme", describe());
        out.putLongs("words", packed.words);
        out.putFloats("scales", grid.scales);
        out.putInts("zeroPoints", grid.zeroPoints);
        out.put("overflow", packed.overflow);
        if (rng != null) out.put("rng", rng);
        out.putLong("version", version);
        out.putLong("lastClipped", lastClipped);
        putStats(out.under("lastUpdate"), last);
        putStats(out.under("totalUpdates"), total);
        out.putBoolean("fakeQuantView", fakeQuantView);
    }

    @Override
    public void restoreState(StateReader in) {
        in.expect("scheme", describe(), "storage");
        in.expect("shape", new int[] {rows, cols}, "storage");
        in.readInto("words", packed.words);
        in.readInto("scales", grid.scales);
        in.readInto("zeroPoints", grid.zeroPoints);
        in.restore("overflow", packed.overflow);
        if (!packed.overflowMatchesEscapes()) {
            throw in.mismatch("overflow.index", "lists " + packed.overflowCount() + " entries, which do not match the "
                    + packed.escapedCount() + " escaped codes in 'words'");
        }
        if (rng != null) in.restore("rng", rng);
        version = in.longValue("version");
        lastClipped = in.longValue("lastClipped");
        last = readStats(in.under("lastUpdate"));
        total = readStats(in.under("totalUpdates"));
        in.booleanValue("fakeQuantView"); // present in every saved storage; the view itself is rebuilt by its owner
        packedBehind = false;
        if (copy != null) copy.readFrom(packed, grid, rows, cols);
    }

    private static void putStats(StateWriter out, UpdateStats s) {
        out.putLongs("counts", new long[] {s.weights(), s.applied(), s.lost(), s.crossed(), s.clipped()});
        out.putDoubles("sums", new double[] {s.requested(), s.realized()});
    }

    private static UpdateStats readStats(StateReader in) {
        long[] c = in.longs("counts");
        double[] d = in.doubles("sums");
        if (c.length != 5) throw in.mismatch("counts", "holds " + c.length + " counters, expected 5");
        if (d.length != 2) throw in.mismatch("sums", "holds " + d.length + " sums, expected 2");
        return new UpdateStats(c[0], c[1], c[2], c[3], c[4], d[0], d[1]);
    }
}
