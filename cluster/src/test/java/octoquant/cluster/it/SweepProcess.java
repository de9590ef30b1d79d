package octoquant.cluster.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sweep command as a user runs it, in its own JVM: {@code java -cp <test class path> octoquant.cluster.Main}
 * (the jar's main class and dependencies, plus the tests' classes).
 */
final class SweepProcess {
    record Result(int code, String out, String err) {
        /** Standard error without the JVM's incubator-module notice and the engine's kernel line. */
        List<String> errorLines() {
            return err.lines().filter(l -> !l.startsWith("WARNING: Using incubator") && !l.startsWith("octoquant: kernels"))
                    .toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Process process;
    private final Path out, err;

    private SweepProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * The tests' start-up options for a driver that only drives (a cluster's): none for one that trains the runs
     * itself ({@code local[N]}), which runs with the JVM's defaults as a user's would.
     */
    private static List<String> jit(List<String> args) {
        int master = args.indexOf("--master");
        boolean trainsHere = master < 0 || args.get(master + 1).startsWith("local");
        return trainsHere ? List.of() : TestJvm.QUICK_START;
    }

    /** Without JVM options: the program restarts itself with Spark's, as {@code java -jar} would. */
    static List<String> plainCommand(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(TestJvm.java()));
        cmd.addAll(jit(args));
        cmd.addAll(List.of("-Xmx512m", "-cp", TestJvm.classPath(), "octoquant.cluster.Main"));
        cmd.addAll(args);
        return cmd;
    }

    /** With Spark's JVM options already given (as spark-submit does): one JVM, no restart. */
    static List<String> directCommand(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(TestJvm.java()));
        cmd.addAll(TestJvm.sparkOptions());
        cmd.addAll(jit(args));
        cmd.addAll(List.of("-Xmx512m", "-Dlog4j2.configurationFile=classpath:octoquant-cluster-log4j2.properties",
                "-cp", TestJvm.classPath(), "octoquant.cluster.Main"));
        cmd.addAll(args);
        return cmd;
    }

    static SweepProcess start(List<String> cmd, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path out = Files.createTempFile(logDir, "sweep", ".out"), err = Files.createTempFile(logDir, "sweep", ".err");
        // SPARK_LOCAL_IP keeps a driver of a cluster on loopback too (with local[N] the sweep does it itself).
        Process p = Processes.start(cmd, Map.of("SPARK_LOCAL_IP", "127.0.0.1"), out.toFile(), err.toFile());
        return new SweepProcess(p, out, err);
    }

    static Result run(List<String> cmd, Path logDir) throws Exception {
        return start(cmd, logDir).await(300);
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stdoutSoFar() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    Result await(long seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            Processes.killTree(process.toHandle());
            throw new AssertionError("the sweep did not end within " + seconds + " s:\n" + new Result(-1,
                    Files.readString(out), Files.readString(err)));
        }
        Processes.killTree(process.toHandle()); // nothing should be left; make sure
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The sweep's arguments: the experiments' grids (the default job). */
    static List<String> sweepArgs(String master, String out, List<String> options, List<String> grid) {
        List<String> a = new ArrayList<>(List.of("sweep", "--master", master, "--out", out));
        a.addAll(options);
        a.add("--");
        a.addAll(grid);
        return a;
    }
}
