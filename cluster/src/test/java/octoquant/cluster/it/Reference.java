package octoquant.cluster.it;

import octoquant.cluster.testkit.SharedData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The grid run on one machine by {@code java -jar experiments/target/experiments.jar} (its own JVM, one thread):
 * what every sweep must reproduce bit for bit. Each grid is run once per test JVM.
 */
final class Reference {
    private static final Map<List<String>, Path> DONE = new HashMap<>();
    private static Path root;

    private Reference() {}

    /** The tests' grid: 300 MNIST training and 200 test images, float and octal8, 2 seeds, 2 epochs. */
    static List<String> mnistGrid() {
        return mnistGrid(2, 300);
    }

    /** The same methods, seeds and test images with {@code epochs} epochs on {@code trainImages} training images. */
    static List<String> mnistGrid(int epochs, int trainImages) {
        return List.of("mnist", "--epochs", Integer.toString(epochs), "--seeds", "2", "--methods", "float,octal8",
                "--limit-train", Integer.toString(trainImages), "--limit-test", "200", "--data",
                SharedData.root().toString());
    }

    /** The result files of {@link #mnistGrid()}, in grid order. */
    static final List<String> RUNS = List.of("runs/float-seed0.json", "runs/float-seed1.json", "runs/octal8-seed0.json",
            "runs/octal8-seed1.json");

    /** The output folder of {@code experiments.jar <grid> --threads 1}. */
    static synchronized Path of(List<String> grid) throws Exception {
        Path done = DONE.get(grid);
        if (done != null) return done;
        if (root == null) {
            root = Files.createTempDirectory("octoquant-reference-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root), "delete-reference"));
        }
        Path out = root.resolve("grid" + DONE.size());
        List<String> cmd = new ArrayList<>(List.of(TestJvm.java(), "-jar", experimentsJar().toString()));
        cmd.addAll(grid);
        cmd.addAll(List.of("--threads", "1", "--out", out.toString()));
        Path log = root.resolve("grid" + DONE.size() + ".log");
        Process p = Processes.start(cmd, Map.of(), log.toFile());
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            Processes.killTree(p.toHandle());
            throw new AssertionError("experiments.jar did not finish within 300 s:\n" + Files.readString(log));
        }
        Processes.killTree(p.toHandle());
        if (p.exitValue() != 0) throw new AssertionError("experiments.jar failed:\n" + Files.readString(log));
        DONE.put(grid, out);
        return out;
    }

    /** experiments/target/experiments.jar, next to the experiments classes on this test's class path. */
    static Path experimentsJar() {
        for (Path e : TestJvm.entries()) {
            String name = e.getFileName().toString();
            boolean experiments = name.startsWith("octoquant-experiments-") && name.endsWith(".jar")
                    || name.equals("classes") && e.getParent() != null && e.getParent().getParent() != null
                    && e.getParent().getParent().getFileName().toString().equals("experiments");
            if (!experiments) continue;
            Path jar = e.getParent().resolve("experiments.jar");
            if (Files.isRegularFile(jar)) return jar;
            throw new AssertionError(jar + " is not built: run the module's tests with mvn -pl cluster -am verify");
        }
        throw new AssertionError("the experiments module is not on the class path: " + TestJvm.classPath());
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover in the temporary directory
        }
    }
}
