package octoquant.experiments.run;

import octoquant.datasets.Batch;
import octoquant.datasets.Batcher;
import octoquant.datasets.Normalization;
import octoquant.datasets.TrainTest;
import octoquant.engine.nn.Models;
import octoquant.engine.nn.Sequential;
import octoquant.engine.ops.Losses;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.util.Iterator;

/** Image classification (MNIST, Fashion-MNIST, CIFAR-10) with the MLP or the seed's CNN. */
public final class ImageTask implements Task {
    private final String name;
    private final TrainTest data;
    private final ModelKind model;
    private final int batchSize;
    private final Normalization norm;

    public ImageTask(String name, TrainTest data, ModelKind model, int batchSize) {
        this.name = name;
        this.data = data;
        this.model = model;
        this.batchSize = batchSize;
        this.norm = Normalization.fromTraining(data.train());
        var t = data.train();
        if (model == ModelKind.MLP && t.sampleSize() != 784) {
            throw new IllegalArgumentException("the MLP takes 1x28x28 images, " + name + " has " + t.channels() + "x"
                    + t.height() + "x" + t.width());
        }
    }

    public Normalization normalization() {
        return norm;
    }

    @Override
    public String describe() {
        return name + " (" + model.token() + ")";
    }

    @Override
    public Sequential newModel(Rng rng) {
        var t = data.train();
        return model == ModelKind.CNN ? Models.seedCnn(rng, t.channels(), t.height(), t.width()) : Models.mlp(rng);
    }

    @Override
    public Iterable<BatchData> trainBatches(long seed, int epoch) {
        return wrap(Batcher.training(data.train(), batchSize, norm, seed, false).epoch(epoch));
    }

    @Override
    public Iterable<BatchData> testBatches(int size) {
        return wrap(Batcher.evaluation(data.test(), size, norm).epoch(0));
    }

    private static Iterable<BatchData> wrap(Iterable<Batch> batches) {
        return () -> {
            Iterator<Batch> it = batches.iterator();
            return new Iterator<>() {
                public boolean hasNext() {
                    return it.hasNext();
                }

                public BatchData next() {
                    Batch b = it.next();
                    return new BatchData(Tensor.of(b.x, b.shape()), b.y, null, b.size);
                }
            };
        };
    }

    @Override
    public int trainSize() {
        return data.train().size();
    }

    @Override
    public int testSize() {
        return data.test().size();
    }

    @Override
    public boolean classification() {
        return true;
    }

    @Override
    public Tensor loss(Tensor output, BatchData batch) {
        return Losses.softmaxCrossEntropy(output, batch.labels());
    }
}
