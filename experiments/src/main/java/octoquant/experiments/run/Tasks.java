package octoquant.experiments.run;

import octoquant.datasets.DataException;
import octoquant.datasets.DataLocator;
import octoquant.datasets.DatasetId;
import octoquant.datasets.Datasets;
import octoquant.datasets.TrainTest;
import octoquant.datasets.Verify;
import octoquant.datasets.download.Downloader;
import octoquant.experiments.grid.RunSetConfig;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Loads the data a run set trains on (a {@code DataException} here becomes exit code 3). The last task loaded
 * is kept, so the runs of one set — executed one after the other in a JVM — read and normalize their data once.
 */
public final class Tasks {
    private Tasks() {}

    private record Key(String experiment, String model, int batchSize, int limitTrain, int limitTest, Path data,
                       boolean structureOnly) {}

    private static Key lastKey;
    private static Task last;

    public static synchronized Task load(RunSetConfig c, Path data) {
        Key key = new Key(c.experiment(), c.model(), c.batchSize(), c.limitTrain(), c.limitTest(), data, structureOnly());
        if (Objects.equals(key, lastKey)) return last;
        Task t = switch (c.experiment()) {
            case "regression" -> new RegressionTask(c.batchSize());
            case "mnist", "gradients" -> images(c, data, DatasetId.MNIST, "mnist");
            case "fashion-mnist" -> images(c, data, DatasetId.FASHION_MNIST, "fashion-mnist");
            case "cifar10" -> images(c, data, DatasetId.CIFAR10, "cifar10");
            default -> throw new IllegalArgumentException("'" + c.experiment() + "' is not a training task");
        };
        lastKey = key;
        last = t;
        return t;
    }

    /** {@code OCTOQUANT_VERIFY=structure} (or {@code -Doctoquant.verify=structure}) relaxes the data checks. */
    static boolean structureOnly() {
        String v = System.getProperty("octoquant.verify", System.getenv("OCTOQUANT_VERIFY"));
        return "structure".equalsIgnoreCase(v);
    }

    private static Task images(RunSetConfig c, Path dataDir, DatasetId id, String name) {
        DataLocator locator = DataLocator.fromSystem(dataDir);
        TrainTest full;
        if (structureOnly()) {
            // Home-made files in the canonical formats (tests, subsets): check structure, not the checksums.
            DataLocator.Location where = locator.find(id).orElseThrow(() -> new DataException(
                    DataException.Problem.MISSING, id.displayName() + " not found under "
                    + locator.candidates(id) + " (OCTOQUANT_VERIFY=structure does not download)"));
            full = Datasets.loadFrom(id, where, Verify.STRUCTURE);
        } else {
            full = Datasets.load(id, locator, Downloader.standard());
        }
        TrainTest data = full.limit(c.limitTrain(), c.limitTest());
        return new ImageTask(name, data, c.modelKind(), c.batchSize());
    }
}
