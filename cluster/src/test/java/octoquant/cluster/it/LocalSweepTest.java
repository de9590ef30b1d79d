package octoquant.cluster.it;

import octoquant.cluster.testkit.SameNumbers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's one-line command: Spark's in-process local[N] master, nothing installed, the real MNIST grid. */
class LocalSweepTest {
    private static final List<String> RUNS = Reference.RUNS;

    @Test
    void localMasterGivesTheNumbersOfExperimentsJar(@TempDir Path tmp) throws Exception {
        List<String> grid = Reference.mnistGrid();
        Path expected = Reference.of(grid);
        Path out = tmp.resolve("out");

        // Two runs at a time with two threads each is more than the 2 cores local[2] has: one at a time.
        SweepProcess.Result r = SweepProcess.run(SweepProcess.plainCommand(SweepProcess.sweepArgs("local[2]",
                out.toString(), List.of("--run-cores", "2"), grid)), tmp);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("sweep: 4 runs, 0 finished before, 4 to run on local[2] (2 cores each)"), r.toString());
        for (String run : RUNS) assertTrue(r.out().contains("finished: " + run), r.toString());
        assertTrue(r.out().contains("octal8 - float"), "the experiment's closing table: " + r);
        assertEquals(List.of(), r.errorLines(), "nothing on standard error: " + r);
        SameNumbers.assertSame(expected, out);
        for (String run : RUNS) {
            assertEquals(2, RunFiles.environment(out.resolve(run)).integer("threads"), run + " got --run-cores threads");
            assertEquals("vector", RunFiles.environment(out.resolve(run)).string("kernelBackend"),
                    "the relaunched driver has the Vector API");
        }

        // Restarted when all is done: nothing to run, Spark not even started, the merge done again.
        Map<String, byte[]> before = RunFiles.finished(out, RUNS);
        SweepProcess.Result again = SweepProcess.run(SweepProcess.directCommand(SweepProcess.sweepArgs("local[2]",
                out.toString(), List.of("--run-cores", "2"), grid)), tmp);
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.out().startsWith("sweep: 4 runs, 4 finished before, 0 to run"), again.toString());
        Map<String, byte[]> after = RunFiles.finished(out, RUNS);
        for (String run : RUNS) assertArrayEquals(before.get(run), after.get(run), run + " did not run again");
        SameNumbers.assertSame(expected, out);
    }

    @Test
    void sweepWhoseDriverWasKilledRunsOnlyWhatIsMissingAndResumesFromCheckpoints(@TempDir Path tmp) throws Exception {
        List<String> grid = Reference.mnistGrid();
        Path expected = Reference.of(grid);
        Path out = tmp.resolve("out");
        List<String> cmd = SweepProcess.directCommand(SweepProcess.sweepArgs("local[2]", out.toString(), List.of(), grid));

        SweepProcess first = SweepProcess.start(cmd, tmp);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        // Kill once a run has finished and another has checkpointed its first of two epochs: it still has a whole
        // epoch and its final evaluation to go.
        while ((RunFiles.finished(out, RUNS).isEmpty() || RunFiles.interrupted(out, RUNS, 2).isEmpty())
                && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Processes.killTree(first.handle()); // kill -9 of the driver, which ran the runs in-process
        // Read after the kill, when nothing moves any more.
        Map<String, byte[]> finished = RunFiles.finished(out, RUNS);
        List<String> interrupted = RunFiles.interrupted(out, RUNS, 2);
        assertTrue(!finished.isEmpty() && !interrupted.isEmpty(), "killed with a run finished and another one "
                + "checkpointed mid-way: " + first.stdoutSoFar());
        Map<String, double[]> checkpointed = new java.util.HashMap<>();
        for (String run : interrupted) checkpointed.put(run, RunFiles.checkpointSeconds(out.resolve(RunFiles.checkpointOf(run))));

        SweepProcess.Result resumed = SweepProcess.run(cmd, tmp);
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.out().startsWith("sweep: 4 runs, " + finished.size() + " finished before, "
                + (4 - finished.size()) + " to run"), resumed.toString());
        SameNumbers.assertSame(expected, out);
        for (String run : RUNS) {
            if (finished.containsKey(run)) {
                assertArrayEquals(finished.get(run), Files.readAllBytes(out.resolve(run)), run + " had finished and did not run again");
            } else {
                assertTrue(resumed.out().contains("finished: " + run), resumed.toString());
            }
        }
        for (String run : interrupted) {
            double[] kept = checkpointed.get(run), result = RunFiles.resultSeconds(out.resolve(run));
            assertEquals(2, result.length);
            assertEquals(Double.doubleToRawLongBits(kept[0]), Double.doubleToRawLongBits(result[0]),
                    run + " resumed from its checkpoint: its first epoch is the one trained before the kill");
        }
    }
}
