package octoquant.cluster.it;

import octoquant.cluster.grid.GridJob;
import octoquant.cluster.testjob.LogisticMapJob;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The grid run in this JVM, one spec after the other, with no Spark: what every sweep must reproduce. */
final class Reference {
    private Reference() {}

    /** Runs the grid, leaving out {@code --probe} (a run's result does not depend on it). */
    static Path run(List<String> grid, Path dir) throws Exception {
        GridJob job = new LogisticMapJob();
        List<String> args = new java.util.ArrayList<>(grid);
        int probe = args.indexOf("--probe");
        if (probe >= 0) args.subList(probe, probe + 2).clear();
        List<String> specs = job.plan(args.toArray(String[]::new));
        for (String spec : specs) job.execute(spec, dir, 1);
        job.merge(dir, specs, new PrintStream(new ByteArrayOutputStream(), true));
        return dir;
    }

    /** Every result file and the merged file, by path under the set's directory. */
    static Map<String, byte[]> results(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        Path set = dir.resolve("logistic");
        try (Stream<Path> all = Files.walk(set)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                String rel = set.relativize(f).toString();
                if (rel.startsWith("runs/") || rel.equals("merged.json")) files.put(rel, Files.readAllBytes(f));
            }
        }
        return files;
    }

    /** The same result files, byte for byte, and nothing else in runs/ (no duplicate, no leftover). */
    static void assertSameResults(Path expected, Path actual) throws IOException {
        Map<String, byte[]> want = results(expected), got = results(actual);
        assertEquals(want.keySet(), got.keySet(), "result files");
        for (String f : want.keySet()) assertArrayEquals(want.get(f), got.get(f), f + " differs from the in-process run");
    }
}
