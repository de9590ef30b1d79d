package octoquant.cluster.launch;

import org.apache.spark.launcher.JavaModuleOptions;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gives {@code java -jar octoquant-cluster.jar} the JVM options a Spark driver needs on JDK 17+, which a JAR
 * cannot set for itself: Spark's own list ({@link JavaModuleOptions#defaultModuleOptionArray()}: the
 * {@code --add-opens} of java.base packages Spark and Netty reach into, and
 * {@code --add-modules=jdk.incubator.vector}). When this JVM lacks them, the program starts itself again with
 * them — same java binary, JVM options, class path and arguments — and exits with the child's exit code.
 *
 * <p>spark-submit and the Spark launcher add the same list, so a driver they start is never relaunched, and
 * Spark passes it to executors itself. Guards: the child gets {@code -Doctoquant.relaunched=true} and
 * {@code OCTOQUANT_RELAUNCHED=1} and never relaunches; {@code -Doctoquant.relaunch=false} or
 * {@code OCTOQUANT_NO_RELAUNCH=1} opts out.
 */
public final class SparkJvm {
    private static final String GUARD_PROPERTY = "octoquant.relaunched";
    private static final String GUARD_ENV = "OCTOQUANT_RELAUNCHED";

    private SparkJvm() {}

    /** True when this JVM lacks Spark's module options and nothing forbids starting again with them. */
    public static boolean shouldRelaunch() {
        if (hasSparkOptions()) return false;
        if (Boolean.getBoolean(GUARD_PROPERTY) || System.getenv(GUARD_ENV) != null) return false;
        if ("false".equalsIgnoreCase(System.getProperty("octoquant.relaunch"))) return false;
        if (System.getenv("OCTOQUANT_NO_RELAUNCH") != null) return false;
        return javaCommand().isPresent();
    }

    /** java.base's sun.nio.ch open to the class path (the first thing Spark's driver touches) and the Vector API. */
    static boolean hasSparkOptions() {
        Module unnamed = SparkJvm.class.getModule();
        boolean opened = Object.class.getModule().isOpen("sun.nio.ch", unnamed);
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                || java.lang.module.ModuleFinder.ofSystem().find("jdk.incubator.vector").isEmpty();
        return opened && vector;
    }

    /** The child's command line: Spark's options first, so that the user's own JVM options can override them. */
    static List<String> childCommand(String java, List<String> jvmArgs, String classPath, String mainClass, String[] args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
        cmd.add("-D" + GUARD_PROPERTY + "=true");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs the program again in a child JVM with Spark's options, sharing the standard streams, and returns its
     * exit code; stopping this JVM (Ctrl-C, SIGTERM) stops the child and its children. Returns -1 when the child
     * could not be started (the caller then runs in this JVM).
     */
    public static int relaunch(Class<?> mainClass, String[] args) {
        List<String> cmd = childCommand(javaCommand().orElseThrow(),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.class.path"),
                mainClass.getName(), args);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(GUARD_ENV, "1");
        Process child;
        try {
            child = pb.start();
        } catch (java.io.IOException e) {
            System.err.println("warning: could not restart the JVM with Spark's JVM options (" + e.getMessage()
                    + "); trying in this JVM");
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
