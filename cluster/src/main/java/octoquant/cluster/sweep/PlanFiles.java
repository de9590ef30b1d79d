package octoquant.cluster.sweep;

import octoquant.cluster.store.LocalStore;
import octoquant.cluster.store.OutputStore;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The files a grid job writes when it plans (an experiment's {@code config.json}, say): planned in a local
 * directory on the driver, then copied to the output before any run starts and listed in
 * {@code _sweep/plan.files}, so a restarted sweep plans with them again and the merge finds them.
 */
final class PlanFiles {
    static final String MANIFEST = "_sweep/plan.files";

    private PlanFiles() {}

    /** A fresh local directory holding the plan files the output lists (none the first time). */
    static Path fetch(OutputStore store) throws IOException {
        Path dir = Files.createTempDirectory("octoquant-plan-");
        for (String rel : listed(store)) {
            Path local = dir.resolve(rel).normalize();
            if (!local.startsWith(dir)) throw new IOException(MANIFEST + " lists " + rel + ", outside the output");
            store.download(rel, local);
        }
        return dir;
    }

    private static List<String> listed(OutputStore store) throws IOException {
        Optional<String> text = store.readString(MANIFEST);
        if (text.isEmpty()) return List.of();
        return Arrays.stream(text.get().split("\n")).filter(l -> !l.isBlank()).toList();
    }

    /**
     * Copies the plan files in {@code dir} to the output and lists them. Where the output holds a different
     * file of that name that an earlier start of this sweep did not write ({@code resumed} false), nothing is
     * copied: the output belongs to something else.
     *
     * @throws SweepException (usage) in that case, naming the file
     */
    static void publish(Path dir, OutputStore store, boolean resumed) throws IOException {
        List<String> files = files(dir);
        if (!resumed) {
            for (String rel : files) {
                Optional<byte[]> there = store.readBytes(rel);
                if (there.isPresent() && !Arrays.equals(there.get(), Files.readAllBytes(dir.resolve(rel)))) {
                    throw new SweepException(ExitCode.USAGE, "--out " + store.describe() + " holds a " + rel
                            + " of another configuration; use another --out (or an empty one)");
                }
            }
        }
        TreeSet<String> manifest = new TreeSet<>(listed(store));
        manifest.addAll(files);
        store.writeString(MANIFEST, String.join("\n", manifest) + "\n");
        for (String rel : files) {
            Optional<byte[]> there = store.readBytes(rel);
            if (there.isEmpty() || !Arrays.equals(there.get(), Files.readAllBytes(dir.resolve(rel)))) {
                store.upload(dir.resolve(rel), rel);
            }
        }
    }

    /** The files under {@code dir} by relative path with '/' separators, temporary ones ('.' names) left out. */
    static List<String> files(Path dir) throws IOException {
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
        found.sort(null);
        return found;
    }

    static void deleteTree(Path dir) {
        try {
            LocalStore.deleteTree(dir);
        } catch (IOException e) {
            // a leftover in the temporary directory
        }
    }
}
