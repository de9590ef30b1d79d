package octoquant.cluster.testkit;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real MNIST for the tests: {@code $OCTOQUANT_SHARED/datasets}, else {@code ../../shared/datasets} from the
 * module directory. Missing, the test is skipped with the reason — and fails under CI ({@code CI=true}), where a
 * data test must not be skipped.
 */
public final class SharedData {
    private SharedData() {}

    /** The folder holding {@code mnist/}. */
    public static Path root() {
        String shared = System.getenv("OCTOQUANT_SHARED");
        Path p = (shared != null && !shared.isBlank() ? Path.of(shared, "datasets") : Path.of("..", "..", "shared", "datasets"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(p.resolve("mnist").resolve("train-images-idx3-ubyte.gz"))) {
            String reason = "MNIST not found at " + p.resolve("mnist") + " (set OCTOQUANT_SHARED to the folder holding datasets/mnist)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true and " + reason + ": data tests must not be skipped under CI");
            }
            Assumptions.abort(reason);
        }
        return p;
    }
}
