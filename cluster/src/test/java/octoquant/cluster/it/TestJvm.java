package octoquant.cluster.it;

import org.apache.spark.launcher.JavaModuleOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The java binary and class paths the tests start other JVMs with. */
final class TestJvm {
    private TestJvm() {}

    static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** This test JVM's class path: the cluster module, its tests, the octoquant modules, Spark and the rest. */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }

    static List<Path> entries() {
        List<Path> entries = new ArrayList<>();
        for (String e : classPath().split(File.pathSeparator)) if (!e.isBlank()) entries.add(Path.of(e).toAbsolutePath());
        return entries;
    }

    /** The project's own classes (directories, or the jars of modules built before this one). */
    static boolean isProjectEntry(Path e) {
        return Files.isDirectory(e) || e.getFileName().toString().startsWith("octoquant-")
                || e.getFileName().toString().equals("experiments.jar");
    }

    /**
     * JVM options for the tests' short-lived JVMs: C1 only and the serial collector start faster on two shared
     * cores, and these JVMs compute little. Not product settings.
     */
    static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** Spark's JVM options (the --add-opens list and the Vector API), as spark-submit would give a driver. */
    static List<String> sparkOptions() {
        return List.of(JavaModuleOptions.defaultModuleOptionArray());
    }
}
