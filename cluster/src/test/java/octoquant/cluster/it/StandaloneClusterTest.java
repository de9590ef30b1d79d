package octoquant.cluster.it;

import octoquant.cluster.sweep.ExitCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sweeps on a real standalone cluster on 127.0.0.1 — a master and two workers of one core each, every one its
 * own JVM, started from the Maven-resolved Spark jars — driven by the sweep command in its own JVM.
 */
class StandaloneClusterTest {
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
                "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.executor.extraJavaOptions="
                + String.join(" ", TestJvm.QUICK_START), "--executor-timeout", "240"));
        o.addAll(List.of(more));
        return o;
    }

    private static List<String> grid(Path probe, int epochs, long steps) {
        return List.of("logistic", "--runs", "4", "--epochs", Integer.toString(epochs), "--steps", Long.toString(steps),
                "--probe", probe.toString());
    }

    @Test
    void theClusterGivesTheNumbersOfRunningEachSpecInProcess() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("plain"));
        List<String> grid = grid(tmp.resolve("probe"), 2, 200_000);
        Path expected = Reference.run(grid, tmp.resolve("reference"));
        Path out = tmp.resolve("out");

        SweepProcess sweep = SweepProcess.start(SweepProcess.directCommand(SweepProcess.sweepArgs(cluster.masterUrl(),
                out.toString(), options(), grid)), tmp);
        long driver = sweep.handle().pid();
        SweepProcess.Result r = sweep.await(300);
        assertEquals(0, r.code(), r + cluster.logs());
        Reference.assertSameResults(expected, out);

        Map<String, List<Probes.Attempt>> attempts = Probes.read(tmp.resolve("probe"));
        assertEquals(Set.of("r00", "r01", "r02", "r03"), attempts.keySet());
        attempts.forEach((run, a) -> {
            assertEquals(1, a.size(), run + " ran once: " + a);
            assertNotEquals(driver, a.get(0).pid(), run + " ran in an executor JVM, not in the driver");
            assertTrue(a.get(0).vector(), "executors get the Vector API from Spark's own JVM options");
        });
    }

    @Test
    void anExecutorKilledMidRunIsRetriedFromItsCheckpointAndNoResultIsLostOrDoubled() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("fault"));
        Path probe = tmp.resolve("probe");
        List<String> grid = grid(probe, 6, 1_500_000);
        Path expected = Reference.run(grid, tmp.resolve("reference"));
        Path out = tmp.resolve("out");
        String outUri = out.toUri().toString(); // file:///…: runs work in local directories and copy to the output

        SweepProcess sweep = SweepProcess.start(SweepProcess.directCommand(SweepProcess.sweepArgs(cluster.masterUrl(),
                outUri, options("--sync-interval", "0.2"), grid)), tmp);
        String killedRun = null;
        long killedPid = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (killedRun == null && sweep.isAlive() && System.nanoTime() < deadline) {
            Set<Long> executors = cluster.executors().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
            for (Map.Entry<String, List<Probes.Attempt>> e : Probes.read(probe).entrySet()) {
                String run = e.getKey();
                // At most half-way: whole epochs are left to compute when the kill lands.
                int epoch = Probes.checkpointEpoch(out.resolve("logistic/checkpoints/" + run + ".ckpt"));
                boolean checkpointed = epoch >= 1 && epoch <= 3;
                boolean finished = Files.exists(out.resolve("logistic/runs/" + run + ".json"));
                long pid = e.getValue().get(0).pid();
                if (checkpointed && !finished && executors.contains(pid)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // kill -9 of the executor JVM
                    killedRun = run;
                    killedPid = pid;
                    break;
                }
            }
            if (killedRun == null) Thread.sleep(20);
        }
        assertNotNull(killedRun, "an executor was killed while its run was in flight: " + sweep.stdoutSoFar() + cluster.logs());

        SweepProcess.Result r = sweep.await(300);
        assertEquals(0, r.code(), r + cluster.logs());
        assertTrue(r.out().contains("attempt lost: logistic/runs/" + killedRun + ".json"), r.toString());
        Reference.assertSameResults(expected, out);
        assertFalse(Files.exists(out.resolve("_sweep/tmp")), "no upload left half-done");

        Map<String, List<Probes.Attempt>> attempts = Probes.read(probe);
        long killed = killedPid;
        for (Map.Entry<String, List<Probes.Attempt>> e : attempts.entrySet()) {
            List<Probes.Attempt> a = e.getValue();
            if (e.getKey().equals(killedRun)) {
                assertEquals(2, a.size(), "the killed run was retried once: " + a);
                Probes.Attempt retry = a.stream().filter(x -> x.pid() != killed).findFirst().orElseThrow();
                assertTrue(retry.from() >= 1, "the retry resumed from the checkpoint the killed attempt copied out: " + a);
                assertNotEquals(killed, retry.pid());
            } else {
                assertEquals(1, a.size(), e.getKey() + " ran once: " + a);
            }
        }
    }

    @Test
    void aClusterThatCannotGiveAnExecutorFailsAfterTheTimeoutWithOneLine() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("starved"));
        List<String> opts = new ArrayList<>(options());
        opts.addAll(List.of("--conf", "spark.executor.memory=64g", "--executor-timeout", "5"));
        SweepProcess.Result r = SweepProcess.run(SweepProcess.directCommand(SweepProcess.sweepArgs(cluster.masterUrl(),
                tmp.resolve("out").toString(), opts, grid(tmp.resolve("probe"), 1, 1000))), tmp);
        assertEquals(ExitCode.MASTER, r.code(), r.toString());
        List<String> ours = r.errorLines().stream().filter(l -> l.startsWith("error:")).toList();
        assertEquals(List.of("error: no executor registered with " + cluster.masterUrl() + " within 5 s (--executor-timeout):"
                + " do its workers have 1 free core(s) and the memory spark.executor.memory asks for?"), ours, r.toString());
        assertFalse(r.err().lines().anyMatch(l -> l.startsWith("\tat ")), "no stack trace: " + r);
    }
}
