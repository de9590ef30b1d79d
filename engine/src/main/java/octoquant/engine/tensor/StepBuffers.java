package octoquant.engine.tensor;

import octoquant.engine.kernels.ArrayPasses;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Buffers of graphs {@link Tensor#backward} has cut, kept per thread for the next step: the gradient
 * buffers of intermediate tensors, and the results of ops that own their array when the caller
 * declared nothing outside the graph reads them ({@link Tensor#releaseDataAtCut}). A training loop asks
 * for arrays of the same sizes every step, and reusing them spares the collector a few megabytes per
 * step of a convolutional net. A buffer comes here only after the cut, when nothing can read it any more.
 */
final class StepBuffers {
    /** Buffers kept per thread at most (a seed CNN step frees six large ones); the oldest goes first. */
    private static final int MAX_KEPT = 8;
    /** Smaller buffers are left to the collector: zeroing them is all a new array costs. */
    static final int MIN_LENGTH = 4096;

    private static final ThreadLocal<ArrayDeque<float[]>> KEPT = ThreadLocal.withInitial(ArrayDeque::new);

    private StepBuffers() {}

    /** A buffer of exactly {@code length} floats, zeroed, a kept one when one has that length. */
    static float[] takeZeroed(int length) {
        float[] b = takeKept(length);
        if (b == null) return new float[length];
        ArrayPasses.zero(b);
        return b;
    }

    /** A buffer of exactly {@code length} floats with unspecified contents, a kept one when one has that length. */
    static float[] take(int length) {
        float[] b = takeKept(length);
        return b == null ? new float[length] : b;
    }

    private static float[] takeKept(int length) {
        if (length < MIN_LENGTH) return null;
        for (Iterator<float[]> it = KEPT.get().iterator(); it.hasNext(); ) {
            float[] b = it.next();
            if (b.length == length) {
                it.remove();
                return b;
            }
        }
        return null;
    }

    /** Keeps a buffer nothing reads any more (see the class comment) for a later take; the same array once. */
    static void give(float[] buffer) {
        if (buffer == null || buffer.length < MIN_LENGTH) return;
        ArrayDeque<float[]> kept = KEPT.get();
        for (float[] b : kept) {
            if (b == buffer) return;
        }
        if (kept.size() >= MAX_KEPT) kept.pollFirst();
        kept.addLast(buffer);
    }
}
