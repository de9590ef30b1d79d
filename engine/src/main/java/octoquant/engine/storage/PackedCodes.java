package octoquant.engine.storage;

import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.kernels.Parallel;

/**
 * The stored form of a quantized tensor's codes: one field of {@link CodeLayout#width()} bits per weight,
 * packed back to back by {@link BitPacker} (row-major, the last word padded with zeros), and the sparse
 * {@link OverflowTable} of codes that do not fit their field (their field holds the layout's escape).
 * These words and entries are what {@code sizeInBytes()} counts. Decoding to fp32 goes through a
 * {@link CodeGrid}: {@link #decodeRows} is bit-identical to {@code grid.dequantize(code(i), row)} for every
 * element.
 */
final class PackedCodes {
    /** Elements from which {@link #decodeRows} splits the rows over {@link Parallel}'s threads. */
    private static final int PARALLEL_DECODE_MIN = 1 << 15;
    /** Ints unpacked at a time by {@link #decodeRows}: 4 KiB of scratch per call, whatever the fan-in. */
    private static final int DECODE_CHUNK = 1024;

    private final CodeLayout layout;
    private final int n;
    final long[] words;
    final OverflowTable overflow = new OverflowTable();

    PackedCodes(CodeLayout layout, int n) {
        this.layout = layout;
        this.n = n;
        this.words = new long[BitPacker.words(n, layout.width())];
    }

    /** Bits of one field. */
    int width() {
        return layout.width();
    }

    /** The code of weight {@code i}. */
    long code(int i) {
        int field = BitPacker.get(words, layout.width(), i);
        return field == layout.escape() ? overflow.codeOf(i) : layout.unpack(field);
    }

    /** Starts a rewrite of every code: {@link #store} must then be called for every index, in increasing order. */
    void beginRewrite() {
        overflow.clear();
    }

    /** Writes the code of weight {@code i} during a rewrite (inline, or the escape and an overflow entry). */
    void store(int i, long q) {
        int width = layout.width();
        if (layout.fits(q)) {
            BitPacker.set(words, width, i, layout.pack(q));
        } else {
            BitPacker.set(words, width, i, layout.escape());
            overflow.append(i, Math.toIntExact(q));
        }
    }

    /** Ends a rewrite: the overflow table then holds exactly its entries (what {@link #sizeInBytes} counts). */
    void endRewrite() {
        overflow.trim();
    }

    /** Re-encodes every code from {@code codes} (one per weight), a word at a time; the overflow table is rebuilt. */
    void packFrom(int[] codes) {
        overflow.clear();
        int width = layout.width(), escape = layout.escape(), w = 0, filled = 0;
        boolean offset = layout.isOffset();
        long min = offset ? layout.offset() : 0, acc = 0;
        for (int i = 0; i < n; i++) {
            int q = codes[i];
            long field;
            if (offset) {
                field = q - min; // offset layouts cover every code of their scheme
            } else if (layout.fits(q)) {
                field = layout.pack(q);
            } else {
                field = escape;
                overflow.append(i, q);
            }
            acc |= field << filled;
            filled += width;
            if (filled >= 64) {
                words[w++] = acc;
                filled -= 64;
                acc = filled == 0 ? 0 : field >>> (width - filled); // the part of the field past the word
            }
        }
        if (filled > 0) words[w] = acc;
        overflow.trim();
    }

    /** Every weight's code into {@code dst}. */
    void unpackTo(int[] dst) {
        int width = layout.width();
        BitPacker.unpackRange(words, width, 0, n, dst, 0);
        if (layout.isOffset()) {
            int min = (int) layout.offset();
            for (int i = 0; i < n; i++) dst[i] += min;
            return;
        }
        int escape = layout.escape();
        for (int i = 0; i < n; i++) dst[i] = dst[i] == escape ? 0 : (int) layout.unpack(dst[i]);
        for (int p = 0; p < overflow.size(); p++) dst[overflow.indexAt(p)] = overflow.codeAt(p);
    }

    /** Codes in the overflow table. */
    int overflowCount() {
        return overflow.size();
    }

    /** The packed words (padding included) and the overflow entries. */
    long sizeInBytes() {
        return 8L * words.length + overflow.sizeInBytes();
    }

    /** Whether every escaped field has its overflow entry and every entry its escaped field; else the escaped count is reported. */
    int escapedCount() {
        int escape = layout.escape(), escaped = 0;
        if (escape >= 0) {
            for (int i = 0; i < n; i++) if (BitPacker.get(words, layout.width(), i) == escape) escaped++;
        }
        return escaped;
    }

