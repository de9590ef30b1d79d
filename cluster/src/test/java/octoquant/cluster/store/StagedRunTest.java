package octoquant.cluster.store;

import octoquant.cluster.testjob.LogisticMapJob;
import octoquant.experiments.io.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run staged in a local directory against a Hadoop file system output (file://), as on an executor. */
class StagedRunTest {
    private static final String RESULT = "logistic/runs/r01.json";

    private static OutputStore store(Path tmp) throws Exception {
        return OutputLocation.parse(tmp.resolve("out").toUri().toString()).open(Map.of());
    }

    private static void awaitInStore(OutputStore store, String rel) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!store.exists(rel)) {
            if (System.nanoTime() > deadline) throw new AssertionError(rel + " was never copied to the output");
            Thread.sleep(5);
        }
    }

    @Test
    void filesAreCopiedWhileTheRunWorksTheResultOnlyAtTheEndAndALaterAttemptGetsThemBack(@TempDir Path tmp) throws Exception {
        OutputStore store = store(tmp);
        // Relative, as Spark's work directory is on a standalone executor ("./").
        Path work = Path.of("").toAbsolutePath().relativize(tmp.resolve("executor-work"));
        try (StagedRun first = StagedRun.open(store, RESULT, work, 20)) {
            AtomicFiles.writeString(first.dir().resolve("logistic/checkpoints/r01.ckpt"), "epoch 1");
            Files.writeString(first.dir().resolve("logistic/checkpoints/.r01.ckpt.123.tmp"), "half-written");
            AtomicFiles.writeString(first.dir().resolve(RESULT), "written before the run returned");
            awaitInStore(store, "logistic/checkpoints/r01.ckpt");
            AtomicFiles.writeString(first.dir().resolve("logistic/checkpoints/r01.ckpt"), "epoch 2");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!store.readString("logistic/checkpoints/r01.ckpt").orElse("").equals("epoch 2")) {
                assertTrue(System.nanoTime() < deadline, "the rewritten checkpoint was copied again");
                Thread.sleep(5);
            }
            Thread.sleep(100); // several more sync intervals
            assertFalse(store.exists(RESULT), "the result is copied only when the run has returned");
            assertFalse(store.exists("logistic/checkpoints/.r01.ckpt.123.tmp"), "temporary files are never copied");
        } // closed without finish(): the executor died

        try (StagedRun second = StagedRun.open(store, RESULT, work, 0)) {
            assertEquals("epoch 2", Files.readString(second.dir().resolve("logistic/checkpoints/r01.ckpt")),
                    "a new attempt starts with what the last one copied out");
            assertFalse(Files.exists(second.dir().resolve(RESULT)));
            AtomicFiles.writeString(second.dir().resolve(RESULT), "the result");
            second.finish();
            assertEquals(Optional.of("the result"), store.readString(RESULT));
            assertEquals(Optional.of("logistic/checkpoints/r01.ckpt\n" + RESULT + "\n"),
                    store.readString(StagedRun.manifestOf(RESULT)));
        }
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList(), "closing deletes the local directory");
        }
    }

    /** The output, except that its first write of {@code failing} fails (a lost connection, a full quota). */
    private static OutputStore failingOnce(OutputStore store, String failing) {
        AtomicBoolean failed = new AtomicBoolean();
        return new OutputStore() {
            @Override
            public String describe() {
                return store.describe();
            }

            @Override
            public Optional<Path> localRoot() {
                return store.localRoot();
            }

            @Override
            public boolean exists(String rel) throws IOException {
                return store.exists(rel);
            }

            @Override
            public Optional<byte[]> readBytes(String rel) throws IOException {
                return store.readBytes(rel);
            }

            @Override
            public void writeString(String rel, String text) throws IOException {
                if (rel.equals(failing) && failed.compareAndSet(false, true)) throw new IOException("write of " + rel + " failed");
                store.writeString(rel, text);
            }

            @Override
            public void upload(Path local, String rel) throws IOException {
                store.upload(local, rel);
            }

            @Override
            public boolean download(String rel, Path local) throws IOException {
                return store.download(rel, local);
            }

            @Override
            public void delete(String rel) throws IOException {
                store.delete(rel);
            }
        };
    }

    @Test
    void aFileCopiedAfterAFailedManifestWriteIsListedAndALaterAttemptGetsItBack(@TempDir Path tmp) throws Exception {
        OutputStore store = store(tmp);
        Path work = tmp.resolve("executor-work");
        try (StagedRun first = StagedRun.open(failingOnce(store, StagedRun.manifestOf(RESULT)), RESULT, work, 10)) {
            AtomicFiles.writeString(first.dir().resolve("logistic/checkpoints/r01.ckpt"), "epoch 1");
            awaitInStore(store, "logistic/checkpoints/r01.ckpt"); // copied by a sync after the failed one
        } // the executor died

        try (StagedRun second = StagedRun.open(store, RESULT, work, 0)) {
            Path checkpoint = second.dir().resolve("logistic/checkpoints/r01.ckpt");
            assertTrue(Files.isRegularFile(checkpoint), "the next attempt starts from the checkpoint in the output; "
                    + "its manifest: " + store.readString(StagedRun.manifestOf(RESULT)));
            assertEquals("epoch 1", Files.readString(checkpoint));
        }
    }

    @Test
    void anInterruptedRunResumesFromItsCopiedCheckpointAndEndsWithTheUninterruptedResult(@TempDir Path tmp) throws Exception {
        LogisticMapJob job = new LogisticMapJob();
        Path probe = Files.createDirectories(tmp.resolve("probe"));
        String spec = job.specs(new String[] {"logistic", "--runs", "2", "--epochs", "8", "--steps", "300000",
                "--probe", probe.toString()}).get(1);
        String reference = job.execute(job.specs(new String[] {"logistic", "--runs", "2", "--epochs", "8", "--steps",
                "300000"}).get(1), tmp.resolve("reference"), 2);
        OutputStore store = store(tmp);
        Path work = tmp.resolve("executor-work");

        StagedRun first = StagedRun.open(store, RESULT, work, 10);
        Thread doomed = new Thread(() -> {
            try {
                job.execute(spec, first.dir(), 1);
            } catch (Exception e) {
                // its directory vanished under it: the attempt is dead either way
            }
        });
        doomed.start();
        awaitInStore(store, "logistic/checkpoints/r01.ckpt");
        first.close(); // the attempt's executor is gone: no more copies, its directory deleted
        doomed.join();

        try (StagedRun second = StagedRun.open(store, RESULT, work, 10)) {
            assertEquals(reference, job.execute(spec, second.dir(), 2));
            second.finish();
        }
        assertEquals(Optional.of(reference), store.readString(RESULT));
        List<String> starts;
        try (Stream<Path> files = Files.list(probe)) {
            starts = files.map(f -> {
                try {
                    return Files.readString(f).split(" ")[0];
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
        assertEquals(2, starts.size(), "two attempts: " + starts);
        assertEquals("from=0", starts.get(0));
        assertTrue(Integer.parseInt(starts.get(1).substring(5)) >= 1, "the second attempt resumed: " + starts);
    }
}
