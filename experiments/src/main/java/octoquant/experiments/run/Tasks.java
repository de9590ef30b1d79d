package octoquant.experiments.run;

import octoquant.datasets.DataLocator;
import octoquant.datasets.DatasetId;
import octoquant.datasets.Datasets;
import octoquant.datasets.TrainTest;
import octoquant.datasets.Verify;
import octoquant.datasets.download.Downloader;
import octoquant.experiments.cli.Options;

/** Loads the data an experiment trains on (a {@code DataException} here becomes exit code 3). */
public final class Tasks {
    private Tasks() {}

    public static Task load(Options o) {
        return switch (o.experiment) {
            case REGRESSION -> new RegressionTask(o.batchSize);
            case MNIST, GRADIENTS -> images(o, DatasetId.MNIST, "mnist");
            case FASHION_MNIST -> images(o, DatasetId.FASHION_MNIST, "fashion-mnist");
            case CIFAR10 -> images(o, DatasetId.CIFAR10, "cifar10");
            default -> throw new IllegalArgumentException(o.experiment.cliName() + " does not train");
        };
    }

    /** {@code OCTOQUANT_VERIFY=structure} (or {@code -Doctoquant.verify=structure}) relaxes the data checks. */
    static boolean structureOnly() {
        String v = System.getProperty("octoquant.verify", System.getenv("OCTOQUANT_VERIFY"));
        return "structure".equalsIgnoreCase(v);
    }

    private static Task images(Options o, DatasetId id, String name) {
        DataLocator locator = DataLocator.fromSystem(o.data);
        TrainTest full;
        if (structureOnly()) {
            // Home-made files in the canonical formats (tests, subsets): check structure, not the checksums.
            DataLocator.Location where = locator.find(id).orElseThrow(() -> new octoquant.datasets.DataException(
                    octoquant.datasets.DataException.Problem.MISSING, id.displayName() + " not found under "
                    + locator.candidates(id) + " (OCTOQUANT_VERIFY=structure does not download)"));
            full = Datasets.loadFrom(id, where, Verify.STRUCTURE);
        } else {
            full = Datasets.load(id, locator, Downloader.standard());
        }
        TrainTest data = full.limit(o.limitTrain, o.limitTest);
        return new ImageTask(name, data, o.experiment == octoquant.experiments.cli.Experiment.GRADIENTS ? "mlp" : o.model,
                o.batchSize);
    }
}
