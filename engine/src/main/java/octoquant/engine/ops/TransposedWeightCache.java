package octoquant.engine.ops;

import octoquant.engine.kernels.Gemm;
import octoquant.engine.storage.WeightStorage;

import java.util.Arrays;

/**
 * A layer's fp32 weight {@code W [out, in]} packed as the GEMM operand {@code Wᵀ}, kept while the weight
 * does not change (inference; a model between optimizer steps), so {@code x · Wᵀ} does not pack it again
 * every batch. Training changes the weight every step: the cache is built only on the second call that
 * sees the same storage at the same {@link WeightStorage#version()}, so a training step pays one version
 * read. Writes through {@link WeightStorage#floatView()} do not change the version (e.g. a gradient
 * check's perturbations), so a hit also requires the values to equal the copy taken when packing
 * ({@link Arrays#equals(float[], float[])}: bit patterns, except that all NaNs compare equal — a NaN
 * weight gives NaN products either way). Not thread-safe: one instance per layer, like {@link WeightTiles}.
 */
final class TransposedWeightCache {
    /** Largest weight cached (floats): the packed copy and the snapshot each cost as much again. */
    static final int MAX_FLOATS = WeightTiles.TILE_FLOATS;

    private float[] source;
    private long version;
    private float[] snapshot;
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
        if (packed != null) {
            if (Arrays.equals(view, snapshot)) return packed;
            packed = null; // written in place: multiply by the values themselves, pack again on the next call
            return null;
        }
        if (snapshot == null || snapshot.length != view.length) snapshot = new float[view.length];
        System.arraycopy(view, 0, snapshot, 0, view.length);
        packed = Gemm.packB(true, rows, cols, snapshot, 0, cols);
        return packed;
    }
}
