package octoquant.engine.kernels;

import java.util.Arrays;

/**
 * Whole-array passes of the training step that would otherwise run on the calling thread alone while the
 * others wait (zeroing a gradient buffer, adding a gradient or an update into place), split among
 * {@link Parallel}'s threads when the array is large enough. Every element is computed on its own, so
 * the result does not depend on the split.
 */
public final class ArrayPasses {
    /** Fewest floats worth a thread: below this a pass stays on the caller (about 32 KB each way). */
    static final int MIN_PER_THREAD = 1 << 13;

    private ArrayPasses() {}

    /** {@code a[i] = 0} for every i. */
    public static void zero(float[] a) {
        Parallel.forRange(a.length, MIN_PER_THREAD, (s, e) -> Arrays.fill(a, s, e, 0f));
    }

    /**
     * {@code dst[i] = +0 + src[i]} for {@code i < dst.length} (src at least as long): the floats
     * {@link #addInto} leaves in a zeroed dst (a −0 becomes +0), without reading dst.
     */
    public static void addToZero(float[] dst, float[] src) {
        if (src.length < dst.length) {
            throw new IllegalArgumentException("addToZero: source has " + src.length + " floats, destination " + dst.length);
        }
        Parallel.forRange(dst.length, MIN_PER_THREAD, (s, e) -> {
            for (int i = s; i < e; i++) dst[i] = 0f + src[i];
        });
    }

    /** {@code dst[i] += src[i]} for {@code i < dst.length} (src at least as long). */
    public static void addInto(float[] dst, float[] src) {
        if (src.length < dst.length) {
            throw new IllegalArgumentException("addInto: source has " + src.length + " floats, destination " + dst.length);
        }
        Parallel.forRange(dst.length, MIN_PER_THREAD, (s, e) -> {
            for (int i = s; i < e; i++) dst[i] += src[i];
        });
    }
}
