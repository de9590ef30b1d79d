package octoquant.datasets;

import octoquant.datasets.DataException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CIFAR-10 binary reader on files written here in the exact format (no real copy exists on these machines). */
class Cifar10Test {
    private static final int PER_BATCH = 12;
    private static final String[] TRAIN = {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"};

    @TempDir
    Path root;

    private static int[] labels(int batch) {
        int[] l = new int[PER_BATCH];
        for (int i = 0; i < PER_BATCH; i++) l[i] = (batch * 3 + i) % 10;
        return l;
    }

    private static byte[] batch(int b) {
        return TestFiles.cifarBatch(PER_BATCH, b * PER_BATCH, labels(b));
    }

    private void writeFolder(boolean gz) {
        Path f = root.resolve("cifar-10-batches-bin");
        for (int b = 0; b < 5; b++) TestFiles.write(f.resolve(TRAIN[b] + (gz ? ".gz" : "")), TestFiles.maybeGz(batch(b), gz));
        TestFiles.write(f.resolve("test_batch.bin" + (gz ? ".gz" : "")), TestFiles.maybeGz(batch(5), gz));
    }

    private static void assertLayout(TrainTest t) {
        assertEquals(5 * PER_BATCH, t.train().size());
        assertEquals(PER_BATCH, t.test().size());
        assertEquals(3, t.train().channels());
        assertEquals(32, t.train().height());
        for (int i = 0; i < t.train().size(); i++) {
            assertEquals(labels(i / PER_BATCH)[i % PER_BATCH], t.train().label(i));
            // Channel-planar: plane c, row y, column x of record i.
            for (int c = 0; c < 3; c++) {
                assertEquals(TestFiles.patternPixel(i, c, 0, 0), t.train().pixel(i, c, 0, 0));
                assertEquals(TestFiles.patternPixel(i, c, 17, 5), t.train().pixel(i, c, 17, 5));
                assertEquals(TestFiles.patternPixel(i, c, 31, 31), t.train().pixel(i, c, 31, 31));
            }
        }
        assertEquals(TestFiles.patternPixel(5 * PER_BATCH + 3, 2, 9, 30), t.test().pixel(3, 2, 9, 30));
    }

    @Test
    void rawFolder() {
        writeFolder(false);
        TrainTest t = Cifar10.load(root, Verify.STRUCTURE);
        assertLayout(t);
        assertEquals("airplane", t.train().classNames().get(0));
    }

    @Test
    void gzipFolderWithMetaNames() {
        writeFolder(true);
        TestFiles.write(root.resolve("cifar-10-batches-bin/batches.meta.txt"),
                "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n".getBytes(StandardCharsets.UTF_8));
        TrainTest t = Cifar10.load(root, Verify.STRUCTURE);
        assertLayout(t);
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), t.train().classNames());
    }

    private byte[] archive() {
        TestFiles.Tar tar = new TestFiles.Tar().dir("cifar-10-batches-bin/");
        tar.file("cifar-10-batches-bin/batches.meta.txt", "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n".getBytes(StandardCharsets.UTF_8));
        for (int b = 0; b < 5; b++) tar.file("cifar-10-batches-bin/" + TRAIN[b], batch(b));
        tar.file("cifar-10-batches-bin/readme.html", "<html></html>".getBytes(StandardCharsets.UTF_8));
        tar.file("cifar-10-batches-bin/test_batch.bin", batch(5));
        return TestFiles.gzip(tar.bytes());
    }

    @Test
    void archiveReadDirectly() {
        TestFiles.write(root.resolve("cifar-10-binary.tar.gz"), archive());
        TrainTest t = Cifar10.load(root, Verify.STRUCTURE);
        assertLayout(t);
        assertEquals("truck", t.train().classNames().get(9));
        assertEquals(root.resolve("cifar-10-binary.tar.gz").toString(), t.source());
    }

    @Test
    void archiveEntriesInAnyOrderAreJoinedInBatchOrder() {
        TestFiles.Tar tar = new TestFiles.Tar();
        for (int b : new int[] {2, 0, 5, 4, 1, 3}) {
            tar.file("cifar-10-batches-bin/" + (b == 5 ? "test_batch.bin" : TRAIN[b]), batch(b));
        }
        TestFiles.write(root.resolve("cifar-10-binary.tar.gz"), TestFiles.gzip(tar.bytes()));
        assertLayout(Cifar10.load(root, Verify.STRUCTURE));
    }

    @Test
    void archiveWithWrongMd5IsRejectedInCanonicalMode() {
        TestFiles.write(root.resolve("cifar-10-binary.tar.gz"), archive());
        DataException e = assertThrows(DataException.class, () -> Cifar10.load(root, Verify.CANONICAL));
        assertEquals(Problem.CHECKSUM, e.problem());
        assertTrue(e.getMessage().contains("c32a1d4ab5d03f1284b67883e8d87530"), e.getMessage());
    }

    @Test
    void canonicalModeWantsTenThousandRecordsPerFile() {
        writeFolder(false);
        DataException e = assertThrows(DataException.class, () -> Cifar10.load(root, Verify.CANONICAL));
        assertEquals(Problem.COUNT_MISMATCH, e.problem());
        assertTrue(e.getMessage().contains("data_batch_1.bin"), e.getMessage());
    }

    @Test
    void archiveMissingABatch() {
        TestFiles.Tar tar = new TestFiles.Tar();
        for (int b = 0; b < 4; b++) tar.file("cifar-10-batches-bin/" + TRAIN[b], batch(b));
        tar.file("cifar-10-batches-bin/test_batch.bin", batch(5));
        TestFiles.write(root.resolve("cifar-10-binary.tar.gz"), TestFiles.gzip(tar.bytes()));
        DataException e = assertThrows(DataException.class, () -> Cifar10.load(root, Verify.STRUCTURE));
        assertEquals(Problem.MISSING, e.problem());
        assertTrue(e.getMessage().contains("data_batch_5.bin"), e.getMessage());
    }

    @Test
    void labelTenInARecord() {
        writeFolder(false);
        byte[] b = batch(2);
        b[4 * 3073] = 10;
        TestFiles.write(root.resolve("cifar-10-batches-bin/data_batch_3.bin"), b);
        DataException e = assertThrows(DataException.class, () -> Cifar10.load(root, Verify.STRUCTURE));
        assertEquals(Problem.LABEL_OUT_OF_RANGE, e.problem());
        assertTrue(e.getMessage().contains("data_batch_3.bin") && e.getMessage().contains("record 4"), e.getMessage());
    }

    @Test
    void truncatedRecord() {
        writeFolder(false);
        byte[] b = batch(5);
        TestFiles.write(root.resolve("cifar-10-batches-bin/test_batch.bin"), Arrays.copyOf(b, b.length - 1000));
        DataException e = assertThrows(DataException.class, () -> Cifar10.load(root, Verify.STRUCTURE));
        assertEquals(Problem.TRUNCATED, e.problem());
        assertTrue(e.getMessage().contains("test_batch.bin"), e.getMessage());
    }

    @Test
    void moreRecordsThanAnyCanonicalFileIsRefusedWithoutReadingItAll() {
        writeFolder(true);
        // 10,001 records of zeros compress to a few KB; the reader must stop at the cap.
        byte[] big = new byte[10_001 * 3073];
        TestFiles.write(root.resolve("cifar-10-batches-bin/data_batch_1.bin.gz"), TestFiles.gzip(big));
        DataException e = assertThrows(DataException.class, () -> Cifar10.load(root, Verify.STRUCTURE));
        assertEquals(Problem.TOO_LARGE, e.problem());
    }

    @Test
    void badMetaFile() {
        writeFolder(false);
        TestFiles.write(root.resolve("cifar-10-batches-bin/batches.meta.txt"), "a\nb\n".getBytes(StandardCharsets.UTF_8));
        DataException e = assertThrows(DataException.class, () -> Cifar10.load(root, Verify.STRUCTURE));
        assertTrue(e.getMessage().contains("batches.meta.txt") && e.getMessage().contains("2 class names"), e.getMessage());
    }

    @Test
    void nothingThereSaysWhereToGetIt() {
        DataException e = assertThrows(DataException.class, () -> Cifar10.load(root, Verify.STRUCTURE));
        assertEquals(Problem.MISSING, e.problem());
        assertTrue(e.getMessage().contains("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), e.getMessage());
    }

    @Test
    void limitAndNormalizationPerChannel() {
        writeFolder(false);
        TrainTest t = Cifar10.load(root, Verify.STRUCTURE).limit(20, 0);
        assertEquals(20, t.train().size());
        assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, t.train().labelHistogram());
        Normalization n = Normalization.fromTraining(t.train());
        for (int c = 0; c < 3; c++) {
            double s = 0, q = 0;
            long count = 0;
            for (int i = 0; i < t.train().size(); i++)
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++) {
                        double v = t.train().pixel(i, c, y, x) / 255.0;
                        s += v;
                        q += v * v;
                        count++;
                    }
            double mean = s / count;
            assertEquals(mean, n.mean()[c], 1e-6);
            assertEquals(Math.sqrt(q / count - mean * mean), n.std()[c], 1e-6);
        }
    }
}
