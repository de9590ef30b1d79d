package octoquant.experiments.launch;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops the work of this JVM at a consistent point when it is asked to end: SIGTERM (what schedulers and
 * {@code timeout} send), SIGINT (Ctrl-C), or the end of the JVM that launched this one.
 *
 * <p>How: the JVM answers SIGTERM and SIGINT by running its shutdown hooks while the program's threads go on
 * running, and halts — with status 143 or 130 — once every hook has returned. The hook installed here raises
 * a flag and waits (at most {@link #GRACE_SECONDS} s) until the main thread says it is done. The training
 * loop calls {@link #check()} between batches; once the flag is up it throws {@link StopRequested}, which
 * unwinds through every open writer (temporary files removed, the output lock released) and is reported as
 * one line saying how to resume. Nothing is written between two checks except whole files, each atomically,
 * so the run stops with its last complete checkpoint and its finished runs on disk.
 *
 * <p>A JVM relaunched by {@link VectorRelaunch} also watches its launcher: when that JVM is gone (even after
 * kill -9), the flag goes up, so no child is left running on its own.
 */
public final class StopSignal {
    /** How long the shutdown hook waits for the main thread to reach a consistent point. */
    public static final int GRACE_SECONDS = 20;

    private static volatile String reason;
    /** Set by the shutdown hook: the JVM is ending on a signal and will halt with the signal's status. */
    private static volatile boolean shuttingDown;
    private static final CountDownLatch finished = new CountDownLatch(1);
    private static boolean installed;

    private StopSignal() {}

    /** Asked to stop: the program stops at its next {@link #check()}. */
    public static final class StopRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopRequested(String why) {
            super(why);
        }
    }

    /**
     * Installs the shutdown hook (once per JVM), and in a relaunched JVM the watch on the launcher. Call it
     * before the work starts, and {@link #finished()} when it has ended.
     */
    public static synchronized void install() {
        if (installed) return;
        installed = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (finished.getCount() == 0) return; // an ordinary exit: the work is over
            shuttingDown = true;
            request("stopped by SIGTERM or Ctrl-C");
            try {
                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "octoquant-stop"));
        VectorRelaunch.launcherPid().ifPresent(pid -> {
            String why = "stopped because the launching JVM (pid " + pid + ") ended";
            // Gone already (killed while this JVM started): stop at the first consistent point.
            ProcessHandle.of(pid).ifPresentOrElse(launcher -> launcher.onExit().thenRun(() -> request(why)),
                    () -> request(why));
        });
    }

    /** Raises the flag (the first reason is kept). */
    public static synchronized void request(String why) {
        if (reason == null) reason = why;
    }

    /** True once a stop was asked for. */
    public static boolean requested() {
        return reason != null;
    }

    /** Why the stop was asked for, or null. */
    public static String reason() {
        return reason;
    }

    /** A consistent point: throws {@link StopRequested} when a stop was asked for. */
    public static void check() {
        String why = reason;
        if (why != null) throw new StopRequested(why);
    }

    /** The work is over (finished, failed or stopped): lets the shutdown hook return and the JVM halt. */
    public static void finished() {
        finished.countDown();
    }

    /**
     * True once the JVM is ending on SIGTERM or SIGINT (the hook has run). The main thread must then not
     * call {@code System.exit} itself: once the last hook has returned, an exit with a nonzero status halts
     * at once with that status, and could beat the signal's own halt to it (143 after Ctrl-C, for example).
     */
    public static boolean shuttingDown() {
        return shuttingDown;
    }

    /** Waits for the halt a signal's shutdown ends with (it comes once every hook has returned). */
    public static void awaitHalt() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // nothing to stop early for: the JVM is halting
            }
        }
    }

    /** Clears the flag (tests that run the program in-process, one command after another). */
    public static synchronized void reset() {
        reason = null;
    }
}
