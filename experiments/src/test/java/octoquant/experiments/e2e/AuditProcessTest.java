package octoquant.experiments.e2e;

import octoquant.experiments.grid.RunResultFile;
import octoquant.experiments.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A small audit through the jar's main class as a process (a few hundred MNIST and Fashion-MNIST images, 2 seeds,
 * 1 epoch): every claim gets a row in verdicts.json, the statistical ones "not testable here (n = 2 < 5)" with
 * their numbers, CIFAR-10's rows say it is not here and how to provide it; then the same audit killed with
 * SIGKILL part-way and resumed ends with the same verdicts and per-run numbers.
 */
class AuditProcessTest {

    private static List<String> args(Path out) {
        return new ArrayList<>(List.of("audit", "--data", CliProcess.sharedData().toString(), "--out", out.toString(), "--seeds",
                "2", "--epochs", "1", "--limit-train", "200", "--limit-test", "100", "--threads", "2"));
    }

    /** No CIFAR-10 anywhere the audit looks (an empty cache, no OCTOQUANT_DATA). */
    private static Map<String, String> env(Path tmp) {
        return Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString(), "OCTOQUANT_DATA", "", "OCTOQUANT_SHARED", "");
    }

    @SuppressWarnings("unchecked")
    @Test
    void smallAuditHasEveryClaimAndAKilledAuditResumesToTheSameNumbers(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole"), broken = tmp.resolve("broken");
        CliProcess.Result a = CliProcess.run(CliProcess.directCommand(args(whole).toArray(String[]::new)), env(tmp));
        assertEquals(0, a.code(), a.out() + a.err());
        assertTrue(a.out().contains("audit plan (budget quick, 2 seeds)"), a.out());
        assertTrue(a.out().contains("estimated time:") && a.out().contains("ETA"), a.out());
        assertTrue(a.out().contains("9. the seed's printed numbers"), "the console ends with the verdict table");

        Map<String, Object> v = (Map<String, Object>) Json.parse(Files.readString(whole.resolve("verdicts.json")));
        assertEquals("octoquant-verdicts/1", v.get("schema"));
        List<Map<String, Object>> claims = (List<Map<String, Object>>) v.get("claims");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), claims.stream().map(c -> c.get("id")).toList());
        for (Map<String, Object> c : claims.subList(0, 6)) {
            assertTrue(((String) c.get("verdict")).startsWith("not testable here ("), c.get("id") + ": " + c.get("verdict"));
        }
        List<Map<String, Object>> rows1 = (List<Map<String, Object>>) claims.get(0).get("rows");
        Map<String, Object> storage = rows1.stream().filter(r -> "fashion-mnist".equals(r.get("dataSet")) && "storage".equals(r.get("mode")))
                .findFirst().orElseThrow();
        assertEquals("not testable here (n = 2 < 5)", storage.get("verdict"));
        assertEquals(2L, storage.get("n"));
        assertTrue(storage.get("difference") instanceof Number && storage.get("ciLow") instanceof Number, "numbers kept: " + storage);
        Map<String, Object> cifar = rows1.stream().filter(r -> "cifar10".equals(r.get("dataSet"))).findFirst().orElseThrow();
        assertTrue(((String) cifar.get("verdict")).startsWith("not run here: CIFAR-10 not found"), cifar.toString());
        assertTrue(((String) cifar.get("detail")).contains("cifar-10-binary.tar.gz"), "says how to provide it: " + cifar);
        assertEquals("does not hold", claims.get(7).get("verdict"), "int8-fixed-zero equals octal8 bit for bit: " + claims.get(7));
        assertTrue(((String) claims.get(7).get("because")).contains("identical bit for bit over 2 seeds"));
        assertEquals("does not hold", claims.get(8).get("verdict"));
        assertEquals("holds only under parameter count", claims.get(6).get("verdict"));
        String report = Files.readString(whole.resolve("report.html"));
        assertTrue(report.indexOf("<h2>Verdicts</h2>") < report.indexOf("id=\"claim1\"") && report.contains("<svg"));
        assertTrue(Files.isRegularFile(whole.resolve("fashion-mnist-cnn-storage/results.json")));
        assertTrue(Files.isRegularFile(whole.resolve("calibration.json")));

        // The same audit, killed with SIGKILL after some of its runs; the calibration is kept, as a resume keeps it.
        Files.createDirectories(broken);
        Files.copy(whole.resolve("calibration.json"), broken.resolve("calibration.json"));
        ProcessBuilder pb = new ProcessBuilder(CliProcess.directCommand(args(broken).toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("broken.log").toFile());
        pb.environment().remove("OCTOQUANT_RELAUNCHED");
        pb.environment().putAll(env(tmp));
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(200);
        while (runFiles(broken).size() < 12 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        int before = runFiles(broken).size();
        assertTrue(before >= 12 && !Files.exists(broken.resolve("verdicts.json")),
                "killed part-way (" + before + " runs finished): " + Files.readString(tmp.resolve("broken.log")));

        CliProcess.Result resumed = CliProcess.run(CliProcess.directCommand("audit", "--resume", broken.toString()), env(tmp));
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("finished before, kept"), resumed.out());
        assertFalse(resumed.out().contains("calibrated "), "a resume does not calibrate again");

        Map<String, Object> w = (Map<String, Object>) Json.parse(Files.readString(broken.resolve("verdicts.json")));
        List<Map<String, Object>> claimsB = (List<Map<String, Object>>) w.get("claims");
        for (int i = 0; i < 9; i++) {
            if (i == 5) continue; // claim 6 compares inference times: wall-clock measurements, never repeatable
            assertEquals(claims.get(i), claimsB.get(i), "claim " + (i + 1));
        }
        assertEquals(v.get("closest"), w.get("closest"));
        assertEquals(v.get("why"), w.get("why"));
        List<Path> files = runFiles(whole);
        assertEquals(files.size(), runFiles(broken).size());
        for (Path f : files) {
            RunResultFile x = RunResultFile.read(f), y = RunResultFile.read(broken.resolve(whole.relativize(f)));
            assertEquals(x.spec(), y.spec());
            for (int k = 0; k < x.results().size(); k++) {
                var rx = x.results().get(k).run();
                var ry = y.results().get(k).run();
                assertEquals(java.util.Optional.empty(), octoquant.experiments.audit.ControlCheck.firstDifference(rx, ry), f.toString());
                assertEquals(rx.weightBytes, ry.weightBytes, f.toString());
            }
        }
    }

    /**
     * The finished run files under {@code dir}. The audit may be writing while this looks: a temporary file
     * renamed between listing and reading its attributes makes the walk fail, so the walk is then repeated.
     */
    private static List<Path> runFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> s = Files.walk(dir)) {
                return s.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("runs")
                        && p.toString().endsWith(".json")).sorted().toList();
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 100) throw e;
            }
        }
    }
}
