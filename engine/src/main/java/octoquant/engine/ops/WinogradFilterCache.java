package octoquant.engine.ops;

import octoquant.engine.storage.WeightStorage;

/**
 * A layer's Winograd-transformed filters ({@link Winograd3x3#transformFilters}) kept while its weight does
 * not change, so inference does not transform them again for every batch. Whether the weight changed is
 * read from {@link WeightStorage#version()} and the storage's identity; a storage that does not track its
 * changes (version −1) is transformed on every call. Training transforms its filters each step into its
 * own buffers and never comes here. Not thread-safe: one instance per layer, held by its {@link WeightTiles}.
 */
final class WinogradFilterCache {
    private WeightStorage source;
    private long version;
    private float[] filters = new float[0];

    /**
     * The transformed filters of {@code storage}'s current values ({@code co} filters of {@code ci}
     * channels × 3×3, read through {@code tiles}), laid out as {@link Winograd3x3#filterLength} describes.
     * The array is this cache's: read it, never write it, and do not keep it past the layer's next call.
     */
    float[] lookup(WeightStorage storage, WeightTiles tiles, int co, int ci) {
        long v = storage.version();
        int length = Winograd3x3.filterLength(co, ci);
        if (v != -1 && storage == source && v == version && filters.length == length) return filters;
        if (filters.length != length) filters = new float[length];
        source = null; // a transform that throws leaves nothing stale behind
        Winograd3x3.transformFilters(storage, tiles, co, ci, filters);
        source = v == -1 ? null : storage;
        version = v;
        return filters;
    }
}
