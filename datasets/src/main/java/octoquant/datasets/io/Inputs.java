package octoquant.datasets.io;

import octoquant.datasets.DataException;
import octoquant.datasets.DataException.Problem;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opening data files (raw or gzip, told apart by their first bytes, not by their name), reading a declared
 * number of bytes without trusting the declaration, and turning I/O failures into one-line
 * {@link DataException}s.
 */
public final class Inputs {
    /** The largest byte array the JVM reliably allocates. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 16;
    private static final int FIRST_CHUNK = 1 << 20;

    private Inputs() {}

    /** Opens {@code file} for reading, transparently un-gzipping when it starts with the gzip magic 1f 8b. */
    public static InputStream open(Path file) {
        return open(file, null);
    }

    /**
     * Like {@link #open(Path)}, and feeds every byte of the file as stored on disk (before un-gzipping) to
     * {@code onDiskDigest} when it is not null: the published MD5 of an archive is over the compressed bytes.
     */
    public static InputStream open(Path file, java.security.MessageDigest onDiskDigest) {
        if (!Files.exists(file)) throw DataException.of(Problem.MISSING, file, "file not found");
        if (Files.isDirectory(file)) throw DataException.of(Problem.UNREADABLE, file, "is a directory, expected a data file");
        try {
            InputStream base = Files.newInputStream(file);
            if (onDiskDigest != null) base = new java.security.DigestInputStream(base, onDiskDigest);
            BufferedInputStream in = new BufferedInputStream(base, 1 << 16);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try {
                    return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
                } catch (IOException e) {
                    in.close();
                    throw e;
                }
            }
            return in;
        } catch (IOException e) {
            throw translate(file, e);
        }
    }

    /** The size of the file on disk (compressed size for .gz). */
    public static long sizeOnDisk(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw translate(file, e);
        }
    }

    /** Whether the file starts with the gzip magic. */
    public static boolean isGzip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw translate(file, e);
        }
    }

    /** Maps an I/O failure on {@code file} to the matching one-line data error. */
    public static DataException translate(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return DataException.of(Problem.MISSING, file, "file not found");
        }
        if (e instanceof AccessDeniedException) {
            return DataException.of(Problem.UNREADABLE, file,
                    "cannot be read (permission denied); fix its permissions or put a readable copy there", e);
        }
        if (e instanceof ZipException) {
            return DataException.of(Problem.CORRUPT_GZIP, file,
                    "corrupt gzip stream (" + e.getMessage() + "); delete the file and download it again", e);
        }
        if (e instanceof EOFException) {
            return DataException.of(Problem.CORRUPT_GZIP, file,
                    "gzip stream ends early (truncated download?); delete the file and download it again", e);
        }
        return DataException.of(Problem.UNREADABLE, file, "cannot be read (" + e + ")", e);
    }

    /**
     * Reads exactly {@code declared} bytes. The buffer starts at the trusted size hint (see
     * {@link #contentSizeHint}) and otherwise grows only as data really arrives, so a corrupt header declaring
     * gigabytes costs no more memory than the bytes actually present.
     *
     * @param what        words for the message, e.g. "60000 images of 28x28"
     * @param alreadyRead bytes of the content before this part (the header), for the message and the hint
     * @param sizeHint    expected size of the whole content, or -1
     */
    public static byte[] readDeclared(InputStream in, long declared, Path file, String what, long alreadyRead, long sizeHint)
            throws IOException {
        if (declared > MAX_ARRAY) {
            throw DataException.of(Problem.TOO_LARGE, file, "header declares " + what + " (" + declared
                    + " bytes), more than this program can hold; the header is corrupt or this is not the expected file");
        }
        int target = (int) declared;
        long hinted = sizeHint - alreadyRead;
        byte[] buf = new byte[(int) Math.min(target, Math.max(FIRST_CHUNK, hinted))];
        int filled = 0;
        while (filled < target) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(target, 2L * buf.length));
            }
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) {
                throw DataException.of(Problem.TRUNCATED, file, "truncated: header declares " + what + " ("
                        + (alreadyRead + declared) + " bytes in all) but the data ends after "
                        + (alreadyRead + filled) + " bytes; delete the file and download it again");
            }
            filled += r;
        }
        return buf;
    }

    /**
     * The expected size of a file's content, to size buffers without trusting headers: the file size for a
     * raw file; for gzip the ISIZE trailer (uncompressed size mod 2^32 of the last member), bounded by
     * deflate's maximum ratio (1032:1) so that a forged trailer cannot cause a huge allocation. -1 if unknown.
     */
    public static long contentSizeHint(Path file) {
        try {
            long size = Files.size(file);
            if (!isGzip(file)) return size;
            if (size < 18) return -1;
            try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                ch.position(size - 4);
                while (b.hasRemaining() && ch.read(b) >= 0) { /* fill */ }
                if (b.hasRemaining()) return -1;
                long isize = b.getInt(0) & 0xFFFFFFFFL;
                return Math.min(isize, 1032L * size);
            }
        } catch (IOException e) {
            throw translate(file, e);
        }
    }

    /**
     * Reads the whole stream, up to {@code cap} bytes, starting with a buffer of {@code sizeHint} bytes (when
     * positive) and growing as data arrives. Returns null when the stream holds more than {@code cap} bytes
     * (the caller reports that in its own words). When the hint is right, nothing is copied.
     */
    public static byte[] readAtMost(InputStream in, long cap, long sizeHint) throws IOException {
        long limit = Math.min(cap, MAX_ARRAY - 1);
        int first = (int) (sizeHint > 0 ? Math.min(sizeHint, limit) : Math.min(limit + 1, FIRST_CHUNK));
        byte[] buf = new byte[Math.max(first, 1)];
        int filled = 0;
        while (true) {
            if (filled == buf.length) {
                int probe = in.read();  // full: is there more, or did the hint fit exactly?
                if (probe < 0) return filled > limit ? null : buf;
                if (filled >= limit) return null;
                buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, Math.max(2L * buf.length, FIRST_CHUNK)));
                buf[filled++] = (byte) probe;
                continue;
            }
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) break;
            filled += r;
        }
        if (filled > limit) return null;
        return filled == buf.length ? buf : Arrays.copyOf(buf, filled);
    }

    /** Fails with TRAILING_DATA when the stream holds anything after the declared content. */
    public static void expectEnd(InputStream in, Path file, long expectedLength) throws IOException {
        long extra = 0;
        byte[] sink = new byte[8192];
        int r;
        // Count at most a little past the end: enough to report, without reading a huge tail.
        while (extra < (1 << 20) && (r = in.read(sink)) > 0) extra += r;
        if (extra > 0) {
            throw DataException.of(Problem.TRAILING_DATA, file, (extra >= (1 << 20) ? "at least " : "") + extra
                    + " unexpected bytes after the " + expectedLength + " bytes its header declares; "
                    + "this is not a canonical file: delete it and download it again");
        }
    }

    /** Reads exactly {@code n} header bytes or reports a truncated file. */
    public static byte[] readHeader(InputStream in, int n, Path file, String what) throws IOException {
        byte[] h = in.readNBytes(n);
        if (h.length < n) {
            throw DataException.of(Problem.TRUNCATED, file, "truncated: only " + h.length + " bytes, too short for "
                    + what + " (" + n + " bytes)");
        }
        return h;
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
