package octoquant.cluster;

import octoquant.cluster.sweep.ExitCode;
import octoquant.cluster.experiments.GridTasks;
import octoquant.experiments.io.OutputLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        List<String> a = new ArrayList<>(List.of("sweep", "--master", "local[1]", "--out", out.toString(), "--"));
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
                "--", "regression");
        assertEquals(ExitCode.USAGE, tooManyCores.code());
        assertEquals("error: --run-cores 3 is more than the 2 core(s) of --master local[2]\n", tooManyCores.err());

        Run noJob = main("sweep", "--out", tmp.resolve("o").toString(), "--job", "no.such.Job", "--", "mnist");
        assertEquals(ExitCode.USAGE, noJob.code());
        assertEquals("error: --job: grid job class no.such.Job is not on the class path\n", noJob.err());

        Run badGrid = main(sweep(tmp.resolve("o"), "mnist", "--seeds", "many"));
        assertEquals(ExitCode.USAGE, badGrid.code());
        assertEquals("error: option --seeds needs a whole number, got 'many'\n", badGrid.err());

        Run noRuns = main(sweep(tmp.resolve("o"), "quantize", "0.75"));
        assertEquals(ExitCode.USAGE, noRuns.code());
        assertEquals("error: 'quantize' has no runs to distribute\n", noRuns.err());

        Run outAfter = main(sweep(tmp.resolve("o"), "mnist", "--out", "elsewhere"));
        assertEquals(ExitCode.USAGE, outAfter.code());
        assertEquals("error: --out after the experiment: the sweep's own --out (before --) is the experiment's output "
                + "folder\n", outAfter.err());

        Run threads = main(sweep(tmp.resolve("o"), "mnist", "--threads=4"));
        assertEquals(ExitCode.USAGE, threads.code());
        assertTrue(threads.err().startsWith("error: --threads: each run of a sweep gets --run-cores threads"), threads.err());
    }

    private static void assertOneLine(Run r, String prefix) {
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith(prefix), "'" + lines.get(0) + "' should start with '" + prefix + "'");
    }

    @Test
    void anOutputThatCannotBeWrittenIsRefusedBeforeSparkStarts(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Run underFile = main(sweep(file.resolve("out"), "regression"));
        assertEquals(ExitCode.OUTPUT, underFile.code());
        assertOneLine(underFile, "error: cannot write the output " + file.resolve("out") + ": ");

        String[] args = sweep(Path.of("unused"), "regression");
        args[Arrays.asList(args).indexOf("--out") + 1] = "nosuchfs://host/runs";
        Run unknownScheme = main(args);
        assertEquals(ExitCode.OUTPUT, unknownScheme.code());
        assertOneLine(unknownScheme, "error: cannot write the output nosuchfs://host/runs: ");
        assertTrue(unknownScheme.err().contains("nosuchfs"), unknownScheme.err());

        List<String> debug = new ArrayList<>(List.of(sweep(file.resolve("out"), "regression")));
        debug.add(1, "--debug");
        Run traced = main(debug.toArray(String[]::new));
        assertEquals(ExitCode.OUTPUT, traced.code());
        assertTrue(traced.err().lines().anyMatch(l -> l.startsWith("\tat ")), "--debug adds the stack trace: " + traced.err());
    }

    /**
     * A listener whose accept queue is full: it drops new connection attempts, which time out as with a
     * firewalled or vanished host. Returns the connections that fill it (close them to free it).
     */
    private static List<Socket> fillBacklog(ServerSocket s) throws java.io.IOException {
        List<Socket> filling = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket c = new Socket();
            try {
                c.connect(new InetSocketAddress("127.0.0.1", s.getLocalPort()), 300);
                filling.add(c);
            } catch (java.io.IOException full) {
                c.close();
            }
        }
        return filling;
    }

    @Test
    void anOutputFileSystemThatNeverAnswersIsGivenUpAfterTheConnectTimeout(@TempDir Path tmp) throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> filling = fillBacklog(s);
            try {
                String out = "hdfs://127.0.0.1:" + s.getLocalPort() + "/runs";
                long start = System.nanoTime();
                Run r = main("sweep", "--master", "local[1]", "--connect-timeout", "2", "--out", out, "--", "regression");
                double seconds = (System.nanoTime() - start) / 1e9;
                assertEquals(ExitCode.OUTPUT, r.code(), r.err());
                assertEquals("error: the output " + out + " did not answer within 2 s (--connect-timeout)\n", r.err());
                assertTrue(seconds < 60, "not Hadoop's minutes of retries: " + seconds + " s");
            } finally {
                for (Socket c : filling) c.close();
            }
        }
    }

    @Test
    void aMasterThatNeverAnswersIsGivenUpAfterTheConnectTimeout(@TempDir Path tmp) throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> filling = fillBacklog(s);
            try {
                String master = "spark://127.0.0.1:" + s.getLocalPort();
                long start = System.nanoTime();
                Run r = main("sweep", "--master", master, "--connect-timeout", "2", "--conf", "spark.jars=file:///never-read.jar",
                        "--out", tmp.resolve("out").toString(), "--", "regression");
                double seconds = (System.nanoTime() - start) / 1e9;
                assertEquals(ExitCode.MASTER, r.code(), r.err());
                assertEquals("error: cannot reach the Spark master " + master + ": 127.0.0.1:" + s.getLocalPort()
                        + " (Connect timed out); start it (sbin/start-master.sh) or check --master\n", r.err());
                assertTrue(seconds >= 1.9 && seconds < 60, "gave up after the connect timeout: " + seconds + " s");
            } finally {
                for (Socket c : filling) c.close();
            }
        }
    }

    @Test
    void aSweepWhoseRunsAllFinishedOnlyMergesAndAnotherGridIsRefused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        String[] grid = {"regression", "--epochs", "1", "--seeds", "2", "--methods", "float,octal8"};
        GridTasks job = new GridTasks();
        for (String s : job.plan(grid, Files.createDirectories(tmp.resolve("plan")), System.out).specs()) {
            job.execute(s, Map.of(), out, 1);
        }

        Run done = main(sweep(out, grid));
        assertEquals(ExitCode.OK, done.code(), done.err());
        assertEquals("", done.err());
        assertTrue(done.out().startsWith("sweep: 4 runs, 4 finished before, 0 to run on local[1]"), done.out());
        assertTrue(done.out().contains("octal8 - float"), "the experiment's closing table: " + done.out());
        for (String f : List.of("results.json", "curves.csv", "report.html", "config.json", "_sweep/grid.json")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }

        Run other = main(sweep(out, "regression", "--epochs", "1", "--seeds", "1", "--methods", "float,octal8"));
        assertEquals(ExitCode.USAGE, other.code());
        assertEquals("error: --out " + out + " holds a sweep of another grid (_sweep/grid.json); resume it with the "
                + "arguments it was started with, or use another --out\n", other.err());
    }

    @Test
    void anOutputInUseByAnotherRunIsRefused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        try (OutputLock other = OutputLock.acquire(out, null)) {
            Run r = main(sweep(out, "regression"));
            assertEquals(ExitCode.USAGE, r.code());
            assertOneLine(r, "error: --out " + out + " is in use by another run (pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void anOutputHoldingAnotherConfigurationIsRefusedBeforeAnythingIsWritten(@TempDir Path tmp) throws Exception {
        // What experiments.jar leaves in its output first: the configuration of its runs.
        Path out = tmp.resolve("out");
        new GridTasks().plan(new String[] {"regression", "--epochs", "3"}, Files.createDirectories(out), System.out);
        byte[] theirs = Files.readAllBytes(out.resolve("config.json"));

        Run r = main(sweep(out, "regression", "--epochs", "1"));
        assertEquals(ExitCode.USAGE, r.code());
        assertEquals("error: --out " + out + " holds a config.json of another configuration; use another --out (or an "
                + "empty one)\n", r.err());
        assertArrayEquals(theirs, Files.readAllBytes(out.resolve("config.json")));
        assertFalse(Files.exists(out.resolve("_sweep/grid.json")));
    }
}
