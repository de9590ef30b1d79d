package octoquant.datasets;

import java.nio.file.Path;

/** Fashion-MNIST (Zalando): 60,000 training and 10,000 test images, 1×28×28, 10 clothing classes. */
public final class FashionMnist {
    private FashionMnist() {}

    /** Loads from a folder holding the four IDX files (raw or .gz), checking the canonical SHA-256. */
    public static TrainTest load(Path folder) {
        return load(folder, Verify.CANONICAL);
    }

    public static TrainTest load(Path folder, Verify verify) {
        return IdxDatasets.load(DatasetId.FASHION_MNIST, folder, verify);
    }
}
