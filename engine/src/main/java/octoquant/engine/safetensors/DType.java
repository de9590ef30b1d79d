package octoquant.engine.safetensors;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types this package reads and writes, by their names in a safetensors header.
 * {@link TensorData} builds F32 and the integer types from Java arrays; F16 and BF16 tensors come from
 * files or raw bytes and are written back unchanged.
 */
public enum DType {
    I64(8, 13, true, Long.MIN_VALUE, Long.MAX_VALUE),
    F32(4, 11, false, 0, 0),
    I32(4, 9, true, Integer.MIN_VALUE, Integer.MAX_VALUE),
    BF16(2, 8, false, 0, 0),
    F16(2, 7, false, 0, 0),
    I16(2, 5, true, Short.MIN_VALUE, Short.MAX_VALUE),
    I8(1, 2, true, Byte.MIN_VALUE, Byte.MAX_VALUE),
    U8(1, 1, true, 0, 255);

    /** The other names the format defines: known, but this reader does not convert them. */
    private static final String[] UNSUPPORTED = {"BOOL", "U16", "U32", "U64", "F64", "C64", "F8_E5M2", "F8_E4M3",
        "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "F6_E2M3", "F6_E3M2", "F4"};

    private final int size;
    private final int alignmentRank;
    private final boolean integer;
    private final long min;
    private final long max;

    DType(int size, int alignmentRank, boolean integer, long min, long max) {
        this.size = size;
        this.alignmentRank = alignmentRank;
        this.integer = integer;
        this.min = min;
        this.max = max;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /**
     * The position of this type in the reference implementation's dtype order (increasing alignment).
     * Files list tensors by decreasing rank, then by name, so every tensor starts aligned to its size.
     */
    int alignmentRank() {
        return alignmentRank;
    }

    public boolean isInteger() {
        return integer;
    }

    /** Smallest value of an integer type. */
    public long min() {
        return min;
    }

    /** Largest value of an integer type. */
    public long max() {
        return max;
    }

    /** The type named {@code name} in a header, or null when this package does not know it. */
    static DType fromHeader(String name) {
        for (DType t : values()) if (t.name().equals(name)) return t;
        return null;
    }

    /** Whether {@code name} is a dtype of the format that this package does not read. */
    static boolean isKnownButUnsupported(String name) {
        return Arrays.asList(UNSUPPORTED).contains(name);
    }

    /** "F32, F16, …" for messages. */
    static String supportedList() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
