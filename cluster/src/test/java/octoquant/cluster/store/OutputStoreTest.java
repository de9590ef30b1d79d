package octoquant.cluster.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both kinds of output — a plain path and a Hadoop file system URI (file://) — keep the same contract. */
class OutputStoreTest {

    private static List<OutputStore> stores(Path tmp) throws Exception {
        return List.of(OutputLocation.parse(tmp.resolve("plain").toString()).open(Map.of()),
                OutputLocation.parse(tmp.resolve("hadoop").toUri().toString()).open(Map.of()));
    }

    @Test
    void writesReplaceAtomicallyAndLeaveNothingElse(@TempDir Path tmp) throws Exception {
        for (OutputStore store : stores(tmp)) {
            assertFalse(store.exists("a/b.json"));
            assertEquals(Optional.empty(), store.readString("a/b.json"));
            store.writeString("a/b.json", "one");
            store.writeString("a/b.json", "two");
            assertTrue(store.exists("a/b.json"), store.describe());
            assertEquals(Optional.of("two"), store.readString("a/b.json"));

            Path local = Files.writeString(tmp.resolve("local.bin"), "payload");
            store.upload(local, "c/d/e.bin");
            store.upload(local, "c/d/e.bin");
            Path back = tmp.resolve("back/e.bin");
            assertTrue(store.download("c/d/e.bin", back));
            assertEquals("payload", Files.readString(back));
            assertFalse(store.download("c/none.bin", tmp.resolve("back/none.bin")));
            assertFalse(Files.exists(tmp.resolve("back/none.bin")));

            store.delete("_sweep/tmp");
            Path root = store instanceof LocalStore ? tmp.resolve("plain") : tmp.resolve("hadoop");
            try (Stream<Path> all = Files.walk(root)) {
                assertEquals(List.of("a/b.json", "c/d/e.bin"), all.filter(Files::isRegularFile)
                        .map(f -> root.relativize(f).toString()).sorted().toList(),
                        store.describe() + " holds the two files and no temporary or checksum file");
            }
            store.delete("a");
            assertFalse(store.exists("a/b.json"));
            store.delete("never-was");
        }
    }

    /**
     * A reader — the next attempt of a run restoring what a killed one copied out — finds the old content or the
     * new one at every moment of a replace, never no file: a writer killed mid-replace must not take the file
     * away. Hadoop's generic rename with OVERWRITE deletes the target before it renames the temporary file.
     */
    @Test
    void aFileBeingReplacedIsNeverMissing(@TempDir Path tmp) throws Exception {
        for (OutputStore store : stores(tmp)) {
            store.writeString("_sweep/staged/r.files", "v0");
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger reads = new AtomicInteger();
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            Thread reader = new Thread(() -> {
                try {
                    while (!done.get()) {
                        Optional<String> seen = store.readString("_sweep/staged/r.files");
                        reads.incrementAndGet();
                        if (seen.isEmpty() || !seen.get().matches("v[0-9]+")) wrong.add(seen.orElse("(no file)"));
                    }
                } catch (Exception e) {
                    wrong.add(e.toString());
                }
            });
            reader.start();
            try {
                // Until the reader has looked often enough to have met a missing file many times over.
                for (int i = 1; i <= 50 || reads.get() < 200 && i < 10_000; i++) store.writeString("_sweep/staged/r.files", "v" + i);
            } finally {
                done.set(true);
                reader.join();
            }
            assertEquals(List.of(), wrong.stream().distinct().limit(5).toList(),
                    store.describe() + ": what " + reads.get() + " reads found during the replaces");
        }
    }

    @Test
    void locationsAreURIsWithASchemeElsePaths(@TempDir Path tmp) {
        assertTrue(OutputLocation.parse("hdfs://namenode:8020/runs").staged());
        assertTrue(OutputLocation.parse("file:///data/runs").staged());
        assertFalse(OutputLocation.parse("runs/a").staged());
        assertEquals(Path.of("runs/a").toAbsolutePath().toString(), OutputLocation.parse("runs/a").toString());
        assertFalse(OutputLocation.parse("/data/c:d").staged(), "a colon inside a path is not a scheme");
        assertThrows(IllegalArgumentException.class, () -> OutputLocation.parse("hdfs://namenode:8020"));
        assertThrows(IllegalArgumentException.class, () -> OutputLocation.parse(" "));
    }
}
