package octoquant.experiments.launch;

import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gives {@code java -jar experiments.jar} the Vector API kernels without extra flags. A JAR manifest cannot
 * add a module to the boot layer, so when {@code jdk.incubator.vector} is available in this JDK but was not
 * added, the program starts itself again — same java binary, same JVM options, same class path, same
 * arguments — with {@code --add-modules jdk.incubator.vector}, and exits with the child's exit code.
 *
 * <p>Guards: the child is started with {@code -Doctoquant.relaunched=true} and the environment variable
 * {@code OCTOQUANT_RELAUNCHED=1}, and never relaunches again. {@code -Doctoquant.relaunch=false} (or the
 * environment variable {@code OCTOQUANT_NO_RELAUNCH=1}) opts out: the program then runs in this JVM with
 * whatever kernels it can load.
 *
 * <p>JVM options reach the child: {@code java -Xmx8g -jar experiments.jar …} runs the child with
 * {@code -Xmx8g}.
 */
public final class VectorRelaunch {
    public static final String MODULE = "jdk.incubator.vector";
    static final String GUARD_PROPERTY = "octoquant.relaunched";
    static final String GUARD_ENV = "OCTOQUANT_RELAUNCHED";
    /** The launching JVM's pid, which the child watches ({@link StopSignal}). */
    static final String LAUNCHER_PROPERTY = "octoquant.launcher";

    private VectorRelaunch() {}

    /** True when a relaunch would add the Vector API and nothing forbids it. */
    public static boolean shouldRelaunch() {
        if (ModuleLayer.boot().findModule(MODULE).isPresent()) return false;
        if (Boolean.getBoolean(GUARD_PROPERTY) || System.getenv(GUARD_ENV) != null) return false;
        if ("false".equalsIgnoreCase(System.getProperty("octoquant.relaunch"))) return false;
        if (System.getenv("OCTOQUANT_NO_RELAUNCH") != null) return false;
        if (ModuleFinder.ofSystem().find(MODULE).isEmpty()) return false;
        return javaCommand().isPresent();
    }

    /** The command line of the child JVM, started by the JVM with pid {@code launcherPid}. */
    public static List<String> childCommand(String java, List<String> jvmArgs, String classPath, String mainClass,
                                            String[] args, long launcherPid) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("--add-modules");
        cmd.add(MODULE);
        cmd.add("-D" + GUARD_PROPERTY + "=true");
        cmd.add("-D" + LAUNCHER_PROPERTY + "=" + launcherPid);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The pid of the JVM that relaunched this one, when this JVM is such a child. */
    public static java.util.OptionalLong launcherPid() {
        String pid = System.getProperty(LAUNCHER_PROPERTY);
        if (pid == null || !Boolean.getBoolean(GUARD_PROPERTY)) return java.util.OptionalLong.empty();
        try {
            return java.util.OptionalLong.of(Long.parseLong(pid.trim()));
        } catch (NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /**
     * Runs the program again in a child JVM with the Vector API, sharing this process's standard streams,
     * and returns its exit code. If this JVM is asked to stop (Ctrl-C, SIGTERM), the child is asked to stop
     * too (SIGTERM: it stops at a consistent point, see {@link StopSignal}) and this JVM ends only after the
     * child has: no child is left behind. Returns -1 when the child could not be started (the caller then
     * runs in this JVM).
     */
    public static int relaunch(Class<?> mainClass, String[] args) {
        launcherStopping = false;
        String java = javaCommand().orElseThrow();
        List<String> cmd = childCommand(java, ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path"), mainClass.getName(), args, ProcessHandle.current().pid());
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(GUARD_ENV, "1");
        ChildGuard guard = new ChildGuard();
        // The hook is in place before the child exists, so there is no moment at which a signal to this JVM
        // could leave a started child behind.
        Thread stopper = new Thread(guard::stop, "octoquant-relaunch-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        Process child;
        try {
            child = guard.start(pb);
        } catch (java.io.IOException e) {
            removeHook(stopper);
            System.err.println("warning: could not restart the JVM with --add-modules " + MODULE + " ("
                    + e.getMessage() + "); running with the scalar kernels");
            return -1;
        }
        if (child == null) return 143; // already shutting down: the JVM's own exit status wins
        while (true) {
            try {
                int code = child.waitFor();
                removeHook(stopper);
                return code;
            } catch (InterruptedException e) {
                // keep waiting: the child owns the work
            }
        }
    }

    /** Set by the relaunch's shutdown hook: this (launching) JVM is ending on a signal. */
    private static volatile boolean launcherStopping;

    /**
     * True once this launching JVM is ending on SIGTERM or SIGINT: it then halts with the signal's own
     * status, and its main thread must not call {@code System.exit} (see {@link StopSignal#shuttingDown}).
     */
    public static boolean launcherStopping() {
        return launcherStopping;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; nothing to undo
        }
    }

    /** The child JVM and the shutdown hook's view of it, so that starting and stopping cannot interleave. */
    private static final class ChildGuard {
        private Process child;
        private boolean stopping;

        /** Starts the child, or returns null when this JVM is already stopping. */
        synchronized Process start(ProcessBuilder pb) throws java.io.IOException {
            if (stopping) return null;
            child = pb.start();
            return child;
        }

        /** Asks the child to stop, waits for it (then kills it if it hangs), so it never outlives this JVM. */
        void stop() {
            Process c;
            synchronized (this) {
                stopping = true;
                c = child;
            }
            launcherStopping = true;
            if (c == null) return;
            c.descendants().forEach(ProcessHandle::destroy);
            c.destroy();
            try {
                if (!c.waitFor(StopSignal.GRACE_SECONDS + 5, java.util.concurrent.TimeUnit.SECONDS)) {
                    c.descendants().forEach(ProcessHandle::destroyForcibly);
                    c.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                c.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Optional<String> javaCommand() {
        return ProcessHandle.current().info().command();
    }
}
