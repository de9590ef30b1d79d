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
 */
public final class VectorRelaunch {
    public static final String MODULE = "jdk.incubator.vector";
    static final String GUARD_PROPERTY = "octoquant.relaunched";
    static final String GUARD_ENV = "OCTOQUANT_RELAUNCHED";

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

    /** The command line of the child JVM. */
    public static List<String> childCommand(String java, List<String> jvmArgs, String classPath, String mainClass,
                                            String[] args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("--add-modules");
        cmd.add(MODULE);
        cmd.add("-D" + GUARD_PROPERTY + "=true");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs the program again in a child JVM with the Vector API, sharing this process's standard streams,
     * and returns its exit code. If this JVM is asked to stop (Ctrl-C, SIGTERM), the child is stopped too.
     * Returns -1 when the child could not be started (the caller then runs in this JVM).
     */
    public static int relaunch(Class<?> mainClass, String[] args) {
        String java = javaCommand().orElseThrow();
        List<String> cmd = childCommand(java, ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path"), mainClass.getName(), args);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(GUARD_ENV, "1");
        Process child;
        try {
            child = pb.start();
        } catch (java.io.IOException e) {
            System.err.println("warning: could not restart the JVM with --add-modules " + MODULE + " ("
                    + e.getMessage() + "); running with the scalar kernels");
            return -1;
        }
        Thread stopper = new Thread(() -> {
            child.descendants().forEach(ProcessHandle::destroy);
            child.destroy();
        }, "octoquant-relaunch-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        while (true) {
            try {
                int code = child.waitFor();
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or about to; nothing to undo
                }
                return code;
            } catch (InterruptedException e) {
                // keep waiting: the child owns the work
            }
        }
    }

    private static Optional<String> javaCommand() {
        return ProcessHandle.current().info().command();
    }
}
