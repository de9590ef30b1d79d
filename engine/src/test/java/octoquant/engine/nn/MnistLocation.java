package octoquant.engine.nn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the tests find the real MNIST, in the order of datasets/README.md: {@code $OCTOQUANT_DATA/mnist},
 * the per-user cache ({@code $XDG_CACHE_HOME/octoquant/mnist}, else {@code ~/.cache/octoquant/mnist}),
 * {@code $OCTOQUANT_SHARED/datasets/mnist}, then {@code ../shared/datasets/mnist} relative to the working
 * directory and to the repository (tests run in the module directory). The first holding the four
 * gzip'ed files wins.
 */
final class MnistLocation {
    private static final String[] FILES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    private MnistLocation() {}

    static List<Path> candidates() {
        List<Path> c = new ArrayList<>();
        String data = System.getenv("OCTOQUANT_DATA");
        if (data != null) c.add(Path.of(data, "mnist"));
        String xdg = System.getenv("XDG_CACHE_HOME");
        c.add(xdg != null ? Path.of(xdg, "octoquant", "mnist") : Path.of(System.getProperty("user.home"), ".cache", "octoquant", "mnist"));
        String shared = System.getenv("OCTOQUANT_SHARED");
        if (shared != null) c.add(Path.of(shared, "datasets", "mnist"));
        c.add(Path.of("..", "shared", "datasets", "mnist"));
        c.add(Path.of("..", "..", "shared", "datasets", "mnist"));
        return c;
    }

    /** The first candidate holding every file, or null. */
    static Path find() {
        for (Path dir : candidates()) {
            boolean complete = true;
            for (String f : FILES) complete &= Files.isRegularFile(dir.resolve(f));
            if (complete) return dir;
        }
        return null;
    }

    static String searched() {
        return "searched " + candidates();
    }
}
