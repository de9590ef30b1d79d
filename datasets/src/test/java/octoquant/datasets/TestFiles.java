package octoquant.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builders for small files in the exact formats the readers expect (IDX, CIFAR-10 binary, tar). */
final class TestFiles {
    private TestFiles() {}

    static byte[] idxImages(int count, int rows, int cols, long seed) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(0x00000803).putInt(count).putInt(rows).putInt(cols);
        SplitMix64 r = new SplitMix64(seed);
        for (int i = 0; i < count * rows * cols; i++) b.put((byte) r.nextInt(256));
        return b.array();
    }

    static byte[] idxLabels(int count, int classes, long seed) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(0x00000801).putInt(count);
        SplitMix64 r = new SplitMix64(seed);
        for (int i = 0; i < count; i++) b.put((byte) r.nextInt(classes));
        return b.array();
    }

    /** A pixel value that encodes its own position, to check layouts. */
    static int patternPixel(int record, int c, int y, int x) {
        return (record * 7 + c * 101 + y * 13 + x * 3) & 0xFF;
    }

    /** CIFAR-10 binary records: label, then R, G, B planes of 32×32, row-major, pixel = patternPixel. */
    static byte[] cifarBatch(int records, int firstRecord, int[] labels) {
        byte[] out = new byte[records * 3073];
        for (int i = 0; i < records; i++) {
            int o = i * 3073;
            out[o] = (byte) labels[i];
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                        out[o + 1 + c * 1024 + y * 32 + x] = (byte) patternPixel(firstRecord + i, c, y, x);
        }
        return out;
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
                gz.write(raw);
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a complete MNIST-format folder with the given sizes (labels 0..9). */
    static void writeMnistFolder(Path folder, int train, int test, boolean gz) {
        write(folder.resolve("train-images-idx3-ubyte" + (gz ? ".gz" : "")), maybeGz(idxImages(train, 28, 28, 1), gz));
        write(folder.resolve("train-labels-idx1-ubyte" + (gz ? ".gz" : "")), maybeGz(idxLabels(train, 10, 2), gz));
        write(folder.resolve("t10k-images-idx3-ubyte" + (gz ? ".gz" : "")), maybeGz(idxImages(test, 28, 28, 3), gz));
        write(folder.resolve("t10k-labels-idx1-ubyte" + (gz ? ".gz" : "")), maybeGz(idxLabels(test, 10, 4), gz));
    }

    static byte[] maybeGz(byte[] raw, boolean gz) {
        return gz ? gzip(raw) : raw;
    }

    /** A minimal ustar writer, independent of the reader under test. */
    static final class Tar {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Tar file(String name, byte[] data) {
            return entry(name, '0', data, "");
        }

        Tar dir(String name) {
            return entry(name, '5', new byte[0], "");
        }

        Tar symlink(String name, String target) {
            return entry(name, '2', new byte[0], target);
        }

        Tar hardlink(String name, String target) {
            return entry(name, '1', new byte[0], target);
        }

        Tar entry(String name, char type, byte[] data, String link) {
            byte[] h = new byte[512];
            byte[] nb = name.getBytes(StandardCharsets.UTF_8);
            if (nb.length > 100) throw new IllegalArgumentException("name too long for this test writer");
            System.arraycopy(nb, 0, h, 0, nb.length);
            octal(h, 100, 8, 0644);
            octal(h, 108, 8, 0);
            octal(h, 116, 8, 0);
            octal(h, 124, 12, data.length);
            octal(h, 136, 12, 1_600_000_000L);
            for (int i = 148; i < 156; i++) h[i] = ' ';
            h[156] = (byte) type;
            byte[] lb = link.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(lb, 0, h, 157, lb.length);
            System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
            long sum = 0;
            for (byte b : h) sum += b & 0xFF;
            String cs = String.format("%06o", sum);
            System.arraycopy(cs.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
            h[154] = 0;
            h[155] = ' ';
            out.writeBytes(h);
            out.writeBytes(data);
            int pad = (512 - data.length % 512) % 512;
            out.writeBytes(new byte[pad]);
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.writeBytes(out.toByteArray());
            copy.writeBytes(new byte[1024]);
            return copy.toByteArray();
        }

        private static void octal(byte[] h, int off, int len, long v) {
            String s = String.format("%0" + (len - 1) + "o", v);
            System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
        }
    }

    /** The data sets the integration tests need: skip with a reason, or fail when CI=true. */
    static Path requireData(Path folder, String what) {
        if (Files.isDirectory(folder)) return folder;
        String reason = what + " not found at " + folder + " (set OCTOQUANT_SHARED or install dataset-fashion-mnist)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true and " + reason + ": data tests must not be skipped under CI");
        }
        org.junit.jupiter.api.Assumptions.abort(reason);
        return folder;
    }

    /** The shared folder from env OCTOQUANT_SHARED (set by surefire), else ../shared from the module dir. */
    static Path sharedDatasets() {
        String s = System.getenv("OCTOQUANT_SHARED");
        Path shared = s != null && !s.isBlank() ? Path.of(s) : Path.of("..", "..", "shared");
        return shared.resolve("datasets");
    }
}
