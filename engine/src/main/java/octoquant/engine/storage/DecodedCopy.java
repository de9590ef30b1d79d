package octoquant.engine.storage;

/**
 * An unpacked working copy of a quantized tensor: every weight's code as an int and its fp32 decode,
 * {@code values[i] == grid.dequantize(codes[i], row)} bit for bit. The layers read {@code values} in place
 * (a storage's {@code floatView()}), so a tensor that changes every step is not decoded tile by tile in the
 * forward and again in the backward pass; {@link StorageUpdate} and QAT's {@link FakeQuantView} write both
 * arrays. 8 bytes per weight beside the packed codes, not counted in {@code sizeInBytes()}: a working copy,
 * like an fp32 master, rebuilt from the packed codes whenever needed.
 */
final class DecodedCopy {
    final int[] codes;
    final float[] values;

    DecodedCopy(int n) {
        codes = new int[n];
        values = new float[n];
    }

    /** Overwrites both arrays from the packed codes. */
    void readFrom(PackedCodes packed, CodeGrid grid, int rows, int cols) {
        packed.unpackTo(codes);
        packed.decodeRows(grid, cols, 0, rows, values, 0);
    }

    /** How many codes are 0 (the weight is exactly 0; on the minmax grid, the code 0 is the range's low end). */
    int zeroCodes() {
        int zeros = 0;
        for (int c : codes) zeros += c == 0 ? 1 : 0;
        return zeros;
    }

    /** How many codes differ from {@code previous} (a {@link #copyCodes} taken earlier). */
    int changedCodes(int[] previous) {
        checkLength(previous);
        int changed = 0;
        for (int i = 0; i < codes.length; i++) changed += codes[i] != previous[i] ? 1 : 0;
        return changed;
    }

    /** Copies every code into {@code dst}. */
    void copyCodes(int[] dst) {
        checkLength(dst);
        System.arraycopy(codes, 0, dst, 0, codes.length);
    }

    private void checkLength(int[] buffer) {
        if (buffer.length != codes.length) {
            throw new IllegalArgumentException("code buffer holds " + buffer.length + " ints, the storage " + codes.length + " codes");
        }
    }
}
