package octoquant.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLocatorTest {
    @TempDir
    Path tmp;

    private List<Path> folders(DataLocator l, DatasetId id) {
        return l.candidates(id).stream().map(DataLocator.Location::folder).toList();
    }

    @Test
    void dataFlagIsTheOnlyPlace() {
        Path data = tmp.resolve("d");
        DataLocator l = new DataLocator(data, Map.of("OCTOQUANT_DATA", "/x", "OCTOQUANT_SHARED", "/s"), tmp, tmp, Path.of("/deb/fashion-mnist"));
        assertEquals(List.of(data.resolve("fashion-mnist")), folders(l, DatasetId.FASHION_MNIST));
        assertEquals(data, l.downloadRoot());
    }

    @Test
    void orderWithoutFlag() {
        Path home = tmp.resolve("home"), cwd = tmp.resolve("work/repo");
        DataLocator l = new DataLocator(null, Map.of("OCTOQUANT_DATA", "/data", "OCTOQUANT_SHARED", "/shared"), home, cwd, Path.of("/deb/fashion-mnist"));
        assertEquals(List.of(Path.of("/data/fashion-mnist"), home.resolve(".cache/octoquant/fashion-mnist"),
                Path.of("/shared/datasets/fashion-mnist"), tmp.resolve("work/shared/datasets/fashion-mnist"),
                Path.of("/deb/fashion-mnist")), folders(l, DatasetId.FASHION_MNIST));
        assertEquals(Path.of("/data"), l.downloadRoot());
        assertEquals(4, folders(l, DatasetId.MNIST).size(), "the Debian folder is for Fashion-MNIST only");
    }

    @Test
    void xdgCacheAndDefaultDownloadRoot() {
        DataLocator l = new DataLocator(null, Map.of("XDG_CACHE_HOME", "/xdg"), tmp, tmp, null);
        assertEquals(Path.of("/xdg/octoquant"), l.downloadRoot());
        DataLocator m = new DataLocator(null, Map.of(), tmp, tmp, null);
        assertEquals(tmp.resolve(".cache/octoquant"), m.downloadRoot());
    }

    @Test
    void findsTheFirstCompleteCopy() {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        // a holds an incomplete copy, b a complete one.
        TestFiles.write(a.resolve("mnist/train-images-idx3-ubyte.gz"), new byte[] {1});
        TestFiles.writeMnistFolder(b.resolve("mnist"), 10, 10, true);
        DataLocator l = new DataLocator(null, Map.of("OCTOQUANT_DATA", a.toString(), "OCTOQUANT_SHARED", b.toString()),
                tmp.resolve("home"), tmp.resolve("cwd"), null);
        // OCTOQUANT_SHARED points at a folder whose datasets/ sub-folder is searched.
        assertTrue(l.find(DatasetId.MNIST).isEmpty());
        TestFiles.writeMnistFolder(b.resolve("datasets/mnist"), 10, 10, true);
        assertEquals(b.resolve("datasets/mnist"), l.find(DatasetId.MNIST).orElseThrow().folder());
    }

    @Test
    void cifarArchiveCountsAsPresent() {
        TestFiles.write(tmp.resolve("c/cifar-10-binary.tar.gz"), new byte[] {1});
        DataLocator l = new DataLocator(tmp.resolve("c"), Map.of(), tmp, tmp, null);
        assertEquals(tmp.resolve("c"), l.find(DatasetId.CIFAR10).orElseThrow().root());
    }
}
