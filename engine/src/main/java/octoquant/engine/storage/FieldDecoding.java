package octoquant.engine.storage;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The second pass of {@link QuantizedStorage#decodeRows}: packed fields, already unpacked to ints by
 * {@link BitPacker#unpackRange}, become floats with exactly the arithmetic of the per-code reference
 * ({@link QuantizedStorage#dequantize}), with no branch per element, so the loops stay simple enough for
 * C2 to unroll (and, for the affine map, vectorize).
 *
 * <p>The fixed grid's value {@code (float) (code / (2^b − 1))} needs a double division; for fields up to
 * {@link #MAX_TABLE_WIDTH} bits it is read from a table indexed by the field itself (the escape "−0" maps
 * to 0 and is patched from the overflow table afterwards). Tables depend only on (field width, b), are
 * shared by every storage of that scheme and are not part of any storage's {@code sizeInBytes()}.
 */
final class FieldDecoding {
    /** Widest sign-magnitude field decoded through a table: 2^13 floats, 32 KiB, stays in L2. */
    static final int MAX_TABLE_WIDTH = 13;

    private static final ConcurrentHashMap<Long, float[]> TABLES = new ConcurrentHashMap<>();

    private FieldDecoding() {}

    /**
     * Fused unpack and affine map, {@code dst[off + k] = (field(start + k) + shift) · scale}, for
     * offset-binary codes (maxabs, minmax), 64-bit windows at a time as in {@link BitPacker#unpackRange}.
     * Each common width calls the window loop with a literal width, so C2 sees constant shifts and a
     * constant inner trip count. Returns how many fields it decoded (a prefix of n): the caller finishes
     * the rest, whose window would read past the last word.
     */
    static int affineFused(long[] words, int width, int start, int n, int shift, float scale, float[] dst, int off) {
        switch (width) {
            case 2: return affineWindows(words, 2, start, n, shift, scale, dst, off);
            case 3: return affineWindows(words, 3, start, n, shift, scale, dst, off);
            case 4: return affineWindows(words, 4, start, n, shift, scale, dst, off);
            case 5: return affineWindows(words, 5, start, n, shift, scale, dst, off);
            case 6: return affineWindows(words, 6, start, n, shift, scale, dst, off);
            case 7: return affineWindows(words, 7, start, n, shift, scale, dst, off);
            case 8: return (start & 7) == 0 ? affineBytes(words, start, n, shift, scale, dst, off)
                    : affineWindows(words, 8, start, n, shift, scale, dst, off);
            default: return affineWindows(words, width, start, n, shift, scale, dst, off);
        }
    }

    /**
     * 8-bit fields from a word boundary (every row of an 8-bit weight whose fan-in is a multiple of 8):
     * one word, eight constant byte shifts (a special case: {@code docs/decisions.md}).
     */
    private static int affineBytes(long[] words, int start, int n, int shift, float scale, float[] dst, int off) {
        int w = start >>> 3, i = 0;
        for (; i + 8 <= n; i += 8, w++) {
            long v = words[w];
            int o = off + i;
            dst[o] = ((int) (v & 0xFF) + shift) * scale;
            dst[o + 1] = ((int) ((v >>> 8) & 0xFF) + shift) * scale;
            dst[o + 2] = ((int) ((v >>> 16) & 0xFF) + shift) * scale;
            dst[o + 3] = ((int) ((v >>> 24) & 0xFF) + shift) * scale;
            dst[o + 4] = ((int) ((v >>> 32) & 0xFF) + shift) * scale;
            dst[o + 5] = ((int) ((v >>> 40) & 0xFF) + shift) * scale;
            dst[o + 6] = ((int) ((v >>> 48) & 0xFF) + shift) * scale;
            dst[o + 7] = ((int) (v >>> 56) + shift) * scale;
        }
        return i;
    }

    private static int affineWindows(long[] words, int width, int start, int n, int shift, float scale,
                                     float[] dst, int off) {
        int perWindow = 64 / width;
        long mask = (1L << width) - 1;
        long bit = (long) start * width, windowBits = (long) perWindow * width;
        long lastStart = 64L * (words.length - 1) - 1; // a window reads words bit/64 and bit/64 + 1
        int i = 0;
        for (; i + perWindow <= n && bit <= lastStart; i += perWindow, bit += windowBits) {
            int w = (int) (bit >>> 6), s = (int) bit & 63;
            long v = (words[w] >>> s) | ((words[w + 1] << 1) << (63 - s));
            int o = off + i;
            for (int k = 0; k < perWindow; k++) {
                dst[o + k] = ((int) (v & mask) + shift) * scale;
                v >>>= width;
            }
        }
        return i;
    }

    /**
     * Fused unpack and table lookup, {@code dst[off + k] = table[field(start + k)]}: the fixed grid's
     * sign-magnitude fields (integer and octal layouts: 3 to 13 bits). Returns the prefix decoded, as
     * {@link #affineFused}.
     */
    static int tableFused(long[] words, int width, int start, int n, float[] table, float[] dst, int off) {
        switch (width) {
            case 3: return tableWindows(words, 3, start, n, table, dst, off);
            case 4: return tableWindows(words, 4, start, n, table, dst, off);
            case 5: return tableWindows(words, 5, start, n, table, dst, off);
            case 7: return tableWindows(words, 7, start, n, table, dst, off);
            case 9: return tableWindows(words, 9, start, n, table, dst, off);
            case 10: return tableWindows(words, 10, start, n, table, dst, off);
            default: return tableWindows(words, width, start, n, table, dst, off);
        }
    }

    private static int tableWindows(long[] words, int width, int start, int n, float[] table, float[] dst, int off) {
        int perWindow = 64 / width;
        long mask = (1L << width) - 1;
        long bit = (long) start * width, windowBits = (long) perWindow * width;
        long lastStart = 64L * (words.length - 1) - 1;
        int i = 0;
        for (; i + perWindow <= n && bit <= lastStart; i += perWindow, bit += windowBits) {
            int w = (int) (bit >>> 6), s = (int) bit & 63;
            long v = (words[w] >>> s) | ((words[w + 1] << 1) << (63 - s));
            int o = off + i;
            for (int k = 0; k < perWindow; k++) {
                dst[o + k] = table[(int) (v & mask)];
                v >>>= width;
            }
        }
        return i;
    }

    /** {@code dst[off + k] = (fields[k] + shift) · scale}: offset-binary codes (maxabs, minmax). */
    static void affine(int[] fields, int n, int shift, float scale, float[] dst, int off) {
        for (int k = 0; k < n; k++) dst[off + k] = (fields[k] + shift) * scale;
    }

    /**
     * Sign-magnitude fields of {@code width} bits on the fixed grid, {@code (float) (code / denominator)}
     * computed per element (fields too wide for a table). The escape decodes as 0, to be patched.
     */
    static void signMagnitudeDivide(int[] fields, int n, int width, double denominator, float[] dst, int off) {
        int magBits = width - 1, magMask = (1 << magBits) - 1;
        for (int k = 0; k < n; k++) {
            int f = fields[k];
            int negative = f >>> magBits; // 0 or 1
            int code = ((f & magMask) ^ -negative) + negative; // two's complement negation when negative
            dst[off + k] = (float) (code / denominator);
        }
    }

    /** The shared table of the fixed grid for sign-magnitude fields of {@code width} bits (≤ 13). */
    static float[] fixedGridTable(int width, double denominator) {
        if (width > MAX_TABLE_WIDTH) throw new IllegalArgumentException("no table for " + width + "-bit fields");
        long key = ((long) width << 32) | (long) denominator;
        return TABLES.computeIfAbsent(key, k -> {
            int magBits = width - 1;
            float[] table = new float[1 << width];
            for (int f = 0; f < table.length; f++) {
                long mag = f & ((1L << magBits) - 1);
                long code = (f >>> magBits) != 0 ? -mag : mag;
                table[f] = (float) (code / denominator); // the escape (−0) gives 0: patched by the caller
            }
            return table;
        });
    }
}
