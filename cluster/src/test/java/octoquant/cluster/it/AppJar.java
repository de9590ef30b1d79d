package octoquant.cluster.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The application jar a cluster's executors get (spark.jars): the project's classes on this test's class path —
 * this module, its tests (the test grid job) and the octoquant modules — in one jar, as the packaged
 * octoquant-cluster.jar holds them. Spark itself is not in it: the workers have it.
 */
final class AppJar {
    private AppJar() {}

    static Path build(Path target) throws IOException {
        Set<String> seen = new HashSet<>();
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target))) {
            for (Path e : TestJvm.entries()) {
                if (!TestJvm.isProjectEntry(e)) continue;
                if (Files.isDirectory(e)) addDirectory(jar, e, seen);
                else if (Files.isRegularFile(e)) addJar(jar, e, seen);
            }
        }
        return target;
    }

    private static void addDirectory(JarOutputStream jar, Path dir, Set<String> seen) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                try (InputStream in = Files.newInputStream(f)) {
                    add(jar, name, in, seen);
                }
            }
        }
    }

    private static void addJar(JarOutputStream jar, Path file, Set<String> seen) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(file))) {
            for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                if (!e.isDirectory()) add(jar, e.getName(), in, seen);
            }
        }
    }

    private static void add(JarOutputStream jar, String name, InputStream in, Set<String> seen) throws IOException {
        if (name.startsWith("META-INF/") || !seen.add(name)) return;
        jar.putNextEntry(new JarEntry(name));
        in.transferTo(jar);
        jar.closeEntry();
    }
}
