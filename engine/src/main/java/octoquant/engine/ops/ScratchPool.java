package octoquant.engine.ops;

import java.util.ArrayList;
import java.util.List;

/**
 * Float buffers an op keeps from its forward pass to its backward pass, reused from step to step. A
 * layer owns one pool; its op takes a buffer in the forward pass and gives it back at the end of its
 * backward closure. A graph that is dropped without a backward pass simply never gives its buffer
 * back (the garbage collector takes it), so two forward passes in flight never share a buffer.
 * Buffers come back with stale contents: callers overwrite every element they read.
 */
public final class ScratchPool {
    /** Buffers kept at most; more than a couple in flight means graphs are being dropped. */
    private static final int MAX_FREE = 4;

    private final List<float[]> free = new ArrayList<>();

    /** A buffer of at least {@code length} floats (contents unspecified). */
    public synchronized float[] take(int length) {
        for (int i = 0; i < free.size(); i++) {
            if (free.get(i).length >= length) return free.remove(i);
        }
        return new float[length];
    }

    /** Gives a buffer back for later {@link #take} calls. */
    public synchronized void give(float[] buffer) {
        if (buffer == null) return;
        if (free.size() >= MAX_FREE) free.remove(0);
        free.add(buffer);
    }

    /** A pool for callers that keep none: every take allocates. */
    static ScratchPool none() {
        return new ScratchPool();
    }
}
