package octoquant.experiments.run;

import octoquant.engine.nn.Sequential;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

/**
 * What an experiment trains on: the model to build, the batches of each epoch (a pure function of the seed
 * and the epoch, so a resumed run sees the same batches), the test batches, and the loss.
 */
public interface Task {
    /** e.g. {@code mnist (mlp)}. */
    String describe();

    /** A fresh model, initialised from {@code rng}. */
    Sequential newModel(Rng rng);

    /** The training batches of {@code epoch} (0-based) for the run with this seed. */
    Iterable<BatchData> trainBatches(long seed, int epoch);

    /** The test set in a fixed order, in batches of {@code batchSize}. */
    Iterable<BatchData> testBatches(int batchSize);

    int trainSize();

    int testSize();

    /** True when the task classifies (accuracy defined); false for regression. */
    boolean classification();

    /** The scalar loss of {@code output} on the batch (throws ArithmeticException when non-finite). */
    Tensor loss(Tensor output, BatchData batch);

    /** How many examples of the batch the output gets right (0 for regression). */
    default int correct(Tensor output, BatchData batch) {
        if (!classification()) return 0;
        float[] o = output.data();
        int classes = output.dim(1);
        int right = 0;
        for (int i = 0; i < batch.size(); i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (o[i * classes + c] > o[i * classes + best]) best = c;
            if (best == batch.labels()[i]) right++;
        }
        return right;
    }
}
