package octoquant.engine.storage;

import octoquant.engine.kernels.Parallel;
import octoquant.engine.state.StateReader;
import octoquant.engine.state.StateWriter;
import octoquant.engine.state.Stateful;
import octoquant.engine.util.Rng;

/**
 * Integer codes, really packed ({@link BitPacker}), with a step per tensor or per output channel (row).
 * A weight is {@code code · step} ({@link ScalePolicy#FIXED}: {@code code / (2^b − 1)}, the seed's implied
 * dequantization), or {@code (code − zeroPoint) · step} for {@link ScalePolicy#MINMAX}.
 *
 * <p><b>Layouts.</b> {@code fixed}: sign-magnitude fields of b+1 bits (so ±(2^b − 1), all w in [−1, 1],
 * fit inline); the seed's grid is unbounded, so larger codes are written as the escape "−0" and kept in a
 * sparse {@link OverflowTable} (8 bytes each, counted in {@link #sizeInBytes()}, reported by
 * {@link #overflowCount()}). {@code maxabs}: offset-binary b-bit fields for codes in
 * [−(2^(b−1) − 1), 2^(b−1) − 1]. {@code minmax}: b-bit fields for codes in [0, 2^b − 1].
 *
 * <p><b>Updates.</b> {@link #encodeFrom} calibrates the step from the values it is given (max |w|, or
 * min/max with 0 included, per row or per tensor). {@link #applyUpdate} keeps the step as it is: with a
 * step that followed the weights, every update that moved the extreme weight would re-round every other
 * weight of the row, so storage-mode training would lose its meaning (the codes are the weights); values
 * that leave the range are clipped and counted. A row of zeros gets the step of the range [−1, 1].
 *
 * <p>Every {@link #applyUpdate} records {@link UpdateStats}: {@link #lastUpdate()} and
 * {@link #totalUpdates()}.
 */
