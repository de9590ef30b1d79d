package octoquant.datasets.io;

import octoquant.datasets.DataException;
import octoquant.datasets.DataException.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A minimal streaming reader for POSIX ustar / GNU tar archives, enough for {@code cifar-10-binary.tar.gz}.
 *
 * <p>Each entry is a 512-byte header (name, octal size, checksum, type flag, ustar prefix) followed by its
 * data padded to 512 bytes; two zero blocks end the archive. GNU long names (type 'L') and pax path records
 * (type 'x') are understood so that long names are not silently cut. Header checksums are verified. Nothing
 * is written anywhere by this class: see {@link TarExtractor} for safe extraction.
 */
public final class TarReader {
    /** One archive member. {@code type} is the tar type flag ('0' file, '5' directory, '2' symlink, ...). */
    public record Entry(String name, char type, long size, String linkName) {
        public boolean isFile() { return type == '0' || type == '\0' || type == '7'; }
        public boolean isDirectory() { return type == '5'; }
    }

    private static final int BLOCK = 512;
    /** Metadata records (long names, pax) larger than this are refused rather than buffered. */
    private static final int MAX_META = 1 << 16;

    private final InputStream in;
    private final Path archive;
    private long remaining;   // unread data bytes of the current entry
    private long padding;     // padding after the current entry's data
    private boolean finished;

    public TarReader(InputStream in, Path archiveForMessages) {
        this.in = in;
        this.archive = archiveForMessages;
    }

    /** The next entry, or null at the end of the archive. Skips whatever of the previous entry was not read. */
    public Entry next() throws IOException {
        if (finished) return null;
        skipFully(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        while (true) {
            byte[] h = in.readNBytes(BLOCK);
            if (h.length == 0) {
                // Some writers omit the two terminating zero blocks; an archive that simply ends is accepted.
                finished = true;
                return null;
            }
            if (h.length < BLOCK) throw bad("truncated: a tar header is cut short");
            if (isZero(h)) {
                finished = true;
                return null;
            }
            verifyChecksum(h);
            char type = (char) (h[156] & 0xFF);
            long size = parseOctal(h, 124, 12, "size");
            String name = string(h, 0, 100);
            String magic = string(h, 257, 6);
            if (magic.startsWith("ustar")) {
                String prefix = string(h, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
            }
            if (type == 'L' || type == 'x' || type == 'g') {
                if (size > MAX_META) throw bad("a tar metadata record of " + size + " bytes is implausibly large");
                byte[] meta = in.readNBytes((int) size);
                if (meta.length < size) throw bad("truncated: a tar metadata record is cut short");
                skipFully(pad(size));
                if (type == 'L') longName = cString(meta);
                else if (type == 'x') {
                    String p = paxPath(meta);
                    if (p != null) longName = p;
                }
                continue;
            }
            if (longName != null) name = longName;
            String link = string(h, 157, 100);
            boolean hasData = type != '5' && type != '1' && type != '2';
            remaining = hasData ? size : 0;
            padding = hasData ? pad(size) : 0;
            return new Entry(name, type, hasData ? size : 0, link);
        }
    }

    /** The current entry's data; reading past its end returns -1. Valid until the next call to next(). */
    public InputStream entryData() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int r = read(one, 0, 1);
                return r < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) return -1;
                int r = in.read(b, off, (int) Math.min(len, remaining));
                if (r < 0) throw bad("truncated: the archive ends inside an entry");
                remaining -= r;
                return r;
            }
        };
    }

    /** Consumes the rest of the underlying stream (so a digest over it covers the whole file). */
    public void drain() throws IOException {
        byte[] sink = new byte[1 << 16];
        while (in.read(sink) >= 0) { /* discard */ }
    }

    private DataException bad(String message) {
        return DataException.of(Problem.BAD_ARCHIVE, archive, message + "; delete the archive and download it again");
    }

    private void skipFully(long n) throws IOException {
        byte[] sink = new byte[8192];
        while (n > 0) {
            int r = in.read(sink, 0, (int) Math.min(sink.length, n));
            if (r < 0) throw bad("truncated: the archive ends inside an entry");
            n -= r;
        }
    }

    private static long pad(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private void verifyChecksum(byte[] h) {
        long stored = parseOctal(h, 148, 8, "checksum");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xFF);
        if (sum != stored) throw bad("not a tar archive (header checksum " + stored + " != computed " + sum + ")");
    }

    private long parseOctal(byte[] h, int off, int len, String field) {
        if ((h[off] & 0x80) != 0) throw bad("tar " + field + " field uses base-256 encoding (entry too large)");
        long v = 0;
        int i = off, end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) i++;
        boolean any = false;
        for (; i < end && h[i] != 0 && h[i] != ' '; i++) {
            int d = h[i] - '0';
            if (d < 0 || d > 7) throw bad("not a tar archive (bad octal digit in the " + field + " field)");
            v = (v << 3) | d;
            any = true;
            if (v > (1L << 40)) throw bad("tar " + field + " field is implausibly large");
        }
        if (!any) throw bad("not a tar archive (empty " + field + " field)");
        return v;
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) if (b != 0) return false;
        return true;
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) end++;
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** pax extended header: records "LEN key=value\n"; returns the "path" value if present. */
    private String paxPath(byte[] meta) {
        String s = new String(meta, StandardCharsets.UTF_8);
        String found = null;
        int pos = 0;
        while (pos < s.length()) {
            int sp = s.indexOf(' ', pos);
            if (sp < 0) break;
            int len;
            try {
                len = Integer.parseInt(s.substring(pos, sp));
            } catch (NumberFormatException e) {
                throw bad("malformed pax header");
            }
            if (len <= 0 || pos + len > s.length() || len <= sp - pos) throw bad("malformed pax header");
            String rec = s.substring(sp + 1, pos + len);
            if (rec.endsWith("\n")) rec = rec.substring(0, rec.length() - 1);
            if (rec.startsWith("path=")) found = rec.substring(5);
            pos += len;
        }
        return found;
    }
}
