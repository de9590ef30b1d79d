package octoquant.bench;

import octoquant.engine.nn.Models;
import octoquant.engine.nn.Sequential;
import octoquant.engine.ops.Losses;
import octoquant.engine.optim.Adam;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

/**
 * One reference model (the MLP 784-128-10, the seed's CNN on 3×32×32, or as {@code cnn28} on 1×28×28) with Adam (lr 1e-3) and the
 * training step of {@code bench/torch/train_epoch.py}: zero the gradients, forward, mean cross-entropy,
 * backward, optimizer step. Shared by {@link TrainEpoch} and {@link TrainStepBenchmark} so both time
 * exactly the same work.
 */
final class TrainStepFixture {
    /** Learning rate of the race (the PyTorch script's default). */
    static final double LR = 1e-3;

    final String model;
    final Sequential net;
    final Adam optimizer;
    /** Input shape of one image: {@code [C, H, W]}. */
    final int[] imageShape;

    TrainStepFixture(String model, long seed) {
        this(model, seed, QuantScheme.FLOAT);
    }

    /**
     * The model trained in {@code qat} mode with {@code scheme} (fp32 masters, the kernels reading the
     * scheme's quantized copy in forward and backward; biases fp32); {@code float} is plain training.
     */
    TrainStepFixture(String model, long seed, QuantScheme scheme) {
        this.model = model;
        Rng rng = new Rng(seed);
        switch (model) {
            case "mlp":
                net = Models.mlp(rng);
                imageShape = new int[] {1, 28, 28};
                break;
            case "cnn":
                net = Models.seedCnn(rng, 3, 32, 32);
                imageShape = new int[] {3, 32, 32};
                break;
            case "cnn28":
                net = Models.seedCnn(rng, 1, 28, 28);
                imageShape = new int[] {1, 28, 28};
                break;
            default:
                throw new IllegalArgumentException("--model must be mlp, cnn or cnn28, got '" + model + "'");
        }
        Quantization.prepare(net, scheme, TrainingMode.QAT, seed);
        optimizer = new Adam(net.parameters(), LR);
    }

    /** Floats in one image. */
    int imageSize() {
        return imageShape[0] * imageShape[1] * imageShape[2];
    }

    /** A batch tensor {@code [n, C, H, W]} over the given array (no copy). */
    Tensor batch(float[] data, int n) {
        return Tensor.of(data, n, imageShape[0], imageShape[1], imageShape[2]);
    }

    /** One training step on a batch; returns the loss. */
    float step(Tensor x, int[] labels) {
        optimizer.zeroGrad();
        Tensor loss = Losses.softmaxCrossEntropy(net.forward(x), labels);
        loss.backward();
        optimizer.step();
        return loss.item();
    }

    /** Fills {@code dst} with standard normal floats (the race's random images). */
    static void fillGaussian(Rng rng, float[] dst) {
        for (int i = 0; i < dst.length; i++) dst[i] = (float) rng.nextGaussian();
    }

    /** Random class labels in [0, 10). */
    static int[] randomLabels(Rng rng, int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(10);
        return y;
    }
}
