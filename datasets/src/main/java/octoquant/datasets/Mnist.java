package octoquant.datasets;

import java.nio.file.Path;

/** MNIST handwritten digits: 60,000 training and 10,000 test images, 1×28×28, classes "0".."9". */
public final class Mnist {
    private Mnist() {}

    /** Loads from a folder holding the four IDX files (raw or .gz), checking the canonical SHA-256. */
    public static TrainTest load(Path folder) {
        return load(folder, Verify.CANONICAL);
    }

    public static TrainTest load(Path folder, Verify verify) {
        return IdxDatasets.load(DatasetId.MNIST, folder, verify);
    }
}
