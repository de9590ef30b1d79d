package octoquant.datasets.download;

import com.sun.net.httpserver.HttpServer;
import octoquant.datasets.DataException;
import octoquant.datasets.DataException.Problem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The download path against a local HTTP server: success, checksum mismatch, a connection cut midway, retry. */
class DownloaderTest {
    @TempDir
    Path dir;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final byte[] payload = new byte[300_000];

    @BeforeEach
    void start() throws IOException {
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 31 + (i >> 9));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/good.bin", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, payload.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(payload);
            }
        });
        server.createContext("/cut.bin", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, payload.length);
            OutputStream o = ex.getResponseBody();
            o.write(payload, 0, payload.length / 3);
            o.flush();
            // Drop the connection midway: the client sees fewer bytes than Content-Length.
            ex.close();
        });
        server.createContext("/flaky.bin", ex -> {
            int n = requests.incrementAndGet();
            ex.sendResponseHeaders(200, payload.length);
            OutputStream o = ex.getResponseBody();
            o.write(payload, 0, n == 1 ? 1000 : payload.length);
            ex.close();
        });
        server.createContext("/redirect", ex -> {
            requests.incrementAndGet();
            ex.getResponseHeaders().add("Location", "/good.bin");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/good.gz", ex -> {
            requests.incrementAndGet();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
                gz.write(payload);
            }
            ex.sendResponseHeaders(200, b.size());
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b.toByteArray());
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private Downloader downloader() {
        return new Downloader(new PrintStream(log, true), false, 2000, 2000);
    }

    private String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private void assertFolderHoldsOnly(String... names) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(names), s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary or partial files");
        }
    }

    @Test
    void successWritesTheVerifiedFile() throws Exception {
        Path target = dir.resolve("good.bin");
        downloader().fetch(List.of(url("/good.bin")), target, new Downloader.Checksum("SHA-256", sha(payload), false));
        assertArrayEquals(payload, Files.readAllBytes(target));
        assertFolderHoldsOnly("good.bin");
        assertTrue(log.toString().contains("verified"), log.toString());
    }

    @Test
    void checksumOfTheGunzippedContent() throws Exception {
        Path target = dir.resolve("good.gz");
        downloader().fetch(List.of(url("/good.gz")), target, new Downloader.Checksum("SHA-256", sha(payload), true));
        assertFolderHoldsOnly("good.gz");
    }

    @Test
    void followsRedirects() throws Exception {
        Path target = dir.resolve("x.bin");
        downloader().fetch(List.of(url("/redirect")), target, new Downloader.Checksum("SHA-256", sha(payload), false));
        assertArrayEquals(payload, Files.readAllBytes(target));
    }

    @Test
    void checksumMismatchLeavesNothingAndRetriesOnce() throws IOException {
        Path target = dir.resolve("good.bin");
        DataException e = assertThrows(DataException.class, () -> downloader().fetch(List.of(url("/good.bin")), target,
                new Downloader.Checksum("MD5", "c32a1d4ab5d03f1284b67883e8d87530", false)));
        assertEquals(Problem.CHECKSUM, e.problem());
        assertTrue(e.getMessage().contains("good.bin") && e.getMessage().contains("c32a1d4ab5d03f1284b67883e8d87530"), e.getMessage());
        assertEquals(2, requests.get(), "one retry");
        assertFalse(Files.exists(target));
        assertDoesNotLeaveFiles();
    }

    @Test
    void connectionCutMidwayLeavesNothing() throws Exception {
        Path target = dir.resolve("cut.bin");
        DataException e = assertThrows(DataException.class, () -> downloader().fetch(List.of(url("/cut.bin")), target,
                new Downloader.Checksum("SHA-256", sha(payload), false)));
        assertEquals(Problem.DOWNLOAD_FAILED, e.problem(), e.getMessage());
        assertFalse(Files.exists(target));
        assertDoesNotLeaveFiles();
    }

    @Test
    void aRetryRescuesAFlakyServer() throws Exception {
        Path target = dir.resolve("flaky.bin");
        downloader().fetch(List.of(url("/flaky.bin")), target, new Downloader.Checksum("SHA-256", sha(payload), false));
        assertArrayEquals(payload, Files.readAllBytes(target));
        assertEquals(2, requests.get());
        assertFolderHoldsOnly("flaky.bin");
    }

    @Test
    void nextMirrorAfterA404() throws Exception {
        Path target = dir.resolve("good.bin");
        downloader().fetch(List.of(url("/missing.bin"), url("/good.bin")), target, new Downloader.Checksum("SHA-256", sha(payload), false));
        assertArrayEquals(payload, Files.readAllBytes(target));
    }

    @Test
    void noServerListening() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path target = dir.resolve("none.bin");
        DataException e = assertThrows(DataException.class, () -> downloader().fetch(List.of(URI.create("http://127.0.0.1:" + port + "/x")),
                target, new Downloader.Checksum("SHA-256", "00", false)));
        assertEquals(Problem.DOWNLOAD_FAILED, e.problem());
        assertFalse(Files.exists(target));
    }

    @Test
    void unknownHostIsNotRetried() {
        Path target = dir.resolve("x.bin");
        // ".invalid" never resolves (RFC 2606); then the local good mirror delivers.
        downloader().fetch(List.of(URI.create("http://no-such-host.invalid/x.bin"), url("/good.bin")), target,
                new Downloader.Checksum("SHA-256", shaUnchecked(payload), false));
        assertEquals(1, log.toString().lines().filter(l -> l.startsWith("download of http://no-such-host.invalid")).count(), log.toString());
        assertTrue(Files.exists(target));
    }

    private String shaUnchecked(byte[] b) {
        try {
            return sha(b);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void assertDoesNotLeaveFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }
}
