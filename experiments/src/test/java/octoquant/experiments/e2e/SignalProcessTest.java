package octoquant.experiments.e2e;

import octoquant.experiments.io.OutputLock;
import octoquant.experiments.result.RunResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SIGTERM (what schedulers and {@code timeout} send) to the {@code java -jar} JVM or to the JVM it relaunched,
 * and kill -9 of the launcher, at random moments: exit 143, no JVM left behind, nothing half-written, and a
 * resume that ends with the numbers of an uninterrupted run.
 */
class SignalProcessTest {
    static final int TERM_PARENT = 3, TERM_CHILD = 3, KILL_PARENT = 1;

    private enum Target { TERM_PARENT, TERM_CHILD, KILL_PARENT }

    private static String[] args(Path out) {
        return new String[] {"regression", "--epochs", "12", "--seeds", "1", "--methods", "float,quant8", "--out",
                out.toString()};
    }

    /**
     * Each trial picks its moment at random: one in four while the child JVM starts (from its appearance, up to
     * half a second), the others while the run trains (from its config.json, up to half the time a whole run,
     * JVM start included, took here).
     */
    @Test
    void aStoppedRunLeavesNoJvmAndResumesExactly(@TempDir Path tmp) throws Exception {
        long t0 = System.nanoTime();
        CliProcess.Result ref = CliProcess.run(args(tmp.resolve("reference")));
        int runMs = (int) ((System.nanoTime() - t0) / 1_000_000);
        assertEquals(0, ref.code(), ref.err());
        RunResults expected = CliProcess.results(tmp.resolve("reference"));
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        Map<String, Integer> outcomes = new TreeMap<>();
        int trial = 0;
        for (Target target : Target.values()) {
            int n = switch (target) {
                case TERM_PARENT -> TERM_PARENT;
                case TERM_CHILD -> TERM_CHILD;
                case KILL_PARENT -> KILL_PARENT;
            };
            for (int i = 0; i < n; i++, trial++) {
                boolean startUp = rnd.nextInt(4) == 0;
                int delayMs = startUp ? rnd.nextInt(500) : rnd.nextInt(Math.max(1, runMs / 2));
                String outcome = oneTrial(tmp, trial, target, startUp, delayMs, expected, seed);
                outcomes.merge(target + ": " + outcome, 1, Integer::sum);
            }
        }
        System.out.printf("[SignalProcessTest] %d trials (seed %d, a whole run %d ms): %s%n", trial, seed, runMs, outcomes);
    }

    /**
     * Ctrl-C (SIGINT) goes the same way and keeps the JVM's own status for it, 130. Sent with {@code kill -INT} to
     * a JVM running the work itself (a terminal sends it to the launcher and the child alike). A process that
     * starts with SIGINT ignored (a background job of a non-interactive shell) passes that on to its children,
     * which then cannot be interrupted at all: the test says so and is skipped.
     */
    @Test
    void ctrlCStopsBetweenTwoBatchesWithStatus130(@TempDir Path tmp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored(),
                "SIGINT is ignored in this process tree (started in the background without job control)");
        Path dir = tmp.resolve("run");
        Path log = tmp.resolve("run.log");
        Process p = CliProcess.start(CliProcess.directCommand(args(dir)), log.toFile());
        try {
            Path ckpt = dir.resolve("checkpoints/float-seed0.ckpt");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(2);
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String console = Files.readString(log);
            assertEquals(130, p.exitValue(), console);
            assertTrue(console.contains("stopped by SIGTERM or Ctrl-C, between two batches (nothing half-written); kept: "
                    + "the last complete checkpoint of 1 unfinished run (checkpoints/float-seed0.ckpt); continue with: "
                    + "java -jar experiments.jar --resume " + dir), console);
            CliProcess.Result again = CliProcess.run("--resume", dir.toString());
            assertEquals(0, again.code(), again.out() + again.err());
            ExperimentsProcessTest.assertSameNumbers(CliProcess.reference(java.util.List.of(args(tmp.resolve("ref")))),
                    CliProcess.results(dir));
        } finally {
            if (p.isAlive()) ProcessTable.killAll(p);
        }
    }

    /** True when this JVM started with SIGINT ignored (Linux: bit 1 of SigIgn in /proc/self/status). */
    private static boolean sigintIgnored() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) return (Long.parseLong(line.substring(7).trim(), 16) & 2) != 0;
        }
        return false;
    }

    private static String oneTrial(Path tmp, int trial, Target target, boolean startUp, int delayMs,
                                   RunResults expected, long seed) throws Exception {
        Path dir = tmp.resolve("t" + trial);
        Path log = tmp.resolve("t" + trial + ".log");
        Process parent = CliProcess.start(CliProcess.plainCommand(args(dir)), log.toFile());
        String where = target + " trial " + trial + ", " + delayMs + " ms after the " + (startUp ? "child appeared"
                : "run began") + " (seed " + seed + ")";
        try {
            ProcessHandle child = ProcessTable.awaitChild(parent, 60).orElseThrow(() -> new AssertionError(where
                    + ": the launcher started no child JVM"));
            if (!startUp) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!Files.exists(dir.resolve("config.json")) && parent.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
            }
            Thread.sleep(delayMs);
            if (!parent.isAlive()) {
                assertEquals(0, parent.exitValue(), where + "\n" + Files.readString(log));
                return "finished before the signal";
            }
            switch (target) {
                case TERM_PARENT -> parent.destroy();
                case TERM_CHILD -> child.destroy();
                case KILL_PARENT -> parent.destroyForcibly();
            }
            assertTrue(parent.waitFor(60, TimeUnit.SECONDS), where + ": the launcher ended");
            assertTrue(ProcessTable.awaitGone(child.pid(), target == Target.KILL_PARENT ? 30 : 2),
                    where + ": child JVM " + child.pid() + " still running\n" + Files.readString(log));
            String console = Files.readString(log);
            if (target != Target.KILL_PARENT) {
                if (parent.exitValue() == 0) return "finished as the signal came";
                assertEquals(143, parent.exitValue(), where + "\n" + console);
            }
            if (Files.exists(dir)) {
                assertEquals(java.util.List.of(), OutputLockProcessTest.temporaryFiles(dir), where + ": nothing half-written");
            }
            boolean told = console.contains("stopped by SIGTERM or Ctrl-C, between two batches (nothing half-written); ")
                    || console.contains("stopped because the launching JVM (pid " + parent.pid() + ") ended");
            if (told) {
                assertTrue(console.contains("continue with: java -jar experiments.jar --resume " + dir), console);
                assertEquals("", Files.readString(dir.resolve(OutputLock.FILE_NAME)), where + ": lock released");
            }
            // Resume (or, when the signal came before the run had a configuration, start again) and compare.
            boolean resumable = Files.exists(dir.resolve("config.json"));
            CliProcess.Result again = resumable ? CliProcess.run("--resume", dir.toString()) : CliProcess.run(args(dir));
            assertEquals(0, again.code(), where + ": " + again.out() + again.err());
            ExperimentsProcessTest.assertSameNumbers(expected, CliProcess.results(dir));
            return (told ? "stopped with the resume line" : "stopped before the run began (JVM start-up)")
                    + (resumable ? ", resumed exactly" : ", started again") + (startUp ? " [start-up moment]" : "");
        } finally {
            if (parent.isAlive()) ProcessTable.killAll(parent);
        }
    }
}
