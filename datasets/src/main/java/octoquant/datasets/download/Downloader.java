package octoquant.datasets.download;

import octoquant.datasets.DataException;
import octoquant.datasets.DataException.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Fetches a canonical file over HTTP(S) and puts it under its final name only once verified.
 *
 * <p>Each URL is tried twice (one retry) before the next mirror. The body is written to a temporary file in
 * the target folder; its checksum is checked (over the bytes, or over the un-gzipped content when the
 * published checksum is of the raw file); only then is it renamed atomically to the final name. On any
 * failure the temporary file is deleted, so nothing partial ever sits under the final name. Stalled
 * connections time out ({@code readTimeout}), so a dead server cannot hang a run.
 */
public final class Downloader {
    /** The expected checksum: algorithm ("SHA-256" or "MD5"), hex value, and whether it is of the gunzipped content. */
    public record Checksum(String algorithm, String hex, boolean ofGunzipped) {}

    private static final int MAX_REDIRECTS = 5;
    private final PrintStream progress;
    private final boolean interactive;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    public Downloader(PrintStream progress, boolean interactive, int connectTimeoutMillis, int readTimeoutMillis) {
        this.progress = progress;
        this.interactive = interactive;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** Progress to stderr (a bar on a terminal), 10 s to connect, 60 s without data before giving up. */
    public static Downloader standard() {
        return new Downloader(System.err, stderrIsTerminal(), 10_000, 60_000);
    }

    /** JDK 22+ may hand out a Console when output is redirected; there Console.isTerminal() tells (read reflectively: Java 17 bytecode). */
    private static boolean stderrIsTerminal() {
        java.io.Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 a non-null console means a terminal
        }
    }

    /**
     * Downloads {@code target} from the first URL that delivers a verified copy.
     *
     * @throws DataException DOWNLOAD_FAILED (network, HTTP status, cut transfer) or CHECKSUM, naming the
     *                       file and the last error; the final name is then untouched
     */
    public void fetch(List<URI> urls, Path target, Checksum expected) {
        if (urls.isEmpty()) throw new IllegalArgumentException("no URL for " + target);
        DataException last = null;
        for (URI url : urls) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                try {
                    fetchOnce(url, target, expected);
                    return;
                } catch (DataException e) {
                    last = e;
                    if (progress != null) progress.println("download of " + url + " failed (attempt " + attempt + "): " + e.getMessage());
                    // An unknown host stays unknown a second later: go straight to the next mirror.
                    if (e.getCause() instanceof java.net.UnknownHostException) break;
                }
            }
        }
        throw last;
    }

    private void fetchOnce(URI url, Path target, Checksum expected) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, target.getFileName() + ".", ".part");
            MessageDigest digest = expected.ofGunzipped() ? null : digest(expected.algorithm(), target);
            HttpURLConnection conn = open(url, target);
            try {
                long total = conn.getContentLengthLong();
                long done = 0;
                ProgressBar bar = new ProgressBar(progress, interactive, target.getFileName().toString(), total);
                try (InputStream body = conn.getInputStream(); OutputStream out = Files.newOutputStream(tmp)) {
                    byte[] buf = new byte[1 << 16];
                    int r;
                    while ((r = body.read(buf)) >= 0) {
                        out.write(buf, 0, r);
                        if (digest != null) digest.update(buf, 0, r);
                        done += r;
                        bar.update(done);
                    }
                }
                if (total >= 0 && done != total) {
                    bar.finish(done, "incomplete");
                    throw fail(Problem.DOWNLOAD_FAILED, target, url, "transfer cut after " + done + " of " + total + " bytes");
                }
                String actual = digest != null ? HexFormat.of().formatHex(digest.digest()) : gunzippedDigest(tmp, expected.algorithm(), target, url);
                if (!actual.equalsIgnoreCase(expected.hex())) {
                    bar.finish(done, "checksum mismatch");
                    throw fail(Problem.CHECKSUM, target, url, expected.algorithm() + " " + actual + " differs from the published "
                            + expected.hex());
                }
                bar.finish(done, "verified");
            } finally {
                conn.disconnect();
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw DataException.of(Problem.DOWNLOAD_FAILED, target, "download from " + url + " failed: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Best effort: the temporary name never looks like a data file, so a leftover is harmless.
                }
            }
        }
    }

    /** Opens the connection, following redirects (also http → https, which HttpURLConnection alone refuses). */
    private HttpURLConnection open(URI url, Path target) throws IOException {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            URL u = current.toURL();
            HttpURLConnection conn = (HttpURLConnection) u.openConnection();
            conn.setConnectTimeout(connectTimeoutMillis);
            conn.setReadTimeout(readTimeoutMillis);
            conn.setInstanceFollowRedirects(false);
            conn.setRequestProperty("User-Agent", "octoquant-datasets");
            int status = conn.getResponseCode();
            if (status >= 300 && status < 400) {
                String loc = conn.getHeaderField("Location");
                conn.disconnect();
                if (loc == null) throw fail(Problem.DOWNLOAD_FAILED, target, current, "HTTP " + status + " without Location");
                current = current.resolve(loc);
                continue;
            }
            if (status != 200) {
                conn.disconnect();
                throw fail(Problem.DOWNLOAD_FAILED, target, current, "HTTP " + status);
            }
            return conn;
        }
        throw fail(Problem.DOWNLOAD_FAILED, target, url, "more than " + MAX_REDIRECTS + " redirects");
    }

    private static String gunzippedDigest(Path tmp, String algorithm, Path target, URI url) {
        MessageDigest d = digest(algorithm, target);
        try (InputStream in = new DigestInputStream(new GZIPInputStream(Files.newInputStream(tmp), 1 << 16), d)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw fail(Problem.CORRUPT_GZIP, target, url, "the downloaded file is not a valid gzip stream (" + e.getMessage() + ")");
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest digest(String algorithm, Path target) {
        try {
            return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown checksum algorithm " + algorithm + " for " + target, e);
        }
    }

    private static DataException fail(Problem p, Path target, URI url, String why) {
        return DataException.of(p, target, "download from " + url + " failed: " + why);
    }
}
