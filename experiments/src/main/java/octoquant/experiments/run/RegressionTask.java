package octoquant.experiments.run;

import octoquant.datasets.Regression;
import octoquant.engine.nn.Linear;
import octoquant.engine.nn.ReLU;
import octoquant.engine.nn.Sequential;
import octoquant.engine.ops.Losses;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * The seed's toy regression: the datasets module's synthetic linear problem (10 features, Gaussian noise),
 * fitted by a small MLP 10 → 64 ReLU → 1 with mean squared error. The data are the same for every seed
 * (drawn from {@link #DATA_SEED}); the seeds vary the model's initialisation and the batch order.
 */
public final class RegressionTask implements Task {
    public static final long DATA_SEED = 0;
    public static final int HIDDEN = 64;
    private final Regression.Split split;
    private final int batchSize;

    public RegressionTask(int batchSize) {
        this.split = Regression.generate(DATA_SEED);
        this.batchSize = batchSize;
    }

    public Regression.Split split() {
        return split;
    }

    @Override
    public String describe() {
        return "regression (mlp " + Regression.FEATURES + "-" + HIDDEN + "-1)";
    }

    @Override
    public Sequential newModel(Rng rng) {
        return new Sequential(new Linear(Regression.FEATURES, HIDDEN, rng), new ReLU(), new Linear(HIDDEN, 1, rng));
    }

    @Override
    public Iterable<BatchData> trainBatches(long seed, int epoch) {
        int n = split.train().n();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // The order depends on (seed, epoch) only, so a resumed run sees the same batches.
        new Rng(Seeds.mix(seed, 0x5EED_0000L + epoch)).shuffle(order);
        return batches(split.train(), order, batchSize);
    }

    @Override
    public Iterable<BatchData> testBatches(int size) {
        int n = split.test().n();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return batches(split.test(), order, size);
    }

    private static Iterable<BatchData> batches(Regression.Data d, int[] order, int size) {
        List<BatchData> out = new ArrayList<>();
        int f = d.features();
        for (int start = 0; start < order.length; start += size) {
            int m = Math.min(size, order.length - start);
            float[] x = new float[m * f];
            float[] y = new float[m];
            for (int i = 0; i < m; i++) {
                int k = order[start + i];
                System.arraycopy(d.x(), k * f, x, i * f, f);
                y[i] = d.y()[k];
            }
            out.add(new BatchData(Tensor.of(x, m, f), null, Tensor.of(y, m, 1), m));
        }
        return out;
    }

    @Override
    public int trainSize() {
        return split.train().n();
    }

    @Override
    public int testSize() {
        return split.test().n();
    }

    @Override
    public boolean classification() {
        return false;
    }

    @Override
    public Tensor loss(Tensor output, BatchData batch) {
        return Losses.mse(output, batch.targets());
    }
}