    /** Whether the overflow table lists exactly the escaped fields (so decoding cannot fail later). */
    boolean overflowMatchesEscapes() {
        boolean consistent = escapedCount() == overflow.size();
        for (int p = 0; consistent && p < overflow.size(); p++) {
            int i = overflow.indexAt(p);
            consistent = i >= 0 && i < n && BitPacker.get(words, layout.width(), i) == layout.escape();
        }
        return consistent;
    }

    /**
     * Decodes rows {@code [row0, row0 + count)} of a {@code cols}-wide tensor, 64-bit windows of packed
     * fields at a time ({@link FieldDecoding}): the affine map for offset layouts and a shared table for the
     * fixed grid's sign-magnitude fields (integer and octal layouts alike) are fused with the unpacking;
     * fixed-grid fields wider than {@link FieldDecoding#MAX_TABLE_WIDTH} bits are unpacked, then divided.
     * Overflow escapes decode as 0 there and are patched afterwards from the overflow table, so the common
     * path never checks for them. Large ranges are split by rows over {@link Parallel}'s threads (each
     * element is decoded on its own, so the split cannot change a bit). Layouts without a fast form go
     * through {@link #decodeRowsReference}.
     */
    void decodeRows(CodeGrid grid, int cols, int row0, int count, float[] dst, int dstOff) {
        if (!layout.isOffset() && !(layout.isSignMagnitude() && grid.fixed())) {
            decodeRowsReference(grid, cols, row0, count, dst, dstOff);
            return;
        }
        float[] table = !layout.isOffset() && layout.width() <= FieldDecoding.MAX_TABLE_WIDTH
                ? FieldDecoding.fixedGridTable(layout.width(), grid.fixedDenominator) : null;
        if ((long) count * cols >= PARALLEL_DECODE_MIN) {
            Parallel.forRange(count, Math.max(1, PARALLEL_DECODE_MIN / 2 / cols),
                    (s, e) -> decodeRowsFast(grid, cols, row0 + s, e - s, dst, dstOff + s * cols, table));
        } else {
            decodeRowsFast(grid, cols, row0, count, dst, dstOff, table);
        }
        if (!layout.isOffset()) { // the escaped codes, in index order
            int first = row0 * cols, end = (row0 + count) * cols;
            for (int p = overflow.firstAtOrAfter(first); p < overflow.size() && overflow.indexAt(p) < end; p++) {
                int i = overflow.indexAt(p);
                dst[dstOff + i - first] = grid.dequantize(overflow.codeAt(p), i / cols);
            }
        }
    }

    /** The rows' fields decoded without the escape patch; {@code table} is null unless the fixed grid has one. */
    private void decodeRowsFast(CodeGrid grid, int cols, int row0, int count, float[] dst, int dstOff, float[] table) {
        int width = layout.width();
        int[] fields = layout.isOffset() || table != null ? null : new int[Math.min(cols, DECODE_CHUNK)];
        for (int r = row0; r < row0 + count; r++) {
            int base = r * cols, out = dstOff + (r - row0) * cols;
            if (layout.isOffset()) {
                int g = grid.group(r);
                float scale = grid.scales[g];
                int shift = (int) layout.offset() - grid.groupZeroPoint(g);
                int done = VectorizationProvider.get().quantKernels().affine(words, width, base, cols, shift, scale, dst, out);
                done += FieldDecoding.affineFused(words, width, base + done, cols - done, shift, scale, dst, out + done);
                for (int c = done; c < cols; c++) dst[out + c] = (BitPacker.get(words, width, base + c) + shift) * scale;
            } else if (table != null) {
                int done = FieldDecoding.tableFused(words, width, base, cols, table, dst, out);
                for (int c = done; c < cols; c++) dst[out + c] = table[BitPacker.get(words, width, base + c)];
            } else {
                for (int c0 = 0; c0 < cols; c0 += fields.length) {
                    int m = Math.min(fields.length, cols - c0);
                    BitPacker.unpackRange(words, width, base + c0, m, fields, 0);
                    FieldDecoding.signMagnitudeDivide(fields, m, width, grid.fixedDenominator, dst, out + c0);
                }
            }
        }
    }

    /**
     * The straightforward decoder: one {@link #code} and one {@link CodeGrid#dequantize} per element. The
     * reference the fast {@link #decodeRows} is tested against, and the path of layouts it has no fast
     * form for.
     */
    void decodeRowsReference(CodeGrid grid, int cols, int row0, int count, float[] dst, int dstOff) {
        for (int r = row0; r < row0 + count; r++) {
            int out = dstOff + (r - row0) * cols;
            for (int c = 0; c < cols; c++) dst[out + c] = grid.dequantize(code(r * cols + c), r);
        }
    }
}
