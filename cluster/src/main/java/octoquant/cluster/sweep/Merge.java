package octoquant.cluster.sweep;

import octoquant.cluster.grid.GridJob;
import octoquant.cluster.store.LocalStore;
import octoquant.cluster.store.OutputStore;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Merges the finished runs on the driver: in the output itself when it is a plain path; otherwise in a local
 * directory that gets the result files, and whatever the merge writes there is copied to the output.
 */
final class Merge {
    private Merge() {}

    /** Merges in the output, or in a local copy of its result files and of the plan files in {@code planDir}. */
    static void into(OutputStore store, GridJob job, SweepPlan plan, Path planDir, PrintStream out) throws Exception {
        if (store.localRoot().isPresent()) {
            job.merge(store.localRoot().get(), plan.specs(), out);
            return;
        }
        Path dir = Files.createTempDirectory("octoquant-merge-");
        try {
            Set<String> inputs = new HashSet<>();
            for (RunInput r : plan.runs()) {
                if (!store.download(r.resultFile(), dir.resolve(r.resultFile()))) {
                    throw new SweepException(ExitCode.OUTPUT, r.resultFile() + " vanished from " + store.describe());
                }
                inputs.add(r.resultFile());
            }
            for (String rel : PlanFiles.files(planDir)) {
                Path local = dir.resolve(rel);
                Files.createDirectories(local.getParent());
                Files.copy(planDir.resolve(rel), local);
                inputs.add(rel);
            }
            job.merge(dir, plan.specs(), out);
            for (String rel : PlanFiles.files(dir)) if (!inputs.contains(rel)) store.upload(dir.resolve(rel), rel);
        } finally {
            LocalStore.deleteTree(dir);
        }
    }
}
