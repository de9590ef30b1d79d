package octoquant.cluster.it;

import octoquant.cluster.sweep.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's mistakes met by the sweep in its own JVM: one line on standard error and the exit code. (Mistakes
 * found before Spark starts are also checked in the test JVM, {@code octoquant.cluster.MainTest}.)
 */
class BadInputTest {
    /** The seed's toy regression: no data set to read, a second per run. */
    private static final List<String> GRID = List.of("regression", "--epochs", "1", "--seeds", "3", "--methods", "float");

    /** What a cluster master needs before it is contacted; never read here, as the master is never reached. */
    private static final List<String> APP_JAR = List.of("--conf", "spark.jars=file:///never-read.jar");

    private static SweepProcess.Result sweep(Path tmp, String master, String out, List<String> options, List<String> grid)
            throws Exception {
        return SweepProcess.run(SweepProcess.directCommand(SweepProcess.sweepArgs(master, out, options, grid)), tmp);
    }

    /** Exactly one line of ours on standard error, starting with {@code prefix}, and no stack trace. */
    private static void assertOneLine(SweepProcess.Result r, String prefix) {
        List<String> ours = r.errorLines().stream().filter(l -> l.startsWith("error:") || l.startsWith("data error:")
                || l.startsWith("internal error:")).toList();
        assertEquals(1, ours.size(), r.toString());
        assertTrue(ours.get(0).startsWith(prefix), "'" + ours.get(0) + "' should start with '" + prefix + "'");
        assertFalse(r.err().lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by")), "no stack trace: " + r);
    }

    @Test
    void aMasterThatRefusesConnectionsFailsAtOnce(@TempDir Path tmp) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        SweepProcess.Result r = sweep(tmp, "spark://127.0.0.1:" + port, tmp.resolve("out").toString(), APP_JAR, GRID);
        assertEquals(ExitCode.MASTER, r.code(), r.toString());
        assertOneLine(r, "error: cannot reach the Spark master spark://127.0.0.1:" + port + ": 127.0.0.1:" + port + " (Connection refused)");
    }

    @Test
    void aSpecTheExecutorsCannotReadFailsThatRunAlone(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        List<String> options = new ArrayList<>(List.of("--job", "octoquant.cluster.testjob.SkewedSpecJob"));
        SweepProcess.Result r = sweep(tmp, "local[1]", out.toString(), options, GRID);
        assertEquals(ExitCode.BAD_SPEC, r.code(), r.toString());
        assertOneLine(r, "error: run 2 (runs/float-seed1.json) the executors cannot read its spec: not a run spec this "
                + "build can run (");
        assertTrue(r.errorLines().stream().anyMatch(l -> l.startsWith("error: run 2") && l.contains("octal9-from-a-newer-build")),
                "names what it cannot read: " + r);
        assertTrue(r.out().contains("FAILED: runs/float-seed1.json"), r.toString());
        assertTrue(Files.exists(out.resolve("runs/float-seed0.json")) && Files.exists(out.resolve("runs/float-seed2.json")),
                "the other runs finished");
        assertFalse(Files.exists(out.resolve("runs/float-seed1.json")));
        assertFalse(Files.exists(out.resolve("results.json")), "no merge with a run missing");
    }
}
