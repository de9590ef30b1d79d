package octoquant.engine.quant;

/**
 * Packs unsigned codes of a fixed bit width (1…32) back to back into {@code long} words, little-endian
 * within a word; a code may straddle two words. Nothing is wasted between codes; the last word is
 * padded, so a packed array of {@code n} codes of {@code w} bits holds {@code 8·ceil(n·w/64)} bytes.
 */
public final class BitPacker {
    private BitPacker() {}

    /** Number of words that hold {@code n} codes of {@code width} bits. */
    public static int words(int n, int width) {
        checkWidth(width);
        if (n < 0) throw new IllegalArgumentException("negative code count " + n);
        return (int) (((long) n * width + 63) >>> 6);
    }

    /** Bytes really held for {@code n} codes of {@code width} bits (the words, padding included). */
    public static long bytes(int n, int width) {
        return 8L * words(n, width);
    }

    /** Reads code {@code i}. */
    public static int get(long[] words, int width, int i) {
        long bit = (long) i * width;
        int w = (int) (bit >>> 6);
        int off = (int) (bit & 63);
        long v = words[w] >>> off;
        if (off + width > 64) v |= words[w + 1] << (64 - off);
        return (int) (v & mask(width));
    }

    /** Writes code {@code i}; {@code value} must fit in {@code width} bits (unsigned). */
    public static void set(long[] words, int width, int i, int value) {
        long m = mask(width);
        long v = value & 0xFFFFFFFFL;
        if ((v & ~m) != 0) {
            throw new IllegalArgumentException("code " + v + " does not fit in " + width + " bits");
        }
        long bit = (long) i * width;
        int w = (int) (bit >>> 6);
        int off = (int) (bit & 63);
        words[w] = (words[w] & ~(m << off)) | (v << off);
        if (off + width > 64) {
            int spill = 64 - off; // bits already written into word w
            long hiMask = m >>> spill;
            words[w + 1] = (words[w + 1] & ~hiMask) | (v >>> spill);
        }
    }

    /** Packs all of {@code codes} (each must fit in {@code width} bits). */
    public static long[] pack(int[] codes, int width) {
        long[] out = new long[words(codes.length, width)];
        for (int i = 0; i < codes.length; i++) set(out, width, i, codes[i]);
        return out;
    }

    /** Unpacks the first {@code n} codes. */
    public static int[] unpack(long[] words, int width, int n) {
        if (words.length < words(n, width)) {
            throw new IllegalArgumentException(n + " codes of " + width + " bits need " + words(n, width)
                    + " words, got " + words.length);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = get(words, width, i);
        return out;
    }

    private static long mask(int width) {
        return width == 64 ? -1L : (1L << width) - 1;
    }

    private static void checkWidth(int width) {
        if (width < 1 || width > 32) throw new IllegalArgumentException("bit width must be 1..32, got " + width);
    }
}
