package octoquant.experiments.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium in headless mode, started once per page with a fresh profile and the flags that work
 * on a machine without network (no background connections, no sandbox when run as root).
 */
final class HeadlessChromium {
    private static final long TIMEOUT_SECONDS = 180;

    private final Path executable;
    private final Path work;

    private HeadlessChromium(Path executable, Path work) {
        this.executable = executable;
        this.work = work;
    }

    /** The browser named by $CHROMIUM, else /usr/bin/chromium, else chromium on the PATH; empty if none. */
    static Optional<HeadlessChromium> find(Path work) {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("CHROMIUM");
        if (env != null && !env.isBlank()) candidates.add(Path.of(env));
        candidates.add(Path.of("/usr/bin/chromium"));
        String path = System.getenv("PATH");
        if (path != null) for (String d : path.split(java.io.File.pathSeparator)) candidates.add(Path.of(d, "chromium"));
        return candidates.stream().filter(Files::isExecutable).findFirst().map(p -> new HeadlessChromium(p, work));
    }

    /** The DOM after the page (and the frames it loads) finished loading and its scripts ran. */
    String dumpDom(String url, int width, int height) throws IOException, InterruptedException {
        return run(url, List.of("--window-size=" + width + "," + height, "--virtual-time-budget=3000", "--dump-dom"));
    }

    /** A PNG of the first {@code height} pixels of the page at {@code width} pixels, one pixel per CSS pixel. */
    void screenshot(String url, int width, int height, Path png) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        run(url, List.of("--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath()));
        if (!Files.isRegularFile(png)) throw new IOException("chromium wrote no screenshot of " + url);
    }

    private String run(String url, List<String> extra) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path profile = Files.createTempDirectory(work, "profile");
        Path out = work.resolve(profile.getFileName() + ".out"), err = work.resolve(profile.getFileName() + ".err");
        List<String> cmd = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(extra);
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("chromium did not finish " + url + " within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("chromium exited with " + p.exitValue() + " on " + url + ": "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            delete(profile);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
