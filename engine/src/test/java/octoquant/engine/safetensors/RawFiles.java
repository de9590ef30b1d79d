package octoquant.engine.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Safetensors bytes put together by hand, independently of the writer: for malformed and foreign files. */
final class RawFiles {
    private RawFiles() {}

    /** The 8-byte length of {@code header}'s UTF-8 bytes, the header, then {@code data}. */
    static byte[] file(String header, byte[] data) {
        return file(header.getBytes(StandardCharsets.UTF_8), data);
    }

    static byte[] file(byte[] header, byte[] data) {
        return withLength(header.length, header, data);
    }

    /** As {@link #file}, but with {@code declaredLength} written as the header length whatever the header's size. */
    static byte[] withLength(long declaredLength, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(header).put(data);
        return b.array();
    }

    /** Little-endian float32 bytes. */
    static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }
}
