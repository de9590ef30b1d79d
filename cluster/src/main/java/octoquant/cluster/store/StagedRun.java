package octoquant.cluster.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One run's local copy of its part of a remote output. Opening it downloads the files an earlier attempt of the
 * same run uploaded (its checkpoints), so the run resumes where that attempt stopped; while the run works, files
 * that changed are uploaded every sync interval; {@link #finish} uploads the rest and the result file last, so a
 * result in the output means every file of its run is there too.
 *
 * <p>Which files belong to the run is kept in a manifest, {@code _sweep/staged/<result file>.files}, one relative
 * path a line, written before the files it adds are copied. Files whose names start with '.' are temporary and
 * never copied. Files of different runs must have different names, or the same content.
 */
public final class StagedRun implements AutoCloseable {
    static final String MANIFESTS = "_sweep/staged/";

    private final OutputStore store;
    private final String resultFile;
    private final Path dir;
    private final Map<String, Object> uploaded = new HashMap<>();
    private final TreeSet<String> manifest = new TreeSet<>();
    private final ScheduledExecutorService syncer;
    private volatile IOException lastSyncFailure;

    private StagedRun(OutputStore store, String resultFile, Path dir, long syncMillis) {
        this.store = store;
        this.resultFile = resultFile;
        this.dir = dir;
        if (syncMillis > 0) {
            syncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "octoquant-sync " + resultFile);
                t.setDaemon(true);
                return t;
            });
        } else {
            syncer = null;
        }
    }

    /**
     * Creates a fresh local directory under {@code localParent}, fills it with what the output holds of this run,
     * and starts copying changes back every {@code syncMillis} (0: only at {@link #finish}).
     */
    public static StagedRun open(OutputStore store, String resultFile, Path localParent, long syncMillis)
            throws IOException {
        Files.createDirectories(localParent);
        Path dir = Files.createTempDirectory(localParent, "run-").toAbsolutePath().normalize();
        StagedRun run = new StagedRun(store, resultFile, dir, syncMillis);
        try {
            run.restore();
        } catch (IOException | RuntimeException e) {
            run.close();
            throw e;
        }
        if (run.syncer != null) {
            run.syncer.scheduleWithFixedDelay(run::syncQuietly, syncMillis, syncMillis, TimeUnit.MILLISECONDS);
        }
        return run;
    }

    static String manifestOf(String resultFile) {
        return MANIFESTS + resultFile + ".files";
    }

    /** The directory the run works in. */
    public Path dir() {
        return dir;
    }

    private synchronized void restore() throws IOException {
        String listed = store.readString(manifestOf(resultFile)).orElse("");
        for (String rel : listed.split("\n")) {
            if (rel.isBlank()) continue;
            Path local = dir.resolve(rel).normalize();
            if (!local.startsWith(dir)) throw new IOException(manifestOf(resultFile) + " lists " + rel + ", outside the run");
            if (store.download(rel, local)) {
                manifest.add(rel);
                uploaded.put(rel, stamp(local));
            }
        }
    }

    private void syncQuietly() {
        try {
            sync(false);
            lastSyncFailure = null;
        } catch (IOException e) {
            lastSyncFailure = e; // the next sync or finish() tries again; finish() reports a failure
        } catch (RuntimeException e) {
            lastSyncFailure = new IOException(e);
        }
    }

    /** Uploads what changed; the result file only when {@code last}, after everything else and the manifest. */
    private synchronized void sync(boolean last) throws IOException {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Path> f : files().entrySet()) {
            if (!Objects.equals(uploaded.get(f.getKey()), stamp(f.getValue()))) changed.add(f.getKey());
        }
        boolean resultChanged = changed.remove(resultFile);
        // The manifest first: a file in the output is then always listed, even if this JVM dies right after
        // copying it (a listed file that never arrived is skipped when the run is restored). The names count as
        // listed only once the manifest holding them is written: after a failed write the next sync writes it again.
        TreeSet<String> listing = new TreeSet<>(manifest);
        listing.addAll(changed);
        if (last && resultChanged) listing.add(resultFile);
        if (!listing.equals(manifest)) {
            store.writeString(manifestOf(resultFile), String.join("\n", listing) + "\n");
            manifest.addAll(listing);
        }
        for (String rel : changed) {
            Path local = dir.resolve(rel);
            Object stamp = stamp(local);
            store.upload(local, rel);
            uploaded.put(rel, stamp);
        }
        if (last && resultChanged) {
            Path local = dir.resolve(resultFile);
            Object stamp = stamp(local);
            store.upload(local, resultFile);
            uploaded.put(resultFile, stamp);
        }
    }

    /** Stops the periodic copy and uploads everything the run left, the result file last. */
    public void finish() throws IOException {
        stopSyncer();
        sync(true);
    }

    private void stopSyncer() {
        if (syncer == null) return;
        syncer.shutdown();
        try {
            syncer.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last periodic copy's failure, if the most recent one failed (for the executor's log). */
    public IOException lastSyncFailure() {
        return lastSyncFailure;
    }

    /** Stops copying and deletes the local directory. */
    @Override
    public void close() {
        stopSyncer();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover in the executor's work directory; Spark's worker cleanup removes it
        }
    }

    /** The run's files by relative path ('/' separators), temporary ones left out. */
    private Map<String, Path> files() throws IOException {
        Map<String, Path> found = new HashMap<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return !d.equals(dir) && d.getFileName().toString().startsWith(".")
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !f.getFileName().toString().startsWith(".")) {
                    found.put(relative(f), f);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE; // renamed away while we looked: the next sync sees the new one
            }
        });
        return found;
    }

    private String relative(Path f) {
        Path rel = dir.relativize(f);
        List<String> parts = new ArrayList<>();
        for (Path p : rel) parts.add(p.toString());
        return String.join("/", parts);
    }

    /**
     * What identifies a version of a file: an atomic rewrite is a new file (new inode), and a size or time
     * change shows any other rewrite.
     */
    private static Object stamp(Path f) throws IOException {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        return List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime().toMillis());
    }
}
