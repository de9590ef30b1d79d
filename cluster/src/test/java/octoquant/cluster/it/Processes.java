package octoquant.cluster.it;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts the tests' JVMs and makes sure none outlives the tests: every process started here is killed with
 * its descendants by {@link #killTree}, and a shutdown hook kills whatever is still alive if the test JVM exits
 * first.
 */
final class Processes {
    private static final Set<ProcessHandle> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Processes::killTree), "kill-test-jvms"));
    }

    private Processes() {}

    static Process start(List<String> cmd, Map<String, String> env, File log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log);
        pb.environment().remove("OCTOQUANT_RELAUNCHED");
        pb.environment().putAll(env);
        Process p = pb.start();
        STARTED.add(p.toHandle());
        return p;
    }

    static Process start(List<String> cmd, Map<String, String> env, File out, File err) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err);
        pb.environment().remove("OCTOQUANT_RELAUNCHED");
        pb.environment().putAll(env);
        Process p = pb.start();
        STARTED.add(p.toHandle());
        return p;
    }

    /** Kills the process and everything it started (children first, so none is left orphaned), and waits. */
    static void killTree(ProcessHandle p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.onExit().get(30, TimeUnit.SECONDS);
            for (ProcessHandle d : p.descendants().toList()) d.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort: the shutdown hook tries again
        }
        STARTED.remove(p);
    }

    /**
     * Freezes ({@code SIGSTOP}) or thaws ({@code SIGCONT}) one process, every thread of it at once, so a test can
     * look at what it has written so far knowing it writes nothing more while it looks.
     */
    static void signal(ProcessHandle p, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).redirectErrorStream(true).start();
        String said = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (kill.waitFor() != 0 && p.isAlive()) throw new IOException("kill -" + signal + " " + p.pid() + ": " + said);
    }

    /** Asks the process tree to stop (SIGTERM, so Spark's daemons stop their executors), then kills what is left. */
    static void stopTree(ProcessHandle p) {
        List<ProcessHandle> all = new java.util.ArrayList<>(p.descendants().toList());
        p.destroy();
        try {
            p.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            // killed below
        }
        all.forEach(ProcessHandle::destroyForcibly);
        killTree(p);
    }
}
