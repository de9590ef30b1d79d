package octoquant.cluster.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's one-line command: Spark's in-process local[N] master, nothing installed. */
class LocalSweepTest {
    private static List<String> grid(Path probe, int epochs, long steps) {
        return List.of("logistic", "--runs", "4", "--epochs", Integer.toString(epochs), "--steps", Long.toString(steps),
                "--probe", probe.toString());
    }

    @Test
    void localMasterGivesTheNumbersOfRunningEachSpecInProcess(@TempDir Path tmp) throws Exception {
        List<String> grid = grid(tmp.resolve("probe"), 3, 200_000);
        Path expected = Reference.run(grid, tmp.resolve("reference"));
        Path out = tmp.resolve("out");

        // Two runs at a time with two threads each is more than the 2 cores local[2] has: one at a time.
        SweepProcess.Result r = SweepProcess.run(SweepProcess.plainCommand(SweepProcess.sweepArgs("local[2]",
                out.toString(), List.of("--run-cores", "2"), grid)), tmp);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("sweep: 4 runs, 0 finished before, 4 to run on local[2] (2 cores each)"), r.toString());
        for (String run : List.of("r00", "r01", "r02", "r03")) {
            assertTrue(r.out().contains("finished: logistic/runs/" + run + ".json"), r.toString());
        }
        assertTrue(r.out().contains("merged 4 runs into logistic/merged.json"), r.toString());
        assertEquals(List.of(), r.errorLines(), "nothing on standard error: " + r);
        Reference.assertSameResults(expected, out);

        Map<String, List<Probes.Attempt>> attempts = Probes.read(tmp.resolve("probe"));
        assertEquals(4, attempts.size());
        attempts.forEach((run, a) -> {
            assertEquals(1, a.size(), run + " ran once");
            assertEquals(2, a.get(0).threads(), run + " got --run-cores threads");
            assertTrue(a.get(0).vector(), "the relaunched driver has the Vector API");
        });

        // Restarted when all is done: nothing to run, Spark not even started, the merge done again.
        SweepProcess.Result again = SweepProcess.run(SweepProcess.directCommand(SweepProcess.sweepArgs("local[2]",
                out.toString(), List.of("--run-cores", "2"), grid)), tmp);
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.out().startsWith("sweep: 4 runs, 4 finished before, 0 to run"), again.toString());
        assertEquals(4, Probes.read(tmp.resolve("probe")).values().stream().mapToInt(List::size).sum(), "no run ran again");
        Reference.assertSameResults(expected, out);
    }

    @Test
    void sweepWhoseDriverWasKilledRunsOnlyWhatIsMissingAndResumesFromCheckpoints(@TempDir Path tmp) throws Exception {
        List<String> grid = grid(tmp.resolve("probe"), 6, 1_000_000);
        Path expected = Reference.run(grid, tmp.resolve("reference"));
        Path out = tmp.resolve("out");
        List<String> cmd = SweepProcess.directCommand(SweepProcess.sweepArgs("local[2]", out.toString(), List.of(), grid));

        SweepProcess first = SweepProcess.start(cmd, tmp);
        Path runs = out.resolve("logistic/runs"), checkpoints = out.resolve("logistic/checkpoints");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        // Kill while some run has at least two epochs left, so it cannot finish before the kill lands.
        while (interrupted(runs, checkpoints, 5).isEmpty() && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Processes.killTree(first.handle()); // kill -9 of the driver
        // Read after the kill, when nothing moves any more.
        List<String> finished = names(runs), interrupted = interrupted(runs, checkpoints, 6);
        assertTrue(!finished.isEmpty() && !interrupted.isEmpty(), "killed with a run finished and another one "
                + "checkpointed mid-way: " + first.stdoutSoFar());

        SweepProcess.Result resumed = SweepProcess.run(cmd, tmp);
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.out().startsWith("sweep: 4 runs, " + finished.size() + " finished before, "
                + (4 - finished.size()) + " to run"), resumed.toString());
        Reference.assertSameResults(expected, out);

        Map<String, List<Probes.Attempt>> attempts = Probes.read(tmp.resolve("probe"));
        for (String run : List.of("r00", "r01", "r02", "r03")) {
            List<Probes.Attempt> a = attempts.get(run);
            if (interrupted.contains(run)) {
                assertEquals(2, a.size(), run + " was started twice: " + a);
                assertTrue(a.stream().anyMatch(x -> x.from() >= 1), run + " resumed from its checkpoint: " + a);
            } else if (finished.contains(run)) {
                assertEquals(1, a.size(), run + " had finished before the kill and did not run again: " + a);
            } else {
                assertTrue(a.size() <= 2 && a.stream().allMatch(x -> x.from() == 0), run + ": " + a);
            }
        }
    }

    /**
     * The runs with a checkpoint short of their last epoch and no result, when at least one run has its result
     * (else none).
     */
    private static List<String> interrupted(Path runs, Path checkpoints, int epochs) throws Exception {
        if (count(runs) == 0 || !Files.isDirectory(checkpoints)) return List.of();
        List<String> found = new java.util.ArrayList<>();
        try (var files = Files.list(checkpoints)) {
            for (Path c : files.toList()) {
                String name = c.getFileName().toString();
                if (name.startsWith(".")) continue;
                String run = name.substring(0, name.indexOf('.'));
                int epoch = Probes.checkpointEpoch(c);
                if (epoch >= 1 && epoch < epochs && !Files.exists(runs.resolve(run + ".json"))) found.add(run);
            }
        }
        return found;
    }

    private static int count(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return 0;
        try (var files = Files.list(dir)) {
            return (int) files.filter(f -> !f.getFileName().toString().startsWith(".")).count();
        }
    }

    private static List<String> names(Path runs) throws Exception {
        try (var files = Files.list(runs)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .map(n -> n.substring(0, n.indexOf('.'))).sorted().toList();
        }
    }
}
