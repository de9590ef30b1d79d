package octoquant.datasets;

import com.sun.net.httpserver.HttpServer;
import octoquant.datasets.DataException.Problem;
import octoquant.datasets.download.Downloader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facade: missing data explains itself; a real download through a local server lands verified. */
class DatasetsTest {
    @TempDir
    Path tmp;

    @Test
    void missingWithoutDownloaderSaysWhatToPutWhere() {
        DataLocator l = new DataLocator(tmp.resolve("data"), Map.of(), tmp, tmp, null);
        DataException e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.MNIST, l, null));
        assertEquals(Problem.MISSING, e.problem());
        String m = e.getMessage();
        assertTrue(m.contains("train-images-idx3-ubyte.gz") && m.contains("t10k-labels-idx1-ubyte.gz"), m);
        assertTrue(m.contains(tmp.resolve("data/mnist").toString()), m);
        assertTrue(m.contains("https://ossci-datasets.s3.amazonaws.com/mnist/"), m);
        assertTrue(!m.contains("\n"));
    }

    @Test
    void dataFlagPointingAtTheDatasetFolderItselfGetsAHint() {
        TestFiles.writeMnistFolder(tmp.resolve("mine"), 10, 10, true);
        DataLocator l = new DataLocator(tmp.resolve("mine"), Map.of(), tmp, tmp, null);
        DataException e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.MNIST, l, null));
        assertTrue(e.getMessage().contains("itself holds the MNIST files") && e.getMessage().contains("--data " + tmp), e.getMessage());
    }

    @Test
    void lecunDottedNamesAreAccepted() {
        Path f = tmp.resolve("mnist");
        TestFiles.writeMnistFolder(f, 10, 5, false);
        for (String n : new String[] {"train-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            try {
                Files.move(f.resolve(n), f.resolve(n.replaceFirst("-idx", ".idx")));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        assertEquals(5, Mnist.load(f, Verify.STRUCTURE).test().size());
    }

    @Test
    void cifarMissingNamesTheArchiveAndItsMd5() {
        DataLocator l = new DataLocator(tmp.resolve("data"), Map.of(), tmp, tmp, null);
        DataException e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.CIFAR10, l, null));
        assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz") && e.getMessage().contains("c32a1d4ab5d03f1284b67883e8d87530"), e.getMessage());
    }

    @Test
    void noNetworkStillSaysWhatToDo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path root = tmp.resolve("data");
        Downloader d = new Downloader(new PrintStream(new ByteArrayOutputStream()), false, 1000, 1000);
        DataLocator.Location target = new DataLocator.Location(root, root.resolve("mnist"));
        DataException cause = assertThrows(DataException.class,
                () -> Datasets.download(DatasetId.MNIST, target, d, List.of("http://127.0.0.1:" + port + "/")));
        DataException e = Datasets.missing(DatasetId.MNIST, new DataLocator(root, Map.of(), tmp, tmp, null), target, cause);
        assertEquals(Problem.DOWNLOAD_FAILED, e.problem());
        assertTrue(e.getMessage().contains("download failed") && e.getMessage().contains("put train-images-idx3-ubyte.gz"), e.getMessage());
        try (Stream<Path> s = Files.walk(root)) {
            assertEquals(0, s.filter(Files::isRegularFile).count(), "nothing written");
        }
    }

    /** Serves the real MNIST .gz files from ../shared over HTTP; the download is verified against the raw SHA-256. */
    @Test
    void downloadsVerifiesAndLoadsRealMnist() throws IOException {
        Path shared = TestFiles.requireData(TestFiles.sharedDatasets().resolve("mnist"), "MNIST");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mnist/", ex -> {
            Path f = shared.resolve(Path.of(ex.getRequestURI().getPath()).getFileName().toString());
            if (!Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(200, Files.size(f));
            try (OutputStream o = ex.getResponseBody()) {
                Files.copy(f, o);
            }
        });
        server.start();
        try {
            Path root = tmp.resolve("data");
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Downloader d = new Downloader(new PrintStream(log, true), false, 2000, 5000);
            DataLocator.Location target = new DataLocator.Location(root, root.resolve("mnist"));
            Datasets.download(DatasetId.MNIST, target, d, List.of("http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/"));
            TrainTest t = Datasets.load(DatasetId.MNIST, new DataLocator(root, Map.of(), tmp, tmp, null), null);
            assertEquals(60_000, t.train().size());
            assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, t.test().labelHistogram());
            try (Stream<Path> s = Files.list(root.resolve("mnist"))) {
                assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
                        "train-labels-idx1-ubyte.gz"), s.map(p -> p.getFileName().toString()).sorted().toList());
            }
            assertTrue(log.toString().contains("verified"), log.toString());
        } finally {
            server.stop(0);
        }
    }
}
