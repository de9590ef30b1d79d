package octoquant.experiments.memory;

import octoquant.datasets.Cifar10;
import octoquant.datasets.DatasetId;
import octoquant.datasets.Regression;
import octoquant.experiments.grid.RunSetConfig;

import java.util.List;

/**
 * What an experiment's data set takes in memory, known before it is read: the example counts and image
 * geometry, and the bytes as the loader stores them (uint8 pixels and labels; the regression's floats). The
 * loader reads the whole data set, then copies the {@code --limit-train}/{@code --limit-test} subset out of
 * it, so while loading both exist ({@link #loadingBytes}); afterwards only what the runs use stays
 * ({@link #keptBytes}). CIFAR-10 is read one batch file at a time into its final array (one file more while
 * loading).
 *
 * @param trainExamples examples a run trains on (after the limit)
 * @param testExamples  examples it is tested on (after the limit)
 * @param channels      image channels (1 for the regression's feature vectors)
 * @param height        image height (1 for the regression)
 * @param width         image width (the regression's feature count)
 * @param loadingBytes  the peak while the data are read and cut
 * @param keptBytes     what stays for the runs
 */
public record DataFootprint(int trainExamples, int testExamples, int channels, int height, int width,
                            long loadingBytes, long keptBytes) {

    /** The footprint of {@code config}'s data set. */
    public static DataFootprint of(RunSetConfig config) {
        return switch (config.experiment()) {
            case "regression" -> regression();
            case "mnist", "gradients" -> idx(DatasetId.MNIST, config);
            case "fashion-mnist" -> idx(DatasetId.FASHION_MNIST, config);
            case "cifar10" -> cifar(config);
            default -> throw new IllegalArgumentException("'" + config.experiment() + "' has no data set");
        };
    }

    private static DataFootprint regression() {
        int train = Regression.DEFAULT_TRAIN, test = Regression.DEFAULT_TEST, f = Regression.FEATURES;
        // features and targets as floats, and a shuffled copy of the training set per epoch (its batches)
        long kept = 4L * (train + test) * (f + 1) + 4L * train * (f + 1);
        return new DataFootprint(train, test, 1, 1, f, kept, kept);
    }

    /** MNIST-like IDX files: 16-byte image headers, 8-byte label headers, one byte per pixel and per label. */
    private static DataFootprint idx(DatasetId id, RunSetConfig c) {
        List<DatasetId.KnownFile> f = id.files();
        int side = 28, pixels = side * side;
        int fullTrain = (int) ((f.get(0).rawBytes() - 16) / pixels), fullTest = (int) ((f.get(2).rawBytes() - 16) / pixels);
        long stored = 0;
        for (DatasetId.KnownFile k : f) stored += k.rawBytes();
        return images(c, fullTrain, fullTest, 1, side, side, stored, 0);
    }

    private static DataFootprint cifar(RunSetConfig c) {
        long trainBytes = 0, testBytes = 0, largest = 0;
        for (DatasetId.KnownFile k : DatasetId.CIFAR10.files()) {
            if (k.name().startsWith("test")) testBytes += k.rawBytes();
            else trainBytes += k.rawBytes();
            largest = Math.max(largest, k.rawBytes());
        }
        int train = (int) (trainBytes / Cifar10.RECORD_BYTES), test = (int) (testBytes / Cifar10.RECORD_BYTES);
        return images(c, train, test, Cifar10.CHANNELS, Cifar10.SIDE, Cifar10.SIDE, trainBytes + testBytes, largest);
    }

    private static DataFootprint images(RunSetConfig c, int fullTrain, int fullTest, int ch, int h, int w, long stored,
                                        long readBuffer) {
        int train = c.limitTrain() > 0 ? Math.min(c.limitTrain(), fullTrain) : fullTrain;
        int test = c.limitTest() > 0 ? Math.min(c.limitTest(), fullTest) : fullTest;
        long perExample = (long) ch * h * w + 1;
        long subset = (train < fullTrain ? train * perExample : 0) + (test < fullTest ? test * perExample : 0);
        long kept = subset == 0 ? stored : (long) (train + test) * perExample;
        return new DataFootprint(train, test, ch, h, w, stored + readBuffer + subset, kept);
    }
}
