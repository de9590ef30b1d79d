package octoquant.datasets;

/**
 * A data set's training and test parts, and where they were read from (a folder or an archive path, for
 * reports; "memory" when built in memory).
 */
public record TrainTest(ImageDataset train, ImageDataset test, String source) {
    public TrainTest(ImageDataset train, ImageDataset test) {
        this(train, test, "memory");
    }

    /** Both parts cut to class-balanced subsets (see {@link ImageDataset#limit}); a limit ≤ 0 means "all". */
    public TrainTest limit(int trainLimit, int testLimit) {
        return new TrainTest(trainLimit > 0 ? train.limit(trainLimit) : train,
                testLimit > 0 ? test.limit(testLimit) : test, source);
    }
}
