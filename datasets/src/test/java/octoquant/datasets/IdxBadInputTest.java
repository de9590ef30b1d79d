package octoquant.datasets;

import octoquant.datasets.DataException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind of broken IDX input gets its own one-line DataException naming the file. */
class IdxBadInputTest {
    @TempDir
    Path dir;

    private Path folder() {
        return dir.resolve("mnist");
    }

    private DataException loadFails(Problem expected, String fileName) {
        DataException e = assertThrows(DataException.class, () -> Mnist.load(folder(), Verify.STRUCTURE));
        assertEquals(expected, e.problem(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().contains(fileName), "names the file: " + e.getMessage());
        return e;
    }

    @Test
    void validRawAndGzipFoldersLoadTheSameContent() {
        TestFiles.writeMnistFolder(dir.resolve("raw"), 50, 20, false);
        TestFiles.writeMnistFolder(dir.resolve("gz"), 50, 20, true);
        TrainTest a = Mnist.load(dir.resolve("raw"), Verify.STRUCTURE);
        TrainTest b = Mnist.load(dir.resolve("gz"), Verify.STRUCTURE);
        assertEquals(50, a.train().size());
        assertEquals(20, a.test().size());
        byte[] img = TestFiles.idxImages(50, 28, 28, 1);
        for (int i = 0; i < 50; i++) {
            assertEquals(img[16 + i * 784 + 5 * 28 + 7] & 0xFF, a.train().pixel(i, 0, 5, 7));
            assertEquals(a.train().pixel(i, 0, 5, 7), b.train().pixel(i, 0, 5, 7));
            assertEquals(a.train().label(i), b.train().label(i));
        }
        byte[] labels = TestFiles.idxLabels(50, 10, 2);
        assertEquals(labels[8 + 49], a.train().label(49));
    }

    @Test
    void truncatedImageFile() {
        TestFiles.writeMnistFolder(folder(), 50, 20, false);
        byte[] img = TestFiles.idxImages(50, 28, 28, 1);
        TestFiles.write(folder().resolve("train-images-idx3-ubyte"), Arrays.copyOf(img, img.length - 100));
        DataException e = loadFails(Problem.TRUNCATED, "train-images-idx3-ubyte");
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedInsideGzip() {
        TestFiles.writeMnistFolder(folder(), 50, 20, true);
        // A complete gzip stream whose content is cut: the IDX layer must notice.
        byte[] img = TestFiles.idxImages(50, 28, 28, 1);
        TestFiles.write(folder().resolve("train-images-idx3-ubyte.gz"), TestFiles.gzip(Arrays.copyOf(img, 16 + 49 * 784)));
        loadFails(Problem.TRUNCATED, "train-images-idx3-ubyte.gz");
    }

    @Test
    void corruptGzipStream() {
        TestFiles.writeMnistFolder(folder(), 50, 20, true);
        byte[] gz = TestFiles.gzip(TestFiles.idxLabels(50, 10, 2));
        for (int i = 12; i < gz.length - 8; i++) gz[i] ^= 0x5A;
        TestFiles.write(folder().resolve("train-labels-idx1-ubyte.gz"), gz);
        DataException e = loadFails(Problem.CORRUPT_GZIP, "train-labels-idx1-ubyte.gz");
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void gzipCutShort() {
        TestFiles.writeMnistFolder(folder(), 50, 20, true);
        byte[] gz = TestFiles.gzip(TestFiles.idxImages(50, 28, 28, 1));
        TestFiles.write(folder().resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(gz, gz.length / 2));
        loadFails(Problem.CORRUPT_GZIP, "train-images-idx3-ubyte.gz");
    }

    @Test
    void wrongMagic() {
        TestFiles.writeMnistFolder(folder(), 50, 20, false);
        // The label file where the image file should be.
        TestFiles.write(folder().resolve("t10k-images-idx3-ubyte"), TestFiles.idxLabels(20, 10, 9));
        DataException e = loadFails(Problem.WRONG_MAGIC, "t10k-images-idx3-ubyte");
        assertTrue(e.getMessage().contains("0x00000801"), e.getMessage());
    }

    @Test
    void wrongImageSize() {
        TestFiles.writeMnistFolder(folder(), 50, 20, false);
        TestFiles.write(folder().resolve("train-images-idx3-ubyte"), TestFiles.idxImages(50, 32, 32, 1));
        loadFails(Problem.WRONG_MAGIC, "train-images-idx3-ubyte");
    }

    @Test
    void countMismatch() {
        TestFiles.writeMnistFolder(folder(), 50, 20, false);
        TestFiles.write(folder().resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(49, 10, 2));
        DataException e = loadFails(Problem.COUNT_MISMATCH, "train-labels-idx1-ubyte");
        assertTrue(e.getMessage().contains("49") && e.getMessage().contains("50"), e.getMessage());
    }

    @Test
    void labelTen() {
        TestFiles.writeMnistFolder(folder(), 50, 20, false);
        byte[] labels = TestFiles.idxLabels(20, 10, 4);
        labels[8 + 13] = 10;
        TestFiles.write(folder().resolve("t10k-labels-idx1-ubyte"), labels);
        DataException e = loadFails(Problem.LABEL_OUT_OF_RANGE, "t10k-labels-idx1-ubyte");
        assertTrue(e.getMessage().contains("label 10 of example 13"), e.getMessage());
    }

    @Test
    void trailingBytes() {
        TestFiles.writeMnistFolder(folder(), 50, 20, true);
        byte[] labels = TestFiles.idxLabels(50, 10, 2);
        TestFiles.write(folder().resolve("train-labels-idx1-ubyte.gz"), TestFiles.gzip(Arrays.copyOf(labels, labels.length + 3)));
        loadFails(Problem.TRAILING_DATA, "train-labels-idx1-ubyte.gz");
    }

    @Test
    void hugeDeclaredCountCostsNoHugeAllocation() {
        TestFiles.writeMnistFolder(folder(), 50, 20, true);
        // 2,000,000 images of 28×28 = 1.57 GB declared, 1 KB present: must fail fast without allocating the declaration.
        ByteBuffer b = ByteBuffer.allocate(16 + 1000);
        b.putInt(0x803).putInt(2_000_000).putInt(28).putInt(28);
        TestFiles.write(folder().resolve("train-images-idx3-ubyte.gz"), TestFiles.gzip(b.array()));
        long before = usedHeap();
        loadFails(Problem.TRUNCATED, "train-images-idx3-ubyte.gz");
        assertTrue(usedHeap() - before < 200_000_000L, "no giant buffer survived");
        // Beyond what a Java array can hold: refused outright.
        ByteBuffer c = ByteBuffer.allocate(16);
        c.putInt(0x803).putInt(Integer.MAX_VALUE).putInt(28).putInt(28);
        TestFiles.write(folder().resolve("train-images-idx3-ubyte.gz"), TestFiles.gzip(c.array()));
        loadFails(Problem.TOO_LARGE, "train-images-idx3-ubyte.gz");
    }

    @Test
    void dimensionsWhoseProductOverflowsALongAreTooLargeNotACrash() {
        TestFiles.writeMnistFolder(folder(), 50, 20, true);
        // 60,000 × (2^31 − 1) × (2^31 − 1) overflows a long: it used to come out as a negative array size.
        ByteBuffer b = ByteBuffer.allocate(16 + 100);
        b.putInt(0x803).putInt(60_000).putInt(Integer.MAX_VALUE).putInt(Integer.MAX_VALUE);
        TestFiles.write(folder().resolve("train-images-idx3-ubyte.gz"), TestFiles.gzip(b.array()));
        loadFails(Problem.TOO_LARGE, "train-images-idx3-ubyte.gz");
        TestFiles.writeMnistFolder(folder(), 50, 20, false);
        TestFiles.write(folder().resolve("train-images-idx3-ubyte"), b.array());
        loadFails(Problem.TRUNCATED, "train-images-idx3-ubyte");
    }

    @Test
    void negativeDimension() {
        TestFiles.writeMnistFolder(folder(), 50, 20, false);
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putInt(0x803).putInt(-5).putInt(28).putInt(28);
        TestFiles.write(folder().resolve("train-images-idx3-ubyte"), b.array());
        loadFails(Problem.WRONG_MAGIC, "train-images-idx3-ubyte");
    }

    @Test
    void emptyFile() {
        TestFiles.writeMnistFolder(folder(), 50, 20, false);
        TestFiles.write(folder().resolve("train-labels-idx1-ubyte"), new byte[0]);
        loadFails(Problem.TRUNCATED, "train-labels-idx1-ubyte");
    }

    @Test
    void missingFileSaysWhatToDo() {
        TestFiles.writeMnistFolder(folder(), 50, 20, true);
        try {
            Files.delete(folder().resolve("t10k-labels-idx1-ubyte.gz"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        DataException e = loadFails(Problem.MISSING, "t10k-labels-idx1-ubyte");
        assertTrue(e.getMessage().contains("put the MNIST files in"), e.getMessage());
    }

    @Test
    void aDirectoryWhereAFileShouldBeIsUnreadable() throws IOException {
        TestFiles.writeMnistFolder(folder(), 50, 20, false);
        Files.delete(folder().resolve("train-labels-idx1-ubyte"));
        Files.createDirectories(folder().resolve("train-labels-idx1-ubyte.gz"));
        // find() only accepts regular files, so the directory counts as missing; read it directly instead.
        DataException e = assertThrows(DataException.class,
                () -> octoquant.datasets.io.IdxReader.readLabels(folder().resolve("train-labels-idx1-ubyte.gz")));
        assertEquals(Problem.UNREADABLE, e.problem());
    }

    @Test
    void permissionDeniedIsUnreadable() throws IOException {
        TestFiles.writeMnistFolder(folder(), 50, 20, false);
        Path f = folder().resolve("train-images-idx3-ubyte");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        if (Files.isReadable(f)) {
            // Running as root: permissions do not stop reads, so check the mapping of the JDK's exception directly.
            DataException e = octoquant.datasets.io.Inputs.translate(f, new java.nio.file.AccessDeniedException(f.toString()));
            assertEquals(Problem.UNREADABLE, e.problem());
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("permission denied"), e.getMessage());
        } else {
            loadFails(Problem.UNREADABLE, "train-images-idx3-ubyte");
        }
    }

    @Test
    void canonicalModeRejectsNonCanonicalContent() {
        TestFiles.writeMnistFolder(folder(), 50, 20, true);
        DataException e = assertThrows(DataException.class, () -> Mnist.load(folder()));
        assertEquals(Problem.CHECKSUM, e.problem());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz: SHA-256"), e.getMessage());
        assertTrue(e.getMessage().contains("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"), e.getMessage());
    }

    private static long usedHeap() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
