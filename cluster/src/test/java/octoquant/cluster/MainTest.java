package octoquant.cluster;

import octoquant.cluster.sweep.ExitCode;
import octoquant.cluster.testjob.LogisticMapJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line in this JVM: everything that is decided before Spark would start. */
class MainTest {
    private record Run(int code, String out, String err) {}

    private static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] sweep(Path out, String... grid) {
        List<String> a = new ArrayList<>(List.of("sweep", "--master", "local[1]", "--out", out.toString(), "--job",
                LogisticMapJob.class.getName(), "--"));
        a.addAll(List.of(grid));
        return a.toArray(String[]::new);
    }

    @Test
    void badCommandLinesExitWithTwoAndSayWhat(@TempDir Path tmp) {
        Run noCommand = main();
        assertEquals(ExitCode.USAGE, noCommand.code());
        assertTrue(noCommand.err().contains("usage: java -jar octoquant-cluster.jar sweep"), noCommand.err());

        Run unknown = main("swep", "--out", "x");
        assertEquals(ExitCode.USAGE, unknown.code());
        assertTrue(unknown.err().startsWith("error: unknown command swep"), unknown.err());

        Run noOut = main("sweep", "--", "mnist");
        assertEquals(ExitCode.USAGE, noOut.code());
        assertTrue(noOut.err().startsWith("error: --out is required"), noOut.err());

        Run badCores = main("sweep", "--out", "x", "--run-cores", "0", "--", "mnist");
        assertEquals(ExitCode.USAGE, badCores.code());
        assertTrue(badCores.err().startsWith("error: --run-cores 0: expected a whole number >= 1"), badCores.err());

        Run tooManyCores = main("sweep", "--master", "local[2]", "--run-cores", "3", "--out", tmp.resolve("o").toString(),
                "--job", LogisticMapJob.class.getName(), "--", "logistic");
        assertEquals(ExitCode.USAGE, tooManyCores.code());
        assertEquals("error: --run-cores 3 is more than the 2 core(s) of --master local[2]\n", tooManyCores.err());

        Run noJob = main("sweep", "--out", tmp.resolve("o").toString(), "--job", "no.such.Job", "--", "mnist");
        assertEquals(ExitCode.USAGE, noJob.code());
        assertEquals("error: --job: grid job class no.such.Job is not on the class path\n", noJob.err());

        Run badGrid = main(sweep(tmp.resolve("o"), "logistic", "--runs", "many"));
        assertEquals(ExitCode.USAGE, badGrid.code());
        assertEquals("error: --runs many: not a number\n", badGrid.err());
    }

    @Test
    void aSweepWhoseRunsAllFinishedOnlyMergesAndAnotherGridIsRefused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        LogisticMapJob job = new LogisticMapJob();
        List<String> specs = job.plan(new String[] {"logistic", "--runs", "3", "--steps", "10"});
        for (String s : specs) job.execute(s, out, 1);

        Run done = main(sweep(out, "logistic", "--runs", "3", "--steps", "10"));
        assertEquals(ExitCode.OK, done.code(), done.err());
        assertEquals("", done.err());
        assertTrue(done.out().startsWith("sweep: 3 runs, 3 finished before, 0 to run on local[1]"), done.out());
        assertTrue(Files.exists(out.resolve("logistic/merged.json")));
        assertTrue(Files.exists(out.resolve("_sweep/grid.json")));

        Run other = main(sweep(out, "logistic", "--runs", "2", "--steps", "10"));
        assertEquals(ExitCode.USAGE, other.code());
        assertEquals("error: --out " + out + " holds a sweep of another grid (_sweep/grid.json); resume it with the "
                + "arguments it was started with, or use another --out\n", other.err());
    }
}
