package octoquant.engine.storage;

/**
 * How a parameter's values are held in memory. A weight is a {@code rows × cols} matrix: rows are output
 * channels (a Linear's outputs, a Conv2d's filters), cols the fan-in (a Conv2d filter is flattened as
 * {@code inChannels·kh·kw}). A bias is {@code 1 × n}.
 *
 * <p>Kernels never need a full fp32 copy of a packed weight: they call {@link #decodeRows} for a tile of
 * rows at a time, or read {@link #floatView()} directly when the storage is fp32 already.
 *
 * <p>The engine's storages also implement {@link octoquant.engine.state.Stateful}, so checkpoints save and
 * restore their complete state (codes, steps, rounding generator, counters) explicitly.
 */
public interface WeightStorage {
    int rows();

    int cols();

    default int length() {
        return rows() * cols();
    }

    /** Decodes rows {@code [row0, row0 + count)} into {@code dst} from {@code dstOff}, row-major. */
    void decodeRows(int row0, int count, float[] dst, int dstOff);

    /** Decodes every value (tests, reports, checkpoints): allocates, so not for hot paths. */
    default float[] decodeAll() {
        float[] out = new float[length()];
        decodeRows(0, rows(), out, 0);
        return out;
    }

    /**
     * The fp32 array itself when this storage holds one, else null; lets kernels skip the decode. A QAT
     * shadow ({@link QuantizedStorage} in its fake-quantized mode) returns its dequantized values here:
     * read them, never write them.
     */
    default float[] floatView() {
        return null;
    }

    /**
     * Applies an optimizer step: each stored value becomes {@code store(decode(w) + delta)}. For fp32
     * that is a plain add; a quantized storage re-quantizes with its own rounding, so small updates may
     * vanish — which is the point of the {@code storage} training mode.
     */
    void applyUpdate(float[] delta);

    /** Replaces all values with the encoding of {@code values} (initialisation, PTQ, checkpoints). */
    void encodeFrom(float[] values);

    /**
     * A counter that changes whenever {@link #applyUpdate} or {@link #encodeFrom} changes the values, so a
     * derived copy (the quantized shadow of QAT) knows when to re-encode; −1 when this storage does not
     * track changes (then derived copies must assume it changed). A write made through
     * {@link #floatView()} changes it only when the writer calls {@link #markWritten()} after it.
     */
    default long version() {
        return -1;
    }

    /**
     * Says the values were just written through {@link #floatView()} (a gradient check's perturbation), so
     * {@link #version()} changes as it does after {@link #applyUpdate}; every writer through the view must
     * call it before the next forward pass. Storages whose view is read-only ignore it.
     */
    default void markWritten() {}

    /** Bytes this storage really holds for the values: packed codes, scales and zero points included. */
    long sizeInBytes();

    /** A short human-readable name of the scheme, e.g. {@code fp32} or {@code int8 per-channel maxabs}. */
    String describe();
}
