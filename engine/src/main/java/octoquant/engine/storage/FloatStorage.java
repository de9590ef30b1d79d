package octoquant.engine.storage;

import octoquant.engine.kernels.ArrayPasses;

import octoquant.engine.state.StateReader;
import octoquant.engine.state.StateWriter;
import octoquant.engine.state.Stateful;

/** Plain fp32 storage: the reference every quantized scheme is compared with. */
public final class FloatStorage implements WeightStorage, Stateful {
    private final int rows;
    private final int cols;
    private final float[] values;
    private long version;

    public FloatStorage(int rows, int cols) {
        this(rows, cols, new float[Math.multiplyExact(rows, cols)]);
    }

    /** Wraps {@code values} (no copy). */
    public FloatStorage(int rows, int cols, float[] values) {
        if (values.length != (long) rows * cols) {
            throw new IllegalArgumentException("FloatStorage " + rows + "x" + cols + " given " + values.length + " values");
        }
        this.rows = rows;
        this.cols = cols;
        this.values = values;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void decodeRows(int row0, int count, float[] dst, int dstOff) {
        System.arraycopy(values, row0 * cols, dst, dstOff, count * cols);
    }

    @Override
    public float[] floatView() {
        return values;
    }

    @Override
    public void applyUpdate(float[] delta) {
        ArrayPasses.addInto(values, delta);
        version++;
    }

    @Override
    public void encodeFrom(float[] src) {
        if (src.length != values.length) throw new IllegalArgumentException("expected " + values.length + " values, got " + src.length);
        System.arraycopy(src, 0, values, 0, values.length);
        version++;
    }

    @Override
    public void markWritten() {
        version++;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public long sizeInBytes() {
        return 4L * values.length;
    }

    @Override
    public String describe() {
        return "fp32";
    }

    // ------------------------------------------------------------------ state
    // Configuration (checked on restore): the shape. State: the values and the version counter (QAT's
    // shadow compares it with the version it last encoded).

    @Override
    public void saveState(StateWriter out) {
        out.putInts("shape", new int[] {rows, cols});
        out.putString("scheme", describe());
        out.putFloats("values", values);
        out.putLong("version", version);
    }

    @Override
    public void restoreState(StateReader in) {
        in.expect("scheme", describe(), "storage");
        in.expect("shape", new int[] {rows, cols}, "storage");
        in.readInto("values", values);
        version = in.longValue("version");
    }
}
