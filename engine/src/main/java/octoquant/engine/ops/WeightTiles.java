package octoquant.engine.ops;

import octoquant.engine.storage.WeightStorage;

/**
 * Feeds a weight matrix to the kernels a tile of rows at a time. An fp32 storage is read in place
 * through {@link WeightStorage#floatView()}; a packed storage is decoded tile by tile into a reusable
 * scratch buffer of about {@link #TILE_FLOATS} floats, so no full fp32 copy of a packed weight is ever
 * made. One instance per layer: the scratch is reused from step to step. Not thread-safe.
 */
public final class WeightTiles {
    /**
     * Floats decoded at a time (512 KiB): a layer like the MLP's 128×784 is one tile, and every tile is
     * one GEMM. Why this size: {@code docs/decisions.md}.
     */
    public static final int TILE_FLOATS = 1 << 17;

    private float[] scratch = new float[0];
    /** The layer's weight packed as a GEMM operand while it does not change (a Linear's forward). */
    final TransposedWeightCache transposed = new TransposedWeightCache();
    /** The layer's Winograd-transformed filters while the weight does not change (a Winograd conv's inference). */
    final WinogradFilterCache winogradFilters = new WinogradFilterCache();

    /** Receives one tile: rows {@code [row0, row0 + rows)} of the weight, row-major at {@code w[wOff...]}. */
    @FunctionalInterface
    public interface TileBody {
        void run(float[] w, int wOff, int row0, int rows);
    }

    /** Calls {@code body} for consecutive tiles covering all rows, in row order. */
    public void forEach(WeightStorage storage, TileBody body) {
        float[] view = storage.floatView();
        if (view != null) {
            body.run(view, 0, 0, storage.rows());
            return;
        }
        int rows = storage.rows(), cols = storage.cols();
        int perTile = rowsPerTile(cols);
        int need = Math.min(perTile, rows) * cols;
        if (scratch.length < need) scratch = new float[need];
        for (int r0 = 0; r0 < rows; r0 += perTile) {
            int count = Math.min(perTile, rows - r0);
            storage.decodeRows(r0, count, scratch, 0);
            body.run(scratch, 0, r0, count);
        }
    }

    /** Rows per tile for a fan-in of {@code cols}: at least one row. */
    static int rowsPerTile(int cols) {
        return Math.max(1, TILE_FLOATS / Math.max(1, cols));
    }

    /** All values of a small vector storage (a bias): the view itself, or a decoded copy. */
    static float[] smallVector(WeightStorage storage) {
        float[] view = storage.floatView();
        return view != null ? view : storage.decodeAll();
    }
}
