package octoquant.cluster.testkit;

import octoquant.experiments.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two output folders of the same grid hold the same numbers, bit for bit: every value of {@code results.json}
 * and of each {@code runs/<run>.json} (accuracies, losses per epoch, final numbers, histograms, parameter and
 * byte counts, the configuration) except the wall-clock timings ({@code trainSeconds}, {@code inferenceSeconds},
 * {@code imagesPerSecond}, and the load average recorded while inference was timed, {@code inferenceLoadPerCore})
 * and the {@code environment} (JDK, CPUs, threads); {@code curves.csv} without its
 * {@code train_seconds} column; {@code config.json} and the final weights ({@code weights/*.safetensors}) byte
 * for byte. Doubles are compared through their shortest round-trip text, which is exact.
 */
public final class SameNumbers {
    /** Keys whose values are measured wall-clock times, or the machine load recorded with them. */
    public static final Set<String> TIMINGS = Set.of("trainSeconds", "inferenceSeconds", "imagesPerSecond", "inferenceLoadPerCore");

    private SameNumbers() {}

    public static void assertSame(Path expected, Path actual) throws IOException {
        assertEquals(numbers(expected.resolve("results.json")), numbers(actual.resolve("results.json")),
                "results.json (without timings and environment)");
        assertEquals(files(expected, "runs"), files(actual, "runs"), "the run files, one per run, nothing else");
        for (String run : files(expected, "runs")) {
            assertEquals(numbers(expected.resolve(run)), numbers(actual.resolve(run)), run + " (without timings and environment)");
        }
        assertEquals(curves(expected), curves(actual), "curves.csv without train_seconds");
        assertArrayEquals(Files.readAllBytes(expected.resolve("config.json")), Files.readAllBytes(actual.resolve("config.json")),
                "config.json");
        assertEquals(files(expected, "weights"), files(actual, "weights"), "the weight files");
        for (String w : files(expected, "weights")) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(w)), Files.readAllBytes(actual.resolve(w)), w + " byte for byte");
        }
    }

    /** The file's JSON without timings and environment, as canonical text. */
    public static String numbers(Path json) throws IOException {
        Object doc = Json.parse(Files.readString(json));
        assertTrue(doc instanceof Map<?, ?>, json + " holds a JSON object");
        return Json.write(strip(doc));
    }

    private static Object strip(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.equals("environment") || TIMINGS.contains(key)) continue;
                out.put(key, strip(e.getValue()));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) out.add(strip(x));
            return out;
        }
        return v;
    }

    private static List<String> curves(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("curves.csv"));
        int seconds = List.of(lines.get(0).split(",")).indexOf("train_seconds");
        assertTrue(seconds >= 0, "curves.csv has a train_seconds column");
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(seconds);
            out.add(String.join(",", cells));
        }
        return out;
    }

    /** The files under {@code dir/sub} by path relative to {@code dir}, temporary ones included (there must be none). */
    public static List<String> files(Path dir, String sub) throws IOException {
        Map<String, Boolean> found = new TreeMap<>();
        if (!Files.isDirectory(dir.resolve(sub))) return List.of();
        try (Stream<Path> all = Files.walk(dir.resolve(sub))) {
            for (Path f : all.filter(Files::isRegularFile).toList()) found.put(dir.relativize(f).toString(), true);
        }
        return new ArrayList<>(found.keySet());
    }
}
