package octoquant.engine.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor as a safetensors file holds it: an element type, a row-major shape and the raw little-endian
 * bytes. Immutable: the factories and accessors copy. A shape of {@code []} is a scalar (one element); a
 * dimension of 0 makes an empty tensor.
 */
public final class TensorData {
    /** The most elements (and bytes) one tensor may have: what a Java array holds. */
    public static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    private final DType dtype;
    private final int[] shape;
    private final byte[] bytes;

    private TensorData(DType dtype, int[] shape, byte[] bytes) {
        this.dtype = dtype;
        this.shape = shape;
        this.bytes = bytes;
    }

    /**
     * A tensor of {@code dtype} over {@code littleEndian} bytes (copied).
     *
     * @throws IllegalArgumentException when the byte count is not the shape's element count times the size
     */
    public static TensorData ofBytes(DType dtype, int[] shape, byte[] littleEndian) {
        long expected = byteCount(dtype, shape);
        if (expected != littleEndian.length) {
            throw new IllegalArgumentException(dtype + " tensor of shape " + Arrays.toString(shape) + " needs "
                    + expected + " bytes, got " + littleEndian.length);
        }
        return new TensorData(dtype, shape.clone(), littleEndian.clone());
    }

    /** An F32 tensor holding {@code values} bit for bit (NaN payloads and −0 included). */
    public static TensorData ofFloats(int[] shape, float[] values) {
        checkCount(DType.F32, shape, values.length);
        ByteBuffer b = buffer(DType.F32, values.length);
        for (float v : values) b.putInt(Float.floatToRawIntBits(v));
        return new TensorData(DType.F32, shape.clone(), b.array());
    }

    /**
     * An integer tensor ({@code I8}, {@code U8}, {@code I16}, {@code I32} or {@code I64}) holding
     * {@code values}.
     *
     * @throws IllegalArgumentException when a value does not fit {@code dtype}
     */
    public static TensorData ofInts(DType dtype, int[] shape, int[] values) {
        long[] wide = new long[values.length];
        for (int i = 0; i < values.length; i++) wide[i] = values[i];
        return ofLongs(dtype, shape, wide);
    }

    /** As {@link #ofInts}, from longs. */
    public static TensorData ofLongs(DType dtype, int[] shape, long[] values) {
        if (!dtype.isInteger()) throw new IllegalArgumentException(dtype + " is not an integer type");
        checkCount(dtype, shape, values.length);
        ByteBuffer b = buffer(dtype, values.length);
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            if (v < dtype.min() || v > dtype.max()) {
                throw new IllegalArgumentException("value " + v + " at index " + i + " does not fit " + dtype
                        + " [" + dtype.min() + ", " + dtype.max() + "]");
            }
            switch (dtype.size()) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return new TensorData(dtype, shape.clone(), b.array());
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The number of elements: the product of the shape (1 for a scalar). */
    public int elementCount() {
        return bytes.length / dtype.size();
    }

    /** The raw little-endian bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The byte count, without copying. */
    public int byteSize() {
        return bytes.length;
    }

    /**
     * The values as floats, exactly: F32 as stored, F16 and BF16 widened (every value of theirs is a float).
     *
     * @throws IllegalStateException for an integer type (not every integer is a float)
     */
    public float[] toFloats() {
        int n = elementCount();
        float[] out = new float[n];
        ByteBuffer b = view();
        switch (dtype) {
            case F32 -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat(b.getInt());
            }
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = HalfFloats.f16ToFloat(b.getShort() & 0xFFFF);
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = HalfFloats.bf16ToFloat(b.getShort() & 0xFFFF);
            }
            default -> throw new IllegalStateException(dtype + " is an integer type; read it with toLongs or toInts");
        }
        return out;
    }

    /**
     * The values of an integer type as longs (U8 as 0..255).
     *
     * @throws IllegalStateException for a floating-point type
     */
    public long[] toLongs() {
        if (!dtype.isInteger()) throw new IllegalStateException(dtype + " is a floating-point type; read it with toFloats");
        int n = elementCount();
        long[] out = new long[n];
        ByteBuffer b = view();
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case I8 -> b.get();
                case U8 -> b.get() & 0xFF;
                case I16 -> b.getShort();
                case I32 -> b.getInt();
                default -> b.getLong();
            };
        }
        return out;
    }

    /**
     * The values of an integer type as ints.
     *
     * @throws IllegalStateException for a floating-point type, or an I64 value outside the int range
     */
    public int[] toInts() {
        long[] wide = toLongs();
        int[] out = new int[wide.length];
        for (int i = 0; i < wide.length; i++) {
            if (wide[i] != (int) wide[i]) throw new IllegalStateException("value " + wide[i] + " at index " + i + " does not fit an int");
            out[i] = (int) wide[i];
        }
        return out;
    }

    /** The byte count of a tensor, or −1 when a dimension is negative or the count exceeds {@link #MAX_BYTES}. */
    static long byteCount(DType dtype, long[] shape) {
        long n = dtype.size();
        for (long d : shape) {
            if (d < 0) return -1;
            if (d == 0) n = 0;
            else if (n > MAX_BYTES / d) n = MAX_BYTES + 1L; // saturate; a later 0 still empties the tensor
            else n *= d;
        }
        return n > MAX_BYTES ? -1 : n;
    }

    private static long byteCount(DType dtype, int[] shape) {
        long n = byteCount(dtype, Arrays.stream(shape).asLongStream().toArray());
        if (n < 0) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension or more than "
                    + MAX_BYTES + " bytes of " + dtype);
        }
        return n;
    }

    private static void checkCount(DType dtype, int[] shape, int count) {
        long n = byteCount(dtype, shape) / dtype.size();
        if (n != count) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " elements, got " + count);
        }
    }

    /** Wraps bytes the reader has already checked against the shape (no copy). */
    static TensorData trusted(DType dtype, int[] shape, byte[] bytes) {
        return new TensorData(dtype, shape, bytes);
    }

    /** The bytes themselves, for the writer (never modified there). */
    byte[] rawBytes() {
        return bytes;
    }

    private static ByteBuffer buffer(DType dtype, int count) {
        return ByteBuffer.allocate(count * dtype.size()).order(ByteOrder.LITTLE_ENDIAN);
    }

    private ByteBuffer view() {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && t.dtype == dtype && Arrays.equals(t.shape, shape) && Arrays.equals(t.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