public class QuantizedStorage implements WeightStorage, Stateful {
    private final int rows;
    private final int cols;
    private final int bits;
    private final ScalePolicy policy;
    private final boolean perChannel;
    private final RoundingMode rounding;
    private final Rng rng;
    private final CodeLayout layout;
    private final long qmin;
    private final long qmax;
    private final double fixedDenominator;
    private final long[] words;
    private final float[] scales;
    private final int[] zeroPoints;
    private OverflowTable overflow = new OverflowTable();
    private OverflowTable spareOverflow = new OverflowTable(); // empty; swapped in by applyUpdate
    private long version;
    private UpdateStats last = UpdateStats.NONE;
    private UpdateStats total = UpdateStats.NONE;
    private long lastClipped;
    // The fake-quantized view QAT's kernels read (null unless enableFakeQuantView was called): the
    // dequantized values and their codes, written by one fused pass per encode. The packed words and the
    // overflow table are then built from fakeCodes only when something reads them (packedStale).
    private float[] fakeValues;
    private int[] fakeCodes;
    private boolean packedStale;

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
        this.bits = bits;
        this.policy = policy;
        this.perChannel = perChannel;
        this.rounding = rounding;
        this.rng = rounding.needsRng() ? new Rng(seed) : null;
        this.fixedDenominator = (1L << bits) - 1;
        switch (policy) {
            case FIXED:
                qmin = Integer.MIN_VALUE;
                qmax = Integer.MAX_VALUE;
                layout = customLayout != null ? customLayout : CodeLayout.signMagnitude(bits);
                break;
            case MAXABS:
                qmax = (1L << (bits - 1)) - 1;
                qmin = -qmax;
                layout = customLayout != null ? customLayout : CodeLayout.offset(qmin, qmax, bits);
                break;
            case MINMAX:
                qmin = 0;
                qmax = (1L << bits) - 1;
                layout = customLayout != null ? customLayout : CodeLayout.offset(qmin, qmax, bits);
                break;
            default:
                throw new AssertionError(policy);
        }
        this.words = new long[BitPacker.words(Math.multiplyExact(rows, cols), layout.width())];
        int groups = perChannel ? rows : 1;
        this.scales = policy == ScalePolicy.FIXED ? new float[0] : new float[groups];
        this.zeroPoints = policy == ScalePolicy.MINMAX ? new int[groups] : new int[0];
        java.util.Arrays.fill(scales, defaultStep());
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
        return bits;
    }

    public ScalePolicy policy() {
        return policy;
    }

    public boolean perChannel() {
        return perChannel;
    }

    public RoundingMode rounding() {
        return rounding;
    }

    /** Bits of one packed field (b+1 for the fixed grid's sign-magnitude, b for maxabs/minmax). */
    public int fieldBits() {
        return layout.width();
    }

    /** The step (value of one code unit) for row {@code row}. */
    public double step(int row) {
        return policy == ScalePolicy.FIXED ? 1.0 / fixedDenominator : scales[group(row)];
    }

    /** The zero point of row {@code row} (0 unless minmax). */
    public int zeroPoint(int row) {
        return policy == ScalePolicy.MINMAX ? zeroPoints[group(row)] : 0;
    }

    /** Smallest and largest code this scheme stores (the int32 range for the unbounded fixed grid). */
    public long minCode() {
        return qmin;
    }

    public long maxCode() {
        return qmax;
    }

    /** The integer code of weight {@code i} (row-major). */
    public long code(int i) {
        ensurePacked();
        int field = BitPacker.get(words, layout.width(), i);
        return field == layout.escape() ? overflow.codeOf(i) : layout.unpack(field);
    }

    /** Codes that did not fit their packed field and live in the overflow table (fixed grid only). */
    public int overflowCount() {
        ensurePacked();
        return overflow.size();
    }

    /** Weights clamped to the range by the last {@link #encodeFrom} or {@link #applyUpdate}. */
    public long lastClippedCount() {
        return lastClipped;
    }

    /** Counters of the last {@link #applyUpdate}. */
    public UpdateStats lastUpdate() {
        return last;
    }

    /** Counters summed over every {@link #applyUpdate} since construction or {@link #resetCounters}. */
    public UpdateStats totalUpdates() {
        return total;
    }

    public void resetCounters() {
        last = UpdateStats.NONE;
        total = UpdateStats.NONE;
    }

    @Override
    public long version() {
        return version;
    }

    /** Dequantizes one code of row {@code row}. */
    public float dequantize(long code, int row) {
        switch (policy) {
            case FIXED:
                return (float) (code / fixedDenominator);
            case MAXABS:
                return code * scales[group(row)];
            default:
                return (code - zeroPoints[group(row)]) * scales[group(row)];
        }
    }

    /**
     * Decodes 64-bit windows of packed fields at a time ({@link FieldDecoding}): the affine map for
     * maxabs/minmax and a shared table for the fixed grid (integer and octal layouts alike) are fused with
     * the unpacking; fixed-grid fields wider than 13 bits are unpacked, then divided. Overflow escapes
     * decode as 0 there and are patched afterwards from the overflow table, so the common path never
     * checks for them. Large ranges are split by rows over {@link Parallel}'s threads. Bit-identical to
     * {@code dequantize(code(i), row)} for every element.
     */
    @Override
    public void decodeRows(int row0, int count, float[] dst, int dstOff) {
        if (row0 < 0 || count < 0 || row0 + count > rows) {
            throw new IndexOutOfBoundsException("rows [" + row0 + ", " + (row0 + count) + ") of " + rows);
        }
        if (count == 0) return;
        if (fakeValues != null) { // the view holds exactly the decoded values
            System.arraycopy(fakeValues, row0 * cols, dst, dstOff, count * cols);
            return;
        }
        if (!layout.isOffset() && !(layout.isSignMagnitude() && policy == ScalePolicy.FIXED)) {
            decodeRowsReference(row0, count, dst, dstOff);
            return;
        }
        float[] table = !layout.isOffset() && layout.width() <= FieldDecoding.MAX_TABLE_WIDTH
                ? FieldDecoding.fixedGridTable(layout.width(), fixedDenominator) : null;
        // every element is decoded on its own, so splitting the rows over threads cannot change a bit
        if ((long) count * cols >= PARALLEL_DECODE_MIN) {
            Parallel.forRange(count, Math.max(1, PARALLEL_DECODE_MIN / 2 / cols),
                    (s, e) -> decodeRowsFast(row0 + s, e - s, dst, dstOff + s * cols, table));
        } else {
            decodeRowsFast(row0, count, dst, dstOff, table);
        }
        if (!layout.isOffset()) { // the escaped codes, in index order
            int first = row0 * cols, end = (row0 + count) * cols;
            for (int p = overflow.firstAtOrAfter(first); p < overflow.size() && overflow.indexAt(p) < end; p++) {
                int i = overflow.indexAt(p);
                dst[dstOff + i - first] = dequantize(overflow.codeAt(p), i / cols);
            }
        }
    }

    /**
     * Switches this storage to keeping a fake-quantized fp32 view for QAT: from now on every full encode
     * ({@link #encodeFrom}, {@link #encodeKeepingScale}) quantizes and dequantizes in one fused pass into an
     * fp32 array that {@link #floatView()} returns, so the kernels read it in place with no per-tile decode;
     * the packed words and overflow table are built from the codes of that pass only when something reads
     * them ({@link #code}, {@link #sizeInBytes}, {@link #overflowCount}, {@link #applyUpdate}). Every value
     * of the view is bit-identical to {@code dequantize(code(i), row)}: the same calibration, rounding
     * (stochastic draws included, one per element in index order), clamping and dequantization. Costs
     * 8 bytes per weight beside the packed codes (not counted in {@link #sizeInBytes()}: it is QAT's working
     * copy, like the fp32 master). {@link #leaveFakeQuantView} drops it again.
     */
    public void enableFakeQuantView() {
        if (fakeValues != null) return;
        float[] values = decodeAll();
        int[] codes = new int[values.length];
        for (int i = 0; i < codes.length; i++) codes[i] = Math.toIntExact(code(i));
        fakeValues = values;
        fakeCodes = codes;
        packedStale = false;
    }

    /** Packs the current codes if needed and drops the fake-quantized view (inference, storage updates). */
    public void leaveFakeQuantView() {
        if (fakeValues == null) return;
        ensurePacked();
        fakeValues = null;
        fakeCodes = null;
    }

    /** The fake-quantized values when {@link #enableFakeQuantView} is on (read-only for callers), else null. */
    @Override
    public float[] floatView() {
        return fakeValues;
    }

    /** Builds the packed words and overflow table from the last fused pass's codes, if they are behind. */
    private void ensurePacked() {
        if (!packedStale) return;
        overflow.clear();
        int[] codes = fakeCodes;
        for (int i = 0; i < codes.length; i++) store(i, codes[i]);
        overflow.trim();
        packedStale = false;
    }

    /**
     * The fused quantize→dequantize pass of the fake-quantized view: for each weight, the reference's
     * arithmetic ({@link #quantizeAll}'s {@code round(realCode) + zeroPoint}, clamp, {@link #dequantize})
     * written out with the policy and rounding mode hoisted out of the loop and no packing.
     */
    private void fakeQuantizeAll(float[] values, boolean[] clippedOut, boolean recalibrate) {
        int n = values.length;
        int groups = policy == ScalePolicy.FIXED ? 1 : scales.length, perGroup = n / groups;
        // a per-channel group is calibrated right before it is quantized, while its row is in cache
        boolean calibrateInGroup = recalibrate && groups > 1;
        if (recalibrate && !calibrateInGroup) calibrate(values, 1.0);
        long clipped;
        if (rng != null || n < PARALLEL_FAKE_MIN) {
            // stochastic rounding draws in index order from one stream: sequential by contract
            clipped = 0;
            for (int g = 0; g < groups; g++) clipped += fakeQuantizeGroup(values, g, perGroup, recalibrate, calibrateInGroup, clippedOut);
        } else {
            // every element depends on its own weight and its group's step only, so any split over
            // threads gives the same bits; the clip count is an exact integer sum
            java.util.concurrent.atomic.LongAdder count = new java.util.concurrent.atomic.LongAdder();
            if (groups == 1) {
                Parallel.forRange(n, PARALLEL_FAKE_MIN / 2, (s, e) -> count.add(fakeQuantizeRange(values, s, e, policy == ScalePolicy.FIXED, groupScale(0), groupZeroPoint(0), clippedOut, recalibrate)));
            } else {
                Parallel.forRange(groups, Math.max(1, PARALLEL_FAKE_MIN / 2 / perGroup), (s, e) -> {
                    long c = 0;
                    for (int g = s; g < e; g++) c += fakeQuantizeGroup(values, g, perGroup, recalibrate, calibrateInGroup, clippedOut);
                    count.add(c);
                });
            }
            clipped = count.sum();
        }
        packedStale = true;
        lastClipped = clipped;
        version++;
    }

    /** Weights from which {@link #fakeQuantizeAll} splits the work over {@link Parallel}'s threads. */
    private static final int PARALLEL_FAKE_MIN = 1 << 14;

    private long fakeQuantizeGroup(float[] values, int g, int perGroup, boolean recalibrated, boolean calibrateFirst,
                                   boolean[] clippedOut) {
        if (calibrateFirst) calibrateGroup(values, g, perGroup, 1.0);
        return fakeQuantizeRange(values, g * perGroup, (g + 1) * perGroup, policy == ScalePolicy.FIXED,
                groupScale(g), groupZeroPoint(g), clippedOut, recalibrated);
    }

    private float groupScale(int g) {
        return policy == ScalePolicy.FIXED ? 0f : scales[g];
    }

    private int groupZeroPoint(int g) {
        return policy == ScalePolicy.MINMAX ? zeroPoints[g] : 0;
    }

    /**
     * One group's weights {@code [from, to)}; returns how many were clamped. {@code recalibrated}: the step
     * was just calibrated from these values (on the fixed grid there is no calibration, so it says nothing).
     */
    private long fakeQuantizeRange(float[] values, int from, int to, boolean fixed, float scale, int zp,
                                   boolean[] clippedOut, boolean recalibrated) {
        final double den = fixedDenominator, divisor = scale;
        final long lo = qmin, hi = qmax;
        final int mode = rounding.ordinal();
        final float[] out = fakeValues;
        final int[] codes = fakeCodes;
        // the vector kernel does a prefix with the same bits; this loop (the reference) finishes
        long prefix = rng != null ? (long) from << 32
                : QuantKernels.get().fakeQuantize(values, from, to, fixed, den, divisor, mode, lo, hi, zp, scale, out,
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

    private static final int NEAREST = RoundingMode.NEAREST_EVEN.ordinal();
    private static final int ZERO = RoundingMode.TOWARD_ZERO.ordinal();
    private static final int FLOOR = RoundingMode.FLOOR.ordinal();

    /** Elements from which {@link #decodeRows} splits the rows over {@link Parallel}'s threads. */
    private static final int PARALLEL_DECODE_MIN = 1 << 15;

    /** The rows' fields decoded without the escape patch; {@code table} is null unless the fixed grid has one. */
    private void decodeRowsFast(int row0, int count, float[] dst, int dstOff, float[] table) {
        int width = layout.width();
        int[] fields = layout.isOffset() || table != null ? null : new int[Math.min(cols, DECODE_CHUNK)];
        for (int r = row0; r < row0 + count; r++) {
            int base = r * cols, out = dstOff + (r - row0) * cols;
            if (layout.isOffset()) {
                int g = group(r);
                float scale = scales[g];
                int shift = (int) layout.offset() - (policy == ScalePolicy.MINMAX ? zeroPoints[g] : 0);
                int done = QuantKernels.get().affine(words, width, base, cols, shift, scale, dst, out);
                done += FieldDecoding.affineFused(words, width, base + done, cols - done, shift, scale, dst, out + done);
                for (int c = done; c < cols; c++) dst[out + c] = (BitPacker.get(words, width, base + c) + shift) * scale;
            } else if (table != null) {
                int done = FieldDecoding.tableFused(words, width, base, cols, table, dst, out);
                for (int c = done; c < cols; c++) dst[out + c] = table[BitPacker.get(words, width, base + c)];
            } else {
                for (int c0 = 0; c0 < cols; c0 += fields.length) {
                    int n = Math.min(fields.length, cols - c0);
                    BitPacker.unpackRange(words, width, base + c0, n, fields, 0);
                    FieldDecoding.signMagnitudeDivide(fields, n, width, fixedDenominator, dst, out + c0);
                }
            }
        }
    }

    /** Ints unpacked at a time by {@link #decodeRows}: 4 KiB of scratch per call, whatever the fan-in. */
    private static final int DECODE_CHUNK = 1024;

    /**
     * The straightforward decoder: one {@link #code} and one {@link #dequantize} per element. The
     * reference the fast {@link #decodeRows} is tested against, and the path of layouts it has no fast
     * form for.
     */
    void decodeRowsReference(int row0, int count, float[] dst, int dstOff) {
        if (row0 < 0 || count < 0 || row0 + count > rows) {
            throw new IndexOutOfBoundsException("rows [" + row0 + ", " + (row0 + count) + ") of " + rows);
        }
        for (int r = row0; r < row0 + count; r++) {
            int out = dstOff + (r - row0) * cols;
            for (int c = 0; c < cols; c++) dst[out + c] = dequantize(code(r * cols + c), r);
        }
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
        if (fakeValues != null) {
            fakeQuantizeAll(values, clippedOut, true);
            return;
        }
        calibrate(values, 1.0);
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
        leaveFakeQuantView();
        calibrate(values, headroom);
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

    private void quantizeAll(float[] values, boolean[] clippedOut) {
        if (fakeValues != null) {
            fakeQuantizeAll(values, clippedOut, false);
            return;
        }
        overflow.clear();
        long clipped = 0;
        for (int i = 0; i < values.length; i++) {
            int r = i / cols;
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("cannot quantize non-finite weight " + values[i] + " at index " + i);
            }
            long q = rounding.round(realCode(values[i], r), rng) + zeroPoint(r);
            boolean clip = q < qmin || q > qmax;
            if (clip) {
                q = Math.max(qmin, Math.min(qmax, q));
                clipped++;
            }
            if (clippedOut != null) clippedOut[i] = clip;
            store(i, q);
        }
        overflow.trim();
        lastClipped = clipped;
        version++;
    }

    /**
     * Re-quantizes {@code decode(w) + delta} with this storage's rounding, the step kept fixed; records
     * {@link #lastUpdate()}. The target code is computed as {@code code + delta/step} in double so that
     * a zero delta never moves a code under floor or toward-zero rounding.
     */
    @Override
    public void applyUpdate(float[] delta) {
        checkLength(delta.length);
        leaveFakeQuantView();
        int n = delta.length;
        // codes are read and rewritten in index order: the old overflow entries are read through a
        // cursor while the new table is built in the spare one
        OverflowTable old = overflow;
        overflow = spareOverflow;
        overflow.clear();
        int width = layout.width(), escape = layout.escape(), cursor = 0;
        long applied = 0, lost = 0, crossed = 0, clipped = 0;
        double requested = 0, realized = 0;
        for (int i = 0; i < n; i++) {
            int r = i / cols;
            int field = BitPacker.get(words, width, i);
            long q = field == escape ? old.codeAt(cursor++) : layout.unpack(field);
            double d = delta[i];
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("non-finite update " + d + " at index " + i + " of " + describe() + " storage");
            }
            // rounding acts on the real code relative to the zero point, so 'toward zero' and 'floor'
            // mean toward the real 0 and toward −∞ in the affine scheme as well
            int zp = zeroPoint(r);
            double x = (q - zp) + d / step(r);
            long nq = rounding.round(x, rng) + zp;
            if (nq < qmin || nq > qmax) {
                nq = Math.max(qmin, Math.min(qmax, nq));
                clipped++;
            }
            if (Math.abs(x - (q - zp)) >= 1) crossed++;
            if (nq != q) applied++;
            else if (d != 0) lost++;
            requested += Math.abs(d);
            realized += Math.abs((double) dequantize(nq, r) - dequantize(q, r));
            store(i, nq);
        }
        overflow.trim();
        old.clear();
        old.trim(); // the old entries are released: sizeInBytes() counts everything this storage holds
        spareOverflow = old;
        lastClipped = clipped;
        last = new UpdateStats(n, applied, lost, crossed, clipped, requested, realized);
        total = total.plus(last);
        version++;
    }

    /**
     * Replaces every code, step and zero point with the given ones (a saved state dict being loaded): the
     * storage then decodes, packs and sizes exactly as the one they were read from. Nothing is rounded or
     * calibrated; the update counters are kept.
     *
     * @param codes      row-major, each in [{@link #minCode()}, {@link #maxCode()}]
     * @param steps      one per row when per-channel, else one; none for the fixed grid (its step is implied)
     * @param zeroPoints as many as {@code steps} for minmax, in the code range; none otherwise
     * @throws IllegalArgumentException naming the first value that does not fit; the storage is then unchanged
     */
    public void loadCodes(long[] codes, float[] steps, int[] zeroPoints) {
        checkLength(codes.length);
        if (steps.length != scales.length) {
            throw new IllegalArgumentException(describe() + " storage " + rows + "x" + cols + " takes " + scales.length + " steps, got " + steps.length);
        }
        if (zeroPoints.length != this.zeroPoints.length) {
            throw new IllegalArgumentException(describe() + " storage " + rows + "x" + cols + " takes " + this.zeroPoints.length
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
        boolean view = fakeValues != null;
        fakeValues = null;
        fakeCodes = null;
        packedStale = false;
        System.arraycopy(steps, 0, scales, 0, steps.length);
        System.arraycopy(zeroPoints, 0, this.zeroPoints, 0, zeroPoints.length);
        overflow.clear();
        for (int i = 0; i < codes.length; i++) store(i, codes[i]);
        overflow.trim();
        lastClipped = 0;
        version++;
        if (view) enableFakeQuantView();
    }

    @Override
    public long sizeInBytes() {
        ensurePacked();
        return 8L * words.length + 4L * scales.length + 4L * zeroPoints.length + overflow.sizeInBytes();
    }

    @Override
    public String describe() {
        return "int" + bits + (perChannel ? " per-channel " : " per-tensor ") + policy.token() + " "
                + rounding.token();
    }

    // ------------------------------------------------------------------ state
    // Configuration, rebuilt by construction and checked on restore: the shape and the scheme (bit width,
    // policy, per-channel, rounding, layout — all in describe(), octal digits included), and with them
    // qmin/qmax, the word count and the number of steps. State: the packed codes, the steps and zero points
    // (calibrated from the weights), the overflow table, the rounding generator, the version and clip
    // counters, the update statistics, and whether the fake-quantized view is on. The view's arrays are not
    // saved: by contract they are the decode of the packed codes, so restore rebuilds them from those.
    // spareOverflow is always empty between calls: not state.

    @Override
    public void saveState(StateWriter out) {
        ensurePacked(); // the packed words are built lazily from the view's codes; building them changes no value
        out.putInts("shape", new int[] {rows, cols});
        out.putString("scheme", describe());
        out.putLongs("words", words);
        out.putFloats("scales", scales);
        out.putInts("zeroPoints", zeroPoints);
        out.put("overflow", overflow);
        if (rng != null) out.put("rng", rng);
        out.putLong("version", version);
        out.putLong("lastClipped", lastClipped);
        putStats(out.under("lastUpdate"), last);
        putStats(out.under("totalUpdates"), total);
        out.putBoolean("fakeQuantView", fakeValues != null);
    }

    @Override
    public void restoreState(StateReader in) {
        in.expect("scheme", describe(), "storage");
        in.expect("shape", new int[] {rows, cols}, "storage");
        fakeValues = null;
        fakeCodes = null;
        packedStale = false;
        in.readInto("words", words);
        in.readInto("scales", scales);
        in.readInto("zeroPoints", zeroPoints);
        in.restore("overflow", overflow);
        checkOverflowAgainstCodes(in);
        spareOverflow.clear();
        spareOverflow.trim();
        if (rng != null) in.restore("rng", rng);
        version = in.longValue("version");
        lastClipped = in.longValue("lastClipped");
        last = readStats(in.under("lastUpdate"));
        total = readStats(in.under("totalUpdates"));
        if (in.booleanValue("fakeQuantView")) enableFakeQuantView();
    }

    /** Every escaped field has its overflow entry and every entry its escaped field, so decoding cannot fail later. */
    private void checkOverflowAgainstCodes(StateReader in) {
        int n = rows * cols, escape = layout.escape(), escaped = 0;
        if (escape >= 0) {
            for (int i = 0; i < n; i++) if (BitPacker.get(words, layout.width(), i) == escape) escaped++;
        }
        boolean consistent = escaped == overflow.size();
        for (int p = 0; consistent && p < overflow.size(); p++) {
            int i = overflow.indexAt(p);
            consistent = i >= 0 && i < n && BitPacker.get(words, layout.width(), i) == escape;
        }
        if (!consistent) {
            throw in.mismatch("overflow.index", "lists " + overflow.size() + " entries, which do not match the "
                    + escaped + " escaped codes in 'words'");
        }
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

    /** The code before rounding, in double like numpy: w·(2^b − 1) on the fixed grid, else w/step. */
    private double realCode(float w, int row) {
        return policy == ScalePolicy.FIXED ? w * fixedDenominator : w / (double) scales[group(row)];
    }

    private void calibrate(float[] values, double headroom) {
        if (policy == ScalePolicy.FIXED) return;
        int groups = scales.length;
        int perGroup = values.length / groups;
        for (int g = 0; g < groups; g++) calibrateGroup(values, g, perGroup, headroom);
    }

    /** The step (and zero point) of group {@code g} from its values {@code [g·perGroup, (g+1)·perGroup)}. */
    private void calibrateGroup(float[] values, int g, int perGroup, double headroom) {
        {
            // 0 always included: zero must be exactly representable. Min/max order floats totally, so
            // the (vector) reduction's order does not matter; a non-finite weight is then named exactly.
            int from = g * perGroup, end = (g + 1) * perGroup;
            long pair = QuantKernels.get().minMaxWithZero(values, from, end);
            float lo = QuantKernels.low(pair), hi = QuantKernels.high(pair);
            if (!Float.isFinite(lo) || !Float.isFinite(hi)) {
                for (int i = from; i < end; i++) {
                    if (!Float.isFinite(values[i])) throw new IllegalArgumentException("cannot quantize non-finite weight " + values[i] + " at index " + i);
                }
            }
            lo = (float) (lo * headroom);
            hi = (float) (hi * headroom);
            if (policy == ScalePolicy.MAXABS) {
                float maxAbs = Math.max(-lo, hi);
                scales[g] = maxAbs == 0 ? defaultStep() : stepCovering(maxAbs, qmax);
            } else if (hi == lo) {
                scales[g] = defaultStep();
                zeroPoints[g] = (int) ((qmax + 1) / 2);
            } else {
                // The zero point is an integer, so rounding it shifts the grid; widen the step just enough
                // that both ends still fit: calibration itself never clips.
                long zp = Math.round(-lo / ((hi - (double) lo) / qmax));
                zp = Math.max(lo < 0 ? 1 : 0, Math.min(hi > 0 ? qmax - 1 : qmax, zp));
                float below = lo < 0 ? stepCovering(-lo, zp) : 0f;
                float above = hi > 0 ? stepCovering(hi, qmax - zp) : 0f;
                scales[g] = Math.max(below, above);
                zeroPoints[g] = (int) zp;
            }
        }
    }

    /** The smallest float step with {@code codes · step ≥ extent}, so the extreme weight is not clipped. */
    private static float stepCovering(float extent, long codes) {
        float step = (float) (extent / (double) codes);
        while (step * (double) codes < extent) step = Math.nextUp(step);
        return step;
    }

    /** The step of the range [−1, 1], used for rows with nothing to calibrate from. */
    private float defaultStep() {
        return policy == ScalePolicy.MINMAX ? (float) (2.0 / qmax) : (float) (1.0 / Math.max(1, qmax));
    }

    private void store(int i, long q) {
        int width = layout.width();
        if (layout.fits(q)) {
            BitPacker.set(words, width, i, layout.pack(q));
        } else {
            BitPacker.set(words, width, i, layout.escape());
            overflow.append(i, Math.toIntExact(q));
        }
    }

    private int group(int row) {
        return perChannel ? row : 0;
    }

    private void checkLength(int n) {
        if (n != rows * cols) {
            throw new IllegalArgumentException(describe() + " storage " + rows + "x" + cols + " given " + n + " values");
        }
    }
}
