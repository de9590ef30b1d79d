package octoquant.examples;

import octoquant.datasets.Batch;
import octoquant.engine.nn.Flatten;
import octoquant.engine.nn.Linear;
import octoquant.engine.nn.ReLU;
import octoquant.engine.nn.Sequential;
import octoquant.engine.ops.Losses;
import octoquant.engine.optim.Adam;
import octoquant.engine.optim.Optimizer;
import octoquant.engine.util.Rng;

/**
 * Build a small network, train it on MNIST, measure it: the whole loop in about 30 lines.
 * {@code java -cp … octoquant.examples.TrainYourOwnModel [--epochs 2] [--limit-train 60000]}
 */
public final class TrainYourOwnModel {
    public static void main(String[] args) {
        Mnist mnist = new Mnist(Mnist.intArg(args, "--limit-train", 0), Mnist.intArg(args, "--limit-test", 0));
        Rng rng = new Rng(7);
        Sequential model = new Sequential(new Flatten(), new Linear(784, 64, rng), new ReLU(), new Linear(64, 10, rng));
        Optimizer adam = new Adam(model.parameters(), 1e-3);
        int epochs = Mnist.intArg(args, "--epochs", 2);
        for (int epoch = 0; epoch < epochs; epoch++) {
            double lossSum = 0;
            int batches = 0;
            for (Batch b : mnist.training(64, 7).epoch(epoch)) {
                adam.zeroGrad();
                var loss = Losses.softmaxCrossEntropy(model.forward(Mnist.images(b)), b.y);
                loss.backward();
                adam.step();
                lossSum += loss.item();
                batches++;
            }
            System.out.printf("epoch %d: training loss %.4f, test accuracy %.2f%%%n", epoch + 1, lossSum / batches,
                    100 * mnist.accuracy(model));
        }
        System.out.println(model + ": " + model.parameterCount() + " parameters");
    }
}
