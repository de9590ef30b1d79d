package octoquant.datasets.io;

import octoquant.datasets.DataException;
import octoquant.datasets.DataException.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST (raw or gzip).
 *
 * <p>Format: a 4-byte magic {@code 00 00 08 nd} (0x08 = unsigned byte, nd = number of dimensions), nd
 * big-endian 32-bit sizes, then the values in row-major order. Images have magic 0x00000803 (count, rows,
 * cols), labels 0x00000801 (count). The SHA-256 of the uncompressed content is computed while reading, so
 * checking it against the canonical value costs no second pass.
 */
public final class IdxReader {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    /** Images as read: {@code count × rows × cols} bytes. */
    public record Images(byte[] pixels, int count, int rows, int cols, String sha256) {}

    /** Labels as read (unchecked range), with the content's SHA-256. */
    public record Labels(byte[] labels, String sha256) {}

    private IdxReader() {}

    public static Images readImages(Path file) {
        try (InputStream raw = Inputs.open(file)) {
            MessageDigest sha = sha256();
            InputStream in = new DigestInputStream(raw, sha);
            int[] h = header(in, file, IMAGES_MAGIC, 3, "IDX image file");
            int count = h[0], rows = h[1], cols = h[2];
            long bytes = declaredBytes(count, rows, cols);
            String what = count + " images of " + rows + "x" + cols;
            checkRawSize(file, 16 + bytes, what);
            byte[] px = Inputs.readDeclared(in, bytes, file, what, 16, Inputs.contentSizeHint(file));
            Inputs.expectEnd(in, file, 16 + bytes);
            return new Images(px, count, rows, cols, Inputs.hex(sha.digest()));
        } catch (IOException e) {
            throw Inputs.translate(file, e);
        }
    }

    public static Labels readLabels(Path file) {
        try (InputStream raw = Inputs.open(file)) {
            MessageDigest sha = sha256();
            InputStream in = new DigestInputStream(raw, sha);
            int[] h = header(in, file, LABELS_MAGIC, 1, "IDX label file");
            int count = h[0];
            String what = count + " labels";
            checkRawSize(file, 8 + (long) count, what);
            byte[] labels = Inputs.readDeclared(in, count, file, what, 8, Inputs.contentSizeHint(file));
            Inputs.expectEnd(in, file, 8 + (long) count);
            return new Labels(labels, Inputs.hex(sha.digest()));
        } catch (IOException e) {
            throw Inputs.translate(file, e);
        }
    }

    /**
     * {@code count × rows × cols}; when that overflows a long (three sizes up to 2^31 − 1 each), a size larger
     * than any file, {@code Long.MAX_VALUE − 16}, which the checks after it report as a large declared size is.
     */
    static long declaredBytes(int count, int rows, int cols) {
        try {
            return Math.multiplyExact(Math.multiplyExact((long) count, (long) rows), (long) cols);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE - 16;
        }
    }

    /** Reads and checks the magic and the dimension sizes; returns the sizes. */
    private static int[] header(InputStream in, Path file, int magic, int dims, String what) throws IOException {
        byte[] m = Inputs.readHeader(in, 4, file, "the magic number of an " + what);
        int actual = be32(m, 0);
        if (actual != magic) {
            throw DataException.of(Problem.WRONG_MAGIC, file, String.format(
                    "wrong magic number 0x%08x, expected 0x%08x for an %s; is this the right file?", actual, magic, what));
        }
        byte[] sizes = Inputs.readHeader(in, 4 * dims, file, "the header of an " + what);
        int[] out = new int[dims];
        for (int d = 0; d < dims; d++) {
            out[d] = be32(sizes, 4 * d);
            if (out[d] < 0 || (d > 0 && out[d] == 0)) {
                throw DataException.of(Problem.WRONG_MAGIC, file, "header declares dimension " + d + " = "
                        + (out[d] & 0xFFFFFFFFL) + ", not a valid size; the file is corrupt");
            }
        }
        return out;
    }

    /** For an uncompressed file the size on disk is known before reading: check it first. */
    private static void checkRawSize(Path file, long expected, String what) {
        if (Inputs.isGzip(file)) return;
        long actual = Inputs.sizeOnDisk(file);
        if (actual < expected) {
            throw DataException.of(Problem.TRUNCATED, file, "truncated: header declares " + what + " ("
                    + expected + " bytes) but the file has " + actual + " bytes; delete it and download it again");
        }
        if (actual > expected) {
            throw DataException.of(Problem.TRAILING_DATA, file, (actual - expected) + " unexpected bytes after the "
                    + expected + " bytes its header declares (" + what + "); delete it and download it again");
        }
    }

    static int be32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
