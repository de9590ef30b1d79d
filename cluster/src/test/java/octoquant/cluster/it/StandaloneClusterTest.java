package octoquant.cluster.it;

import octoquant.cluster.sweep.ExitCode;
import octoquant.cluster.testkit.SameNumbers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sweeps of the real MNIST grid on a real standalone cluster on 127.0.0.1 — a master and two workers of one core
 * each, every one its own JVM, started from the Maven-resolved Spark jars — driven by the sweep command in its own
 * JVM, against the same grid run by {@code experiments.jar} on one machine.
 */
class StandaloneClusterTest {
    private static final List<String> RUNS = Reference.RUNS;

    @TempDir
    static Path dir;
    private static StandaloneCluster cluster;
    private static Path appJar;

    @BeforeAll
    static void startCluster() throws Exception {
        appJar = AppJar.build(dir.resolve("octoquant-app.jar"));
        cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 1, "1g", 240);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    private static List<String> options(String... more) {
        List<String> o = new ArrayList<>(List.of("--conf", "spark.jars=" + appJar.toUri(), "--conf",
                "spark.executor.memory=512m", "--conf", "spark.driver.host=127.0.0.1", "--conf",
                "spark.driver.bindAddress=127.0.0.1", "--executor-timeout", "240"));
        o.addAll(List.of(more));
        return o;
    }

    /** The executor each run finished on, from the progress lines; asserts every run finished exactly once. */
    private static List<String> executorsOfRuns(SweepProcess.Result r) {
        List<String> executors = new ArrayList<>();
        for (String run : RUNS) {
            Matcher m = Pattern.compile("finished: " + Pattern.quote(run) + " \\([0-9.]+ s, executor (\\S+), ").matcher(r.out());
            assertTrue(m.find(), run + " finished: " + r);
            executors.add(m.group(1));
            assertFalse(m.find(), run + " finished once: " + r);
        }
        return executors;
    }

    @Test
    void theClusterGivesTheNumbersOfExperimentsJar() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("plain"));
        List<String> grid = Reference.mnistGrid();
        Path expected = Reference.of(grid);
        Path out = tmp.resolve("out");

        SweepProcess.Result r = SweepProcess.run(SweepProcess.directCommand(SweepProcess.sweepArgs(cluster.masterUrl(),
                out.toString(), options(), grid)), tmp);
        assertEquals(0, r.code(), r + cluster.logs());
        SameNumbers.assertSame(expected, out);
        assertFalse(r.out().contains("attempt lost"), r.toString());
        for (String executor : executorsOfRuns(r)) assertNotEquals("driver", executor, "ran in an executor JVM: " + r);
        for (String run : RUNS) {
            assertEquals("vector", RunFiles.environment(out.resolve(run)).string("kernelBackend"),
                    run + ": executors get the Vector API from Spark's own JVM options");
        }
    }

    @Test
    void anExecutorKilledMidRunIsRetriedFromItsCheckpointAndNoResultIsLostOrDoubled() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("fault"));
        // Six epochs: after its first checkpoint reaches the output a run still has several epochs to train,
        // a window many sync intervals long, so the kill below finds one however loaded the machine is.
        int epochs = 6;
        List<String> grid = Reference.mnistGrid(epochs, 1000);
        Path expected = Reference.of(grid);
        Path out = tmp.resolve("out");
        String outUri = out.toUri().toString(); // file:///…: runs work in local directories and copy to the output

        SweepProcess sweep = SweepProcess.start(SweepProcess.directCommand(SweepProcess.sweepArgs(cluster.masterUrl(),
                outUri, options("--sync-interval", "0.05"), grid)), tmp);
        String killed = null;
        double[] checkpointed = null;
        List<String> listed = null; // the killed run's manifest in the output: what its retry restores
        String what = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (killed == null && sweep.isAlive() && System.nanoTime() < deadline) {
            for (int w = 1; w <= 2 && killed == null; w++) {
                List<ProcessHandle> executors = cluster.executorsOf(w);
                if (executors.size() != 1) continue;
                ProcessHandle executor = executors.get(0);
                // Frozen, neither the run nor its copying thread can change the output between the look and the kill.
                Processes.signal(executor, "STOP");
                try {
                    for (String run : RUNS) {
                        String checkpoint = RunFiles.checkpointOf(run);
                        int epoch = RunFiles.checkpointEpoch(out.resolve(checkpoint));
                        if (epoch < 1 || epoch >= epochs || Files.exists(out.resolve(run))) continue;
                        if (cluster.workerHolding(checkpoint) != w) continue;
                        executor.destroyForcibly(); // kill -9 of the executor JVM
                        executor.onExit().get(30, TimeUnit.SECONDS);
                        what = "killed executor JVM " + executor.pid() + " of worker " + w + " while " + run + " had "
                                + epoch + " of " + epochs + " epochs checkpointed in the output";
                        killed = run;
                        checkpointed = RunFiles.checkpointSeconds(out.resolve(checkpoint));
                        listed = RunFiles.manifest(out, run);
                        what += "; its manifest lists " + listed;
                        break;
                    }
                } finally {
                    if (executor.isAlive()) Processes.signal(executor, "CONT");
                }
            }
            if (killed == null) Thread.sleep(10);
        }
        assertNotNull(killed, "an executor was killed while its run was in flight: " + sweep.stdoutSoFar() + cluster.logs());
        assertFalse(Files.exists(out.resolve(killed)), "the kill landed before " + killed + " finished");
        assertTrue(listed.contains(RunFiles.checkpointOf(killed)), "the checkpoint in the output is listed: " + what);

        SweepProcess.Result r = sweep.await(300);
        System.out.println("fault test: " + what + "\n" + r.out()); // the record of what was killed and what survived
        assertEquals(0, r.code(), r + cluster.logs());
        assertTrue(r.out().contains("attempt lost: " + killed), r.toString());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("attempt lost")).count(), "one attempt lost: " + r);
        executorsOfRuns(r); // every run finished once
        SameNumbers.assertSame(expected, out);
        assertFalse(Files.exists(out.resolve("_sweep/tmp")), "no upload left half-done");
        double[] result = RunFiles.resultSeconds(out.resolve(killed));
        assertEquals(epochs, result.length, killed + " trained every epoch");
        for (int e = 0; e < checkpointed.length; e++) {
            assertEquals(Double.doubleToRawLongBits(checkpointed[e]), Double.doubleToRawLongBits(result[e]),
                    "the retry resumed from the checkpoint the killed attempt copied out (epoch " + (e + 1)
                            + " was not trained again): " + what);
        }
    }

    @Test
    void aClusterThatCannotGiveAnExecutorFailsAfterTheTimeoutWithOneLine() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("starved"));
        List<String> opts = new ArrayList<>(options());
        opts.addAll(List.of("--conf", "spark.executor.memory=64g", "--executor-timeout", "5"));
        SweepProcess.Result r = SweepProcess.run(SweepProcess.directCommand(SweepProcess.sweepArgs(cluster.masterUrl(),
                tmp.resolve("out").toString(), opts, Reference.mnistGrid())), tmp);
        assertEquals(ExitCode.MASTER, r.code(), r.toString());
        List<String> ours = r.errorLines().stream().filter(l -> l.startsWith("error:")).toList();
        assertEquals(List.of("error: no executor registered with " + cluster.masterUrl() + " within 5 s (--executor-timeout):"
                + " do its workers have 1 free core(s) and the memory spark.executor.memory asks for?"), ours, r.toString());
        assertFalse(r.err().lines().anyMatch(l -> l.startsWith("\tat ")), "no stack trace: " + r);
    }
}
