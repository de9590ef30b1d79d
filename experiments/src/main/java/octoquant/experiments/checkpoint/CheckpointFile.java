package octoquant.experiments.checkpoint;

import octoquant.experiments.io.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * Reads and writes {@link Checkpoint}s. The format (version 2), all integers big-endian:
 * <pre>
 *   magic        8 bytes  "OCTQCKPT"
 *   version      u16      2
 *   config hash  32 bytes SHA-256 of the run's canonical configuration
 *   count        u32      number of entries
 *   entries      count ×  { name: u16 length + UTF-8 bytes; type: u8; length: u32 elements; data }
 *                type 1 = float32, 2 = float64, 3 = int64, 4 = int32, 5 = bytes, 6 = UTF-8 string
 *                (for strings the length counts bytes)
 *   checksum     32 bytes SHA-256 of every byte before it
 * </pre>
 * Floats are stored as their raw IEEE bits, so a restored value is bit-identical.
 *
 * <p>Versions: 2 holds the engine objects' state as they write it through the engine's state API
 * ({@code octoquant.engine.state}, via {@link CheckpointState}): entries {@code state.<parameter>.storage.*},
 * {@code state.<parameter>.mode.*} and {@code optim.*}. Version 1 had the same container but held fields
 * read by reflection under other names; this build cannot resume from it and says so (start that run
 * again). A newer version is refused too.
 *
 * <p>Files are written
 * atomically (temporary file, then rename). Reading checks magic, version, checksum and — when the caller
 * gives one — the configuration hash, each failure with its own one-line message.
 */
public final class CheckpointFile {
    static final byte[] MAGIC = "OCTQCKPT".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 2;
    public static final int HASH_BYTES = 32;

    private static final byte F32 = 1, F64 = 2, I64 = 3, I32 = 4, BYTES = 5, STRING = 6;

    private CheckpointFile() {}

    /** SHA-256 of a configuration's canonical text: the hash stored in and checked against checkpoints. */
    public static byte[] hashConfig(String canonicalConfig) {
        return sha256().digest(canonicalConfig.getBytes(StandardCharsets.UTF_8));
    }

    /** Serializes to bytes (the exact file content). */
    public static byte[] encode(Checkpoint c) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeShort(VERSION);
            out.write(c.configHash());
            Map<String, Object> entries = c.entries();
            out.writeInt(entries.size());
            for (Map.Entry<String, Object> e : entries.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                out.writeShort(name.length);
                out.write(name);
                Object v = e.getValue();
                if (v instanceof float[] a) {
                    out.writeByte(F32);
                    out.writeInt(a.length);
                    for (float x : a) out.writeInt(Float.floatToRawIntBits(x));
                } else if (v instanceof double[] a) {
                    out.writeByte(F64);
                    out.writeInt(a.length);
                    for (double x : a) out.writeLong(Double.doubleToRawLongBits(x));
                } else if (v instanceof long[] a) {
                    out.writeByte(I64);
                    out.writeInt(a.length);
                    for (long x : a) out.writeLong(x);
                } else if (v instanceof int[] a) {
                    out.writeByte(I32);
                    out.writeInt(a.length);
                    for (int x : a) out.writeInt(x);
                } else if (v instanceof byte[] a) {
                    out.writeByte(BYTES);
                    out.writeInt(a.length);
                    out.write(a);
                } else if (v instanceof String s) {
                    byte[] utf = s.getBytes(StandardCharsets.UTF_8);
                    out.writeByte(STRING);
                    out.writeInt(utf.length);
                    out.write(utf);
                } else {
                    throw new IllegalStateException("unsupported checkpoint entry type " + v.getClass());
                }
            }
            out.flush();
            byte[] body = bytes.toByteArray();
            byte[] sum = sha256().digest(body);
            byte[] all = Arrays.copyOf(body, body.length + HASH_BYTES);
            System.arraycopy(sum, 0, all, body.length, HASH_BYTES);
            return all;
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    /** Writes atomically and returns the file size in bytes. */
    public static long write(Path file, Checkpoint c) throws IOException {
        byte[] data = encode(c);
        AtomicFiles.writeBytes(file, data);
        return data.length;
    }

