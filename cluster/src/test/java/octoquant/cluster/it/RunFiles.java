package octoquant.cluster.it;

import octoquant.experiments.checkpoint.Checkpoint;
import octoquant.experiments.checkpoint.CheckpointFile;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run left in an output folder. A run that resumes from its checkpoint keeps the epochs the checkpoint
 * holds, their measured {@code trainSeconds} included: wall-clock times no second computation reproduces, so
 * a result whose first epochs carry exactly the checkpoint's times resumed from it, and one that carries other
 * times trained those epochs again.
 */
final class RunFiles {
    private RunFiles() {}

    /** {@code runs/float-seed0.json} → {@code checkpoints/float-seed0.ckpt}. */
    static String checkpointOf(String resultFile) {
        String id = resultFile.substring(resultFile.lastIndexOf('/') + 1, resultFile.length() - ".json".length());
        return resultFile.substring(0, resultFile.lastIndexOf("runs/")) + "checkpoints/" + id + ".ckpt";
    }

    /**
     * The files a staged run's manifest in the output lists ({@code _sweep/staged/<result file>.files}), which
     * are what a retry of the run gets back; empty when there is no manifest.
     */
    static List<String> manifest(Path out, String resultFile) throws IOException {
        Path manifest = out.resolve("_sweep/staged/" + resultFile + ".files");
        return Files.isRegularFile(manifest) ? Files.readString(manifest).lines().filter(l -> !l.isBlank()).toList() : List.of();
    }

    /** The epochs the checkpoint holds, or -1 when there is none (yet). */
    static int checkpointEpoch(Path checkpoint) {
        Checkpoint c = checkpoint(checkpoint);
        return c == null ? -1 : (int) c.longValue("epoch");
    }

    /** The checkpoint's per-epoch training times, or null when there is none. */
    static double[] checkpointSeconds(Path checkpoint) {
        Checkpoint c = checkpoint(checkpoint);
        return c == null ? null : c.doubles("metrics.trainSeconds");
    }

    private static Checkpoint checkpoint(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            return CheckpointFile.read(file, null);
        } catch (RuntimeException vanished) {
            return null;
        }
    }

    /** The per-epoch training times a run's result file records. */
    static double[] resultSeconds(Path result) throws IOException {
        JsonObject r = new JsonObject(Json.parse(Files.readString(result)), result.toString()).element("results", 0)
                .object("run");
        List<Double> s = new ArrayList<>();
        for (int i = 0; i < r.list("epochs").size(); i++) s.add(r.element("epochs", i).number("trainSeconds"));
        return s.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A result file's {@code environment}. */
    static JsonObject environment(Path result) throws IOException {
        return new JsonObject(Json.parse(Files.readString(result)), result.toString()).object("environment");
    }

    /** The bytes of the result files that exist, by result file. */
    static Map<String, byte[]> finished(Path out, List<String> runs) throws IOException {
        Map<String, byte[]> found = new LinkedHashMap<>();
        for (String r : runs) if (Files.isRegularFile(out.resolve(r))) found.put(r, Files.readAllBytes(out.resolve(r)));
        return found;
    }

    /**
     * {@link #interrupted} runs whose checkpoint was written less than {@code maxAgeMillis} ago: most of an
     * epoch still to go, so a kill sent now lands before the run can finish.
     */
    static List<String> freshlyInterrupted(Path out, List<String> runs, int epochs, long maxAgeMillis) {
        List<String> found = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (String r : interrupted(out, runs, epochs)) {
            try {
                long written = Files.getLastModifiedTime(out.resolve(checkpointOf(r))).toMillis();
                if (now - written < maxAgeMillis) found.add(r);
            } catch (IOException vanished) {
                // replaced or removed between the two looks: not fresh
            }
        }
        return found;
    }

    /** The runs without a result whose checkpoint holds at least one epoch and fewer than {@code epochs}. */
    static List<String> interrupted(Path out, List<String> runs, int epochs) {
        List<String> found = new ArrayList<>();
        for (String r : runs) {
            int e = checkpointEpoch(out.resolve(checkpointOf(r)));
            if (e >= 1 && e < epochs && !Files.exists(out.resolve(r))) found.add(r);
        }
        return found;
    }
}
