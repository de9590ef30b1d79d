package octoquant.examples;

import octoquant.datasets.Batch;
import octoquant.datasets.Batcher;
import octoquant.datasets.DatasetId;
import octoquant.datasets.Datasets;
import octoquant.datasets.Normalization;
import octoquant.datasets.TrainTest;
import octoquant.engine.autograd.Grad;
import octoquant.engine.nn.Module;
import octoquant.engine.tensor.Tensor;

/** What the examples share: MNIST as tensors, and test accuracy. */
final class Mnist {
    final TrainTest data;
    final Normalization norm;

    /** MNIST from the usual places ($OCTOQUANT_DATA, ~/.cache/octoquant, ../shared/datasets), {@code limit} training images. */
    Mnist(int limitTrain, int limitTest) {
        data = Datasets.load(DatasetId.MNIST, null).limit(limitTrain, limitTest);
        norm = Normalization.fromTraining(data.train());
    }

    Batcher training(int batchSize, long seed) {
        return Batcher.training(data.train(), batchSize, norm, seed, false);
    }

    static Tensor images(Batch b) {
        return Tensor.of(b.x, b.shape());
    }

    /** The fraction of the test set {@code model} classifies right. */
    double accuracy(Module model) {
        long right = 0;
        model.eval();
        try (Grad.Scope off = Grad.disabled()) {
            for (Batch b : Batcher.evaluation(data.test(), 256, norm).epoch(0)) {
                float[] out = model.forward(images(b)).data();
                for (int i = 0; i < b.size; i++) {
                    int best = 0;
                    for (int c = 1; c < 10; c++) if (out[i * 10 + c] > out[i * 10 + best]) best = c;
                    if (best == b.y[i]) right++;
                }
            }
        } finally {
            model.train(true);
        }
        return (double) right / data.test().size();
    }

    /** {@code --name value} from {@code args}, or the default. */
    static int intArg(String[] args, String name, int dflt) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
        return dflt;
    }
}
