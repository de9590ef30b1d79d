package octoquant.experiments.e2e;

import octoquant.experiments.io.Json;
import octoquant.experiments.result.ResultsJson;
import octoquant.experiments.result.RunResults;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI as a separate process — {@code java -cp <this test's class path> octoquant.experiments.Main}
 * — exactly as {@code java -jar experiments.jar} would run it (same main class, same dependencies), and
 * captures its exit code and output.
 */
final class CliProcess {
    record Result(int code, String out, String err) {
        String firstErrorLine() {
            // Skip the JVM's incubator warning and the engine's one-line kernel log.
            return err.lines().filter(l -> !l.startsWith("WARNING: Using incubator") && !l.startsWith("octoquant: kernels"))
                    .findFirst().orElse("");
        }
    }

    private CliProcess() {}

    static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) cp = System.getProperty("java.class.path");
        return cp;
    }

    /** Without JVM flags: the program relaunches itself with the Vector API, as {@code java -jar} would. */
    static List<String> plainCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx1g", "-cp", classPath(), "octoquant.experiments.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** With the module already added: one JVM (no relaunch), so the test can kill the worker itself. */
    static List<String> directCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-cp",
                classPath(), "octoquant.experiments.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@link #directCommand} with extra JVM options (e.g. {@code -Xmx32m}) after the default ones. */
    static List<String> directCommand(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "--add-modules", "jdk.incubator.vector", "-Xmx1g"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath(), "octoquant.experiments.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@link #plainCommand} with extra JVM options, which the relaunch passes on to the child JVM. */
    static List<String> plainCommand(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx1g"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath(), "octoquant.experiments.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(directCommand(args), Map.of());
    }

    static Result runPlain(String... args) throws IOException, InterruptedException {
        return run(plainCommand(args), Map.of());
    }

    static Result run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        Path out = Files.createTempFile("octoquant-out", ".txt"), err = Files.createTempFile("octoquant-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("OCTOQUANT_RELAUNCHED");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(240, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Process start(List<String> cmd, File log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log);
        pb.environment().remove("OCTOQUANT_RELAUNCHED");
        return pb.start();
    }

    /** Starts {@code cmd} with its standard output and error in separate files. */
    static Process start(List<String> cmd, File out, File err) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err);
        pb.environment().remove("OCTOQUANT_RELAUNCHED");
        return pb.start();
    }

    private static final Map<List<String>, RunResults> REFERENCES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The results of an uninterrupted run of {@code args} (which end with {@code --out DIR}), run once per test
     * JVM: the numbers every interrupted-and-resumed run of the same arguments must reproduce.
     */
    static RunResults reference(List<String> args) throws IOException, InterruptedException {
        List<String> key = args.subList(0, args.size() - 1);
        RunResults known = REFERENCES.get(key);
        if (known != null) return known;
        Result r = run(args.toArray(String[]::new));
        if (r.code() != 0) throw new AssertionError("the reference run failed: " + r.out() + r.err());
        RunResults res = results(Path.of(args.get(args.size() - 1)));
        REFERENCES.put(key, res);
        return res;
    }

    static RunResults results(Path dir) throws IOException {
        return ResultsJson.fromJson(Json.parse(Files.readString(dir.resolve("results.json"))));
    }

    /**
     * Where the real MNIST lives for tests: {@code $OCTOQUANT_SHARED/datasets}. When it is absent the test is
     * skipped with the reason — or fails when {@code CI=true} (as {@code .ci/run} sets): under CI a skipped
     * data test is a failure.
     */
    static Path sharedData() {
        String shared = System.getenv("OCTOQUANT_SHARED");
        Path p = (shared != null && !shared.isBlank() ? Path.of(shared, "datasets") : Path.of("..", "..", "shared", "datasets"))
                .toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("mnist"))) {
            String reason = "MNIST not found at " + p.resolve("mnist") + " (set OCTOQUANT_SHARED to the folder holding datasets/mnist)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true and " + reason + ": data tests must not be skipped under CI");
            }
            org.junit.jupiter.api.Assumptions.abort(reason);
        }
        return p;
    }
}
