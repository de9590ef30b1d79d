package octoquant.cluster.it;

import octoquant.cluster.testkit.SameNumbers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's one-line command: Spark's in-process local[N] master, nothing installed, the real MNIST grid —
 * killed mid-way and restarted with the same command, as a user whose machine went down would.
 */
class LocalSweepTest {
    private static final List<String> RUNS = Reference.RUNS;

    @Test
    void aLocalSweepKilledAndRestartedRunsOnlyWhatIsMissingAndGivesTheNumbersOfExperimentsJar(@TempDir Path tmp)
            throws Exception {
        List<String> grid = Reference.mnistGrid();
        Path expected = Reference.of(grid);
        Path out = tmp.resolve("out");

        // No JVM options (it restarts itself with Spark's); local[2] with one core a run: two runs at once.
        SweepProcess first = SweepProcess.start(SweepProcess.plainCommand(SweepProcess.sweepArgs("local[2]",
                out.toString(), List.of(), grid)), tmp);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        // Kill once a run has finished and another has just checkpointed its first of two epochs: it still has
        // most of an epoch and its final evaluation to go. (Any checkpoint would do but for two runs in step: the
        // other one then finishes within milliseconds of the first, before the kill lands.)
        while ((RunFiles.finished(out, RUNS).isEmpty() || RunFiles.freshlyInterrupted(out, RUNS, 2, 400).isEmpty())
                && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Processes.killTree(first.handle()); // kill -9 of the driver (and the JVM it restarted itself in)
        // Read after the kill, when nothing moves any more.
        Map<String, byte[]> finished = RunFiles.finished(out, RUNS);
        List<String> interrupted = RunFiles.interrupted(out, RUNS, 2);
        assertTrue(!finished.isEmpty() && !interrupted.isEmpty(), "killed with a run finished and another one "
                + "checkpointed mid-way: " + first.stdoutSoFar());
        Map<String, double[]> checkpointed = new HashMap<>();
        for (String run : interrupted) checkpointed.put(run, RunFiles.checkpointSeconds(out.resolve(RunFiles.checkpointOf(run))));
        for (String run : finished.keySet()) {
            assertEquals("vector", RunFiles.environment(out.resolve(run)).string("kernelBackend"),
                    "the restarted driver has the Vector API");
        }

        // The same command and output; --run-cores may change (it is not part of the grid): one run at a time now.
        SweepProcess.Result resumed = SweepProcess.run(SweepProcess.plainCommand(SweepProcess.sweepArgs("local[2]",
                out.toString(), List.of("--run-cores", "2"), grid)), tmp);
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.out().startsWith("note: " + out + " had a stale lock from pid "), "the killed driver's "
                + "folder lock is taken over: " + resumed);
        assertTrue(resumed.out().contains("\nsweep: 4 runs, " + finished.size() + " finished before, "
                + (4 - finished.size()) + " to run on local[2] (2 cores each)"), resumed.toString());
        assertTrue(resumed.out().contains("octal8 - float"), "the experiment's closing table: " + resumed);
        assertEquals(List.of(), resumed.errorLines(), "nothing on standard error: " + resumed);
        SameNumbers.assertSame(expected, out);
        for (String run : RUNS) {
            long threads = RunFiles.environment(out.resolve(run)).integer("threads");
            if (finished.containsKey(run)) {
                assertArrayEquals(finished.get(run), Files.readAllBytes(out.resolve(run)), run + " had finished and did not run again");
                assertEquals(1, threads, run + " ran with one core");
            } else {
                assertTrue(resumed.out().contains("finished: " + run), resumed.toString());
                assertEquals(2, threads, run + " got --run-cores threads");
            }
        }
        for (String run : interrupted) {
            double[] kept = checkpointed.get(run), result = RunFiles.resultSeconds(out.resolve(run));
            assertEquals(2, result.length);
            assertEquals(Double.doubleToRawLongBits(kept[0]), Double.doubleToRawLongBits(result[0]),
                    run + " resumed from its checkpoint: its first epoch is the one trained before the kill");
        }

        // Restarted when all is done: nothing to run, Spark not even started, the merge done again.
        Map<String, byte[]> before = RunFiles.finished(out, RUNS);
        SweepProcess.Result again = SweepProcess.run(SweepProcess.directCommand(SweepProcess.sweepArgs("local[2]",
                out.toString(), List.of(), grid)), tmp);
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.out().startsWith("sweep: 4 runs, 4 finished before, 0 to run"), again.toString());
        Map<String, byte[]> after = RunFiles.finished(out, RUNS);
        for (String run : RUNS) assertArrayEquals(before.get(run), after.get(run), run + " did not run again");
        SameNumbers.assertSame(expected, out);
    }
}
