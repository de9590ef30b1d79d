package octoquant.cluster.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The attempts the test grid job recorded in its probe directory ({@code --probe}), by run. */
final class Probes {
    record Attempt(int from, long pid, int threads, boolean vector) {}

    private static final Pattern LINE = Pattern.compile("from=(\\d+) pid=(\\d+) threads=(\\d+) vector=(true|false)\\s*");

    private Probes() {}

    /**
     * The epochs a run's checkpoint holds, or -1 when it has none (yet). A run interrupted while its checkpoint
     * holds fewer epochs than it runs is surely interrupted mid-way: it still has whole epochs to compute.
     */
    static int checkpointEpoch(Path checkpoint) {
        try {
            return (int) new octoquant.experiments.io.JsonObject(octoquant.experiments.io.Json.parse(
                    Files.readString(checkpoint)), "checkpoint").integer("epoch");
        } catch (IOException | RuntimeException absentOrBeingReplaced) {
            return -1;
        }
    }

    static Map<String, List<Attempt>> read(Path dir) throws IOException {
        Map<String, List<Attempt>> byRun = new TreeMap<>();
        if (!Files.isDirectory(dir)) return byRun;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) continue;
                Matcher m = LINE.matcher(Files.readString(f));
                if (!m.matches()) throw new AssertionError("unexpected probe file " + f);
                byRun.computeIfAbsent(name.substring(0, name.indexOf('.')), k -> new ArrayList<>())
                        .add(new Attempt(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
                                Integer.parseInt(m.group(3)), Boolean.parseBoolean(m.group(4))));
            }
        }
        return byRun;
    }
}
