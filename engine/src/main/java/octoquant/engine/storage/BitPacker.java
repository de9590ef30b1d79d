package octoquant.engine.storage;

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
        long m = mask(width);
        long acc = 0; // bits not yet written, little-endian: the next code goes at bit 'filled'
        int filled = 0, w = 0;
        for (int i = 0; i < codes.length; i++) {
            long v = codes[i] & 0xFFFFFFFFL;
            if ((v & ~m) != 0) throw new IllegalArgumentException("code " + v + " at index " + i + " does not fit in " + width + " bits");
            acc |= v << filled;
            filled += width;
            if (filled >= 64) {
                out[w++] = acc;
                filled -= 64;
                acc = filled == 0 ? 0 : v >>> (width - filled); // the part of v that spilled past the word
            }
        }
        if (filled > 0) out[w] = acc;
        return out;
    }

    /** Unpacks the first {@code n} codes. */
    public static int[] unpack(long[] words, int width, int n) {
        if (words.length < words(n, width)) {
            throw new IllegalArgumentException(n + " codes of " + width + " bits need " + words(n, width)
                    + " words, got " + words.length);
        }
        int[] out = new int[n];
        unpackRange(words, width, 0, n, out, 0);
        return out;
    }

    /**
     * Unpacks codes {@code [start, start + n)} into {@code out[outOff...]}: the bulk path of every decoder.
     * It reads a 64-bit window at a time — one word when the window is word-aligned, else the two words
     * around it combined without a branch (the second is shifted by 1 then by {@code 63 − offset}, which
     * gives 0 for an aligned window) — and takes {@code floor(64 / width)} whole codes out of each window
     * with constant shifts. The switch gives C2 a constant width per case so those inner loops unroll.
     * Codes whose window would need a word past the array's end go through {@link #get}.
     */
    public static void unpackRange(long[] words, int width, int start, int n, int[] out, int outOff) {
        checkWidth(width);
        if (n < 0 || start < 0 || outOff < 0 || outOff + n > out.length) {
            throw new IndexOutOfBoundsException("codes [" + start + ", " + (start + n) + ") into " + out.length + " ints from " + outOff);
        }
        int done;
        switch (width) {
            case 2: done = windows(words, 2, start, n, out, outOff); break;
            case 3: done = windows(words, 3, start, n, out, outOff); break;
            case 4: done = windows(words, 4, start, n, out, outOff); break;
            case 5: done = windows(words, 5, start, n, out, outOff); break;
            case 6: done = windows(words, 6, start, n, out, outOff); break;
            case 7: done = windows(words, 7, start, n, out, outOff); break;
            case 8: done = windows(words, 8, start, n, out, outOff); break;
            case 9: done = windows(words, 9, start, n, out, outOff); break;
            case 10: done = windows(words, 10, start, n, out, outOff); break;
            default: done = windows(words, width, start, n, out, outOff); break;
        }
        for (int i = done; i < n; i++) out[outOff + i] = get(words, width, start + i);
    }

    /** The window loop of {@link #unpackRange}; returns how many codes it unpacked (a prefix). */
    private static int windows(long[] words, int width, int start, int n, int[] out, int outOff) {
        int perWindow = 64 / width;
        long mask = mask(width);
        long bit = (long) start * width;
        long windowBits = (long) perWindow * width;
        // a window starting at bit b reads words b/64 and b/64 + 1: both must exist
        long lastStart = 64L * (words.length - 1) - 1;
        int i = 0;
        for (; i + perWindow <= n && bit <= lastStart; i += perWindow, bit += windowBits) {
            int w = (int) (bit >>> 6);
            int s = (int) bit & 63;
            long v = (words[w] >>> s) | ((words[w + 1] << 1) << (63 - s));
            int o = outOff + i;
            for (int k = 0; k < perWindow; k++) {
                out[o + k] = (int) (v & mask);
                v >>>= width;
            }
        }
        return i;
    }

    private static long mask(int width) {
        return width == 64 ? -1L : (1L << width) - 1;
    }

    private static void checkWidth(int width) {
        if (width < 1 || width > 32) throw new IllegalArgumentException("bit width must be 1..32, got " + width);
    }
}
