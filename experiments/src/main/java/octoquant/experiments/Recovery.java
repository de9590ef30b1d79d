package octoquant.experiments;

import octoquant.experiments.cli.Experiment;
import octoquant.experiments.cli.Options;
import octoquant.experiments.io.OutputLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a failed or stopped command leaves in its output folder and how to go on from there, for the one-line
 * messages of {@link ExitCodes}: the finished runs ({@code runs/*.json}) and the checkpoints of unfinished runs
 * ({@code checkpoints/*.ckpt}, each the last complete one), then {@code --resume DIR} (with the {@code --data} the
 * command was given, which the folder does not record) — or, for a folder
 * without a configuration yet, or a merge, the same command again.
 */
record Recovery(Experiment experiment, Path folder, Path data) {
    static final String PROGRAM = "java -jar experiments.jar";

    /** For the command of {@code o}: its folder is {@code --resume}, {@code --out}, or the one it locked. */
    static Recovery of(Options o) {
        Path folder = o.resume != null ? o.resume : o.out != null ? o.out : OutputLock.mostRecent().orElse(null);
        return new Recovery(o.experiment, folder, o.data);
    }

    /** e.g. {@code kept: 1 finished run (runs/float-seed0.json) and the last complete checkpoint of …}. */
    String kept() {
        if (folder == null || !Files.isDirectory(folder)) return "nothing was written yet";
        if (experiment == Experiment.MERGE) return "the merged inputs are untouched";
        List<String> finished = new ArrayList<>(), unfinished = new ArrayList<>();
        try (Stream<Path> files = Files.find(folder, 4, (p, a) -> a.isRegularFile())) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                String parent = p.getParent().getFileName().toString();
                if (name.startsWith(".")) continue;
                if (parent.equals("runs") && name.endsWith(".json")) finished.add(folder.relativize(p).toString());
                if (parent.equals("checkpoints") && name.endsWith(".ckpt")) {
                    Path result = p.getParent().resolveSibling("runs").resolve(name.replaceAll("\\.ckpt$", ".json"));
                    if (!Files.exists(result)) unfinished.add(folder.relativize(p).toString());
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return "the contents of " + folder + " could not be listed (" + e.getMessage() + ")";
        }
        if (finished.isEmpty() && unfinished.isEmpty()) return "no run had finished or completed an epoch yet";
        List<String> parts = new ArrayList<>();
        if (!finished.isEmpty()) parts.add(count(finished.size(), "finished run") + " (" + names(finished) + ")");
        if (!unfinished.isEmpty()) {
            parts.add("the last complete checkpoint of " + count(unfinished.size(), "unfinished run") + " ("
                    + names(unfinished) + ")");
        }
        return "kept: " + String.join(" and ", parts);
    }

    /**
     * How to go on after {@code fix} (e.g. "free space"; null when nothing needs fixing), with the JVM options
     * {@code jvm} (may be empty).
     */
    String howToContinue(String fix, String jvm) {
        String then = fix == null ? "" : fix + ", then ";
        String java = jvm.isEmpty() ? PROGRAM : "java " + jvm + " -jar experiments.jar";
        if (experiment == Experiment.MERGE) return then + "run the same merge again";
        if (folder == null || !resumable()) return then + "run the same command again";
        return then + "continue with: " + java + " --resume " + folder + (data == null ? "" : " --data " + data);
    }

    /** True when the folder holds what {@code --resume} needs. */
    boolean resumable() {
        return folder != null && (Files.isRegularFile(folder.resolve("config.json"))
                || Files.isRegularFile(folder.resolve("audit.json")));
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String names(List<String> files) {
        if (files.size() <= 3) return String.join(", ", files);
        return String.join(", ", files.subList(0, 2)) + " and " + (files.size() - 2) + " more";
    }
}
