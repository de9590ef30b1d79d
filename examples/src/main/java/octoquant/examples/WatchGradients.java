package octoquant.examples;

import octoquant.datasets.Batch;
import octoquant.engine.nn.Models;
import octoquant.engine.nn.Sequential;
import octoquant.engine.ops.Losses;
import octoquant.engine.optim.Adam;
import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.UpdateStats;
import octoquant.engine.util.Rng;

/**
 * Watch the updates flow into quantized storage. In {@code storage} mode there is no fp32 copy: every optimizer
 * step is added to the decoded weight and rounded back onto the grid. With round-to-nearest, an update smaller
 * than half a grid step changes nothing — it is lost; truncation toward zero keeps only updates that point
 * toward zero; stochastic rounding keeps every update in expectation. The numbers show it step by step.
 */
public final class WatchGradients {
    public static void main(String[] args) {
        Mnist mnist = new Mnist(Mnist.intArg(args, "--limit-train", 6000), Mnist.intArg(args, "--limit-test", 0));
        for (String name : new String[] {"quant8", "octal8", "int8-fixed-stochastic"}) {
            Sequential model = Models.mlp(new Rng(3));
            Quantization.prepare(model, QuantScheme.parse(name), TrainingMode.STORAGE, 3);
            Adam adam = new Adam(model.parameters(), 1e-3);
            UpdateStats epoch = UpdateStats.NONE;
            for (Batch b : mnist.training(64, 3).epoch(0)) {
                adam.zeroGrad();
                Losses.softmaxCrossEntropy(model.forward(Mnist.images(b)), b.y).backward();
                adam.step();
                epoch = epoch.plus(Quantization.lastUpdate(model.parameters()));
            }
            System.out.printf("%-22s updates lost to rounding %5.1f%%, weights moved %,d times, test accuracy %.2f%%%n",
                    name, 100 * epoch.lostFraction(), epoch.applied(), 100 * mnist.accuracy(model));
        }
    }
}
