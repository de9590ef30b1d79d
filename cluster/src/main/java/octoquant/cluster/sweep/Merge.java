package octoquant.cluster.sweep;

import octoquant.cluster.grid.GridJob;
import octoquant.cluster.store.OutputStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
            for (String rel : files(dir)) if (!inputs.contains(rel)) store.upload(dir.resolve(rel), rel);
        } finally {
            deleteTree(dir);
        }
    }

    private static List<String> files(Path dir) throws IOException {
        List<String> found = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !f.getFileName().toString().startsWith(".")) {
                    List<String> parts = new ArrayList<>();
                    for (Path p : dir.relativize(f)) parts.add(p.toString());
                    found.add(String.join("/", parts));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    private static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
