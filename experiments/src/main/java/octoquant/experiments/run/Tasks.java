package octoquant.experiments.run;

import octoquant.datasets.DataLocator;
import octoquant.datasets.DatasetId;
import octoquant.datasets.Datasets;
import octoquant.datasets.TrainTest;
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

    private static Task images(Options o, DatasetId id, String name) {
        TrainTest data = Datasets.load(id, DataLocator.fromSystem(o.data), Downloader.standard())
                .limit(o.limitTrain, o.limitTest);
        return new ImageTask(name, data, o.experiment == octoquant.experiments.cli.Experiment.GRADIENTS ? "mlp" : o.model,
                o.batchSize);
    }
}
