package octoquant.engine.ops;

import java.util.ArrayList;
import java.util.List;

/**
 * Buffers a layer's op reuses from step to step: kept from its forward pass to its backward pass
 * (the columns, the pool winners), or scratch within one pass (transformed filters, weight-gradient
 * partial sums). A layer owns one pool; its op takes a buffer and gives it back when done (a kept
 * buffer at the end of its backward closure). A graph that is dropped without a backward pass simply never gives its buffer
 * back (the garbage collector takes it), so two forward passes in flight never share a buffer; and a
 * buffer is held by one taker at a time, so layers of models training on different threads never share
 * one either. Buffers come back with stale contents: callers overwrite every element they read.
 */
public final class ScratchPool {
    /**
     * Buffers kept at most: a conv layer cycles through up to three (columns, weight-gradient partials,
     * transformed filters); more means graphs are being dropped.
     */
    private static final int MAX_FREE = 4;

    private final List<float[]> free = new ArrayList<>();
    private final List<int[]> freeInts = new ArrayList<>();

    /**
     * A buffer of at least {@code length} floats (contents unspecified): the smallest free one that fits,
     * so a small request (partial sums) does not take the large buffer a later request (columns) needs.
     */
    public synchronized float[] take(int length) {
        int best = -1;
        for (int i = 0; i < free.size(); i++) {
            int have = free.get(i).length;
            if (have >= length && (best < 0 || have < free.get(best).length)) best = i;
        }
        return best >= 0 ? free.remove(best) : new float[length];
    }

    /** Gives a buffer back for later {@link #take} calls. */
    public synchronized void give(float[] buffer) {
        if (buffer == null) return;
        if (free.size() >= MAX_FREE) free.remove(0);
        free.add(buffer);
    }

    /**
     * An int buffer of at least {@code length} (contents unspecified), the smallest free one that fits: a
     * fused conv layer's pool winners, kept from its forward pass to its backward pass.
     */
    public synchronized int[] takeInts(int length) {
        int best = -1;
        for (int i = 0; i < freeInts.size(); i++) {
            int have = freeInts.get(i).length;
            if (have >= length && (best < 0 || have < freeInts.get(best).length)) best = i;
        }
        return best >= 0 ? freeInts.remove(best) : new int[length];
    }

    /** Gives an int buffer back for later {@link #takeInts} calls. */
    public synchronized void giveInts(int[] buffer) {
        if (buffer == null) return;
        if (freeInts.size() >= MAX_FREE) freeInts.remove(0);
        freeInts.add(buffer);
    }

    /** A pool for callers that keep none: every take allocates. */
    static ScratchPool none() {
        return new ScratchPool();
    }
}