    /**
     * Reads a checkpoint; {@code expectedConfigHash} (may be null) must match the stored one.
     *
     * @throws CheckpointException naming the file and what is wrong with it
     */
    public static Checkpoint read(Path file, byte[] expectedConfigHash) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("checkpoint " + file + " does not exist");
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + e.getMessage());
        }
        return decode(data, file.toString(), expectedConfigHash);
    }

    /** Parses checkpoint bytes; {@code source} names them in error messages. */
    public static Checkpoint decode(byte[] data, String source, byte[] expectedConfigHash) {
        if (data.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
            throw new CheckpointException(source + " is not an octoquant checkpoint (wrong magic bytes)");
        }
        if (data.length < MAGIC.length + 2 + HASH_BYTES + 4 + HASH_BYTES) {
            throw new CheckpointException("checkpoint " + source + " is truncated (" + data.length + " bytes)");
        }
        int version = ((data[8] & 0xff) << 8) | (data[9] & 0xff);
        if (version < VERSION) {
            throw new CheckpointException("checkpoint " + source + " has format version " + version + ", written by an "
                    + "earlier octoquant whose saved engine state this build (version " + VERSION + ") cannot read; delete "
                    + "it to start that run again");
        }
        if (version != VERSION) {
            throw new CheckpointException("checkpoint " + source + " has format version " + version
                    + "; this build reads version " + VERSION + " (resume it with the octoquant that wrote it, or delete "
                    + "it to start that run again)");
        }
        int bodyLen = data.length - HASH_BYTES;
        byte[] sum = sha256().digest(Arrays.copyOf(data, bodyLen));
        if (!Arrays.equals(sum, Arrays.copyOfRange(data, bodyLen, data.length))) {
            throw new CheckpointException("checkpoint " + source + " is corrupt (checksum mismatch); delete it to "
                    + "restart that run from scratch");
        }
        ByteBuffer in = ByteBuffer.wrap(data, 0, bodyLen);
        in.position(MAGIC.length + 2);
        byte[] hash = new byte[HASH_BYTES];
        in.get(hash);
        if (expectedConfigHash != null && !Arrays.equals(hash, expectedConfigHash)) {
            throw new CheckpointException("checkpoint " + source + " belongs to a different configuration (hash "
                    + HexFormat.of().formatHex(hash, 0, 6) + "…, this run " + HexFormat.of().formatHex(expectedConfigHash, 0, 6)
                    + "…); resume with the same experiment and options");
        }
        Checkpoint c = new Checkpoint(hash);
        try {
            int count = in.getInt();
            if (count < 0) throw new CheckpointException("checkpoint " + source + " declares " + count + " entries");
            for (int i = 0; i < count; i++) {
                byte[] name = new byte[in.getShort() & 0xffff];
                in.get(name);
                byte type = in.get();
                int len = in.getInt();
                int width = switch (type) {
                    case F32, I32 -> 4;
                    case F64, I64 -> 8;
                    case BYTES, STRING -> 1;
                    default -> throw new CheckpointException("checkpoint " + source + " has an entry of unknown type " + type);
                };
                if (len < 0 || (long) len * width > in.remaining()) throw new BufferUnderflowException();
                String key = new String(name, StandardCharsets.UTF_8);
                switch (type) {
                    case F32 -> {
                        float[] a = new float[len];
                        for (int k = 0; k < len; k++) a[k] = Float.intBitsToFloat(in.getInt());
                        c.put(key, a);
                    }
                    case F64 -> {
                        double[] a = new double[len];
                        for (int k = 0; k < len; k++) a[k] = Double.longBitsToDouble(in.getLong());
                        c.put(key, a);
                    }
                    case I64 -> {
                        long[] a = new long[len];
                        for (int k = 0; k < len; k++) a[k] = in.getLong();
                        c.put(key, a);
                    }
                    case I32 -> {
                        int[] a = new int[len];
                        for (int k = 0; k < len; k++) a[k] = in.getInt();
                        c.put(key, a);
                    }
                    case BYTES -> {
                        byte[] a = new byte[len];
                        in.get(a);
                        c.put(key, a);
                    }
                    default -> {
                        byte[] a = new byte[len];
                        in.get(a);
                        c.put(key, new String(a, StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (BufferUnderflowException e) {
            throw new CheckpointException("checkpoint " + source + " is malformed (an entry runs past the end)");
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint " + source + " is malformed (" + e.getMessage() + ")");
        }
        if (in.hasRemaining()) {
            throw new CheckpointException("checkpoint " + source + " is malformed (" + in.remaining() + " stray bytes)");
        }
        return c;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
