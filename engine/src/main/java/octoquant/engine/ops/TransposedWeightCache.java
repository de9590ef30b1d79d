package octoquant.engine.ops;

import octoquant.engine.kernels.Gemm;
import octoquant.engine.storage.WeightStorage;

/**
 * A layer's fp32 weight {@code W [out, in]} packed as the GEMM operand {@code Wᵀ}, kept while the weight
 * does not change (inference; a model between optimizer steps), so {@code x · Wᵀ} does not pack it again
 * every batch. Whether it changed is read from {@link WeightStorage#version()} alone: updates, re-encodes
 * and writes through the float view followed by {@link WeightStorage#markWritten()} all change it. Training
 * changes the weight every step: the cache is built only on the second call that sees the same storage at
 * the same version, so a training step pays one version read. Not thread-safe: one instance per layer, like
 * {@link WeightTiles}.
 */
final class TransposedWeightCache {
    /**
     * Largest weight cached (floats): the packed copy costs as much again, at most 4 MiB a layer. The seed
     * CNN's first Linear (64 × 4096, 1 MiB) is kept.
     */
    static final int MAX_FLOATS = 1 << 20;

    private float[] source;
    private long version;
    private Gemm.PackedB packed;

    /**
     * The packed {@code Wᵀ} of {@code storage}'s current values ({@code view} is its float view, a
     * {@code rows × cols} matrix), or null when this call should multiply by the weight itself.
     */
    Gemm.PackedB lookup(WeightStorage storage, float[] view, int rows, int cols) {
        long v = storage.version();
        if (v == -1 || view.length > MAX_FLOATS || view.length != rows * cols) return null;
        if (view != source || v != version) {
            source = view;
            version = v;
            packed = null;
            return null;
        }
        if (packed == null) packed = Gemm.packB(true, rows, cols, view, 0, cols);
        return packed;
    }
}
