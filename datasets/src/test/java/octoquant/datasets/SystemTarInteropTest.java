package octoquant.datasets;

import octoquant.datasets.io.TarExtractor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tar reader against archives made by the system's GNU tar in the formats real archives use (gnu with
 * long-name records, pax, ustar), so that it is not only tested against this project's own test writer.
 */
class SystemTarInteropTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "pax", "ustar"})
    void readsArchivesMadeByGnuTar(String format) throws IOException, InterruptedException {
        Path src = tmp.resolve("src");
        Path batches = src.resolve("cifar-10-batches-bin");
        String[] names = {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"};
        for (int i = 0; i < names.length; i++) TestFiles.write(batches.resolve(names[i]), TestFiles.cifarBatch(2, 2 * i, new int[] {i, 9 - i}));
        String longName = "d".repeat(60) + "/" + "e".repeat(80) + ".txt"; // > 100 characters: needs a long-name record
        TestFiles.write(src.resolve(longName), new byte[] {42});
        Path archive = tmp.resolve("cifar-10-binary.tar.gz");
        Process p;
        try {
            p = new ProcessBuilder("tar", "--format=" + format, "-czf", archive.toString(), "-C", src.toString(), "cifar-10-batches-bin",
                    "d".repeat(60)).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no tar command on this machine: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor() == 0, "tar --format=" + format + " failed: " + out);

        TrainTest t = Cifar10.loadArchive(archive, Verify.STRUCTURE);
        assertEquals(10, t.train().size());
        assertEquals(2, t.test().size());
        assertEquals(9 - 5, t.test().label(1));
        assertEquals(TestFiles.patternPixel(7, 1, 3, 4), t.train().pixel(7, 1, 3, 4));

        Path target = tmp.resolve("out");
        List<Path> written = TarExtractor.extract(archive, target);
        assertEquals(7, written.size());
        assertArrayEquals(new byte[] {42}, Files.readAllBytes(target.resolve(longName)));
        assertArrayEquals(Files.readAllBytes(batches.resolve("test_batch.bin")), Files.readAllBytes(target.resolve("cifar-10-batches-bin/test_batch.bin")));
    }
}
