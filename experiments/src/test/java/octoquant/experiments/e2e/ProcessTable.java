package octoquant.experiments.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What the operating system's process table says about a pid (Linux: {@code /proc}). */
final class ProcessTable {
    private ProcessTable() {}

    /**
     * True while {@code pid} runs. A process that ended but was not reaped yet (a zombie, state Z: its parent
     * died first and the container's init has not collected it) counts as ended.
     */
    static boolean running(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
            return !state.equals("Z") && !state.equals("X");
        } catch (IOException | RuntimeException e) {
            return h.get().isAlive();
        }
    }

    /** Waits up to {@code seconds} for {@code pid} to end; true when it did. */
    static boolean awaitGone(long pid, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (running(pid)) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(20);
        }
        return true;
    }

    /** The first child of {@code parent} (the relaunched JVM), waiting up to {@code seconds} for it to appear. */
    static Optional<ProcessHandle> awaitChild(Process parent, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline && parent.isAlive()) {
            Optional<ProcessHandle> c = parent.children().findFirst();
            if (c.isPresent()) return c;
            Thread.sleep(5);
        }
        return Optional.empty();
    }

    /** Kills {@code p} and everything it started, for a test's clean-up. */
    static void killAll(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
