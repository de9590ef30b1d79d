package octoquant.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides where a data set is looked for and where downloads go.
 *
 * <p>Lookup order for data set folder {@code F} ({@code mnist}, {@code fashion-mnist},
 * {@code cifar-10-batches-bin}):
 * <ol>
 *   <li>{@code --data DIR} given: only {@code DIR/F} (CIFAR-10 also {@code DIR/cifar-10-binary.tar.gz});
 *       nothing else is searched and downloads go to DIR.</li>
 *   <li>otherwise {@code $OCTOQUANT_DATA/F}, then the per-user cache {@code $XDG_CACHE_HOME/octoquant/F}
 *       (or {@code ~/.cache/octoquant/F}); downloads go to the first of these two roots;</li>
 *   <li>then read-only copies: {@code $OCTOQUANT_SHARED/datasets/F}, {@code ../shared/datasets/F} relative to
 *       the working directory, and for Fashion-MNIST {@code /usr/share/datasets/fashion-mnist} (Debian's
 *       {@code dataset-fashion-mnist}).</li>
 * </ol>
 */
public final class DataLocator {
    /** Where Debian's {@code dataset-fashion-mnist} installs its files. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** A place to look: a data root and, within it, the folder of one data set. */
    public record Location(Path root, Path folder) {}

    private final Path dataFlag;
    private final Map<String, String> env;
    private final Path home;
    private final Path workingDir;
    private final Path debianFashion;

    /**
     * @param dataFlag   the {@code --data} value, or null
     * @param env        environment variables (OCTOQUANT_DATA, XDG_CACHE_HOME, OCTOQUANT_SHARED)
     * @param home       the user's home folder
     * @param workingDir the working directory (for {@code ../shared/datasets})
     * @param debianFashion where Debian's Fashion-MNIST lives (normally {@link #DEBIAN_FASHION_MNIST}), or null
     */
    public DataLocator(Path dataFlag, Map<String, String> env, Path home, Path workingDir, Path debianFashion) {
        this.dataFlag = dataFlag;
        this.env = Map.copyOf(env);
        this.home = home;
        this.workingDir = workingDir;
        this.debianFashion = debianFashion;
    }

    /** The usual locator: real environment, {@code user.home}, {@code user.dir}. */
    public static DataLocator fromSystem(Path dataFlag) {
        return new DataLocator(dataFlag, System.getenv(), Path.of(System.getProperty("user.home")),
                Path.of(System.getProperty("user.dir")), DEBIAN_FASHION_MNIST);
    }

    /** The root downloads go to: {@code --data}, else {@code $OCTOQUANT_DATA}, else the per-user cache. */
    public Path downloadRoot() {
        if (dataFlag != null) return dataFlag;
        String d = nonEmpty(env.get("OCTOQUANT_DATA"));
        if (d != null) return Path.of(d);
        return cacheRoot();
    }

    /** {@code $XDG_CACHE_HOME/octoquant}, or {@code ~/.cache/octoquant}. */
    public Path cacheRoot() {
        String xdg = nonEmpty(env.get("XDG_CACHE_HOME"));
        return (xdg != null ? Path.of(xdg) : home.resolve(".cache")).resolve("octoquant");
    }

    /** Every place searched for {@code id}, in order. */
    public List<Location> candidates(DatasetId id) {
        Set<Location> out = new LinkedHashSet<>();
        if (dataFlag != null) {
            out.add(at(dataFlag, id));
            return new ArrayList<>(out);
        }
        String d = nonEmpty(env.get("OCTOQUANT_DATA"));
        if (d != null) out.add(at(Path.of(d), id));
        out.add(at(cacheRoot(), id));
        String shared = nonEmpty(env.get("OCTOQUANT_SHARED"));
        if (shared != null) out.add(at(Path.of(shared).resolve("datasets"), id));
        out.add(at(workingDir.resolve("..").resolve("shared").resolve("datasets").normalize(), id));
        if (id == DatasetId.FASHION_MNIST && debianFashion != null) out.add(new Location(debianFashion.getParent(), debianFashion));
        return new ArrayList<>(out);
    }

    /** The first location holding a complete copy of {@code id} (all files, or the CIFAR-10 archive). */
    public Optional<Location> find(DatasetId id) {
        for (Location loc : candidates(id)) {
            if (complete(id, loc)) return Optional.of(loc);
        }
        return Optional.empty();
    }

    static boolean complete(DatasetId id, Location loc) {
        if (id == DatasetId.CIFAR10) return Cifar10.available(loc.root());
        return Files.isDirectory(loc.folder()) && IdxDatasets.complete(id, loc.folder());
    }

    private static Location at(Path root, DatasetId id) {
        return new Location(root, root.resolve(id.folder()));
    }

    private static String nonEmpty(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
