package octoquant.examples;

import octoquant.engine.nn.Flatten;
import octoquant.engine.nn.Linear;
import octoquant.engine.nn.ReLU;
import octoquant.engine.nn.Sequential;
import octoquant.engine.nn.WeightsFile;

import java.nio.file.Path;

/**
 * Evaluate weights trained elsewhere: build the layers without initialising them, load a safetensors file
 * (PyTorch's names, {@code 1.weight} …; strict, so a missing, extra or mis-shaped tensor is a one-line error),
 * measure test accuracy. {@code examples/python/train_torch_mlp.py} trains such a file in PyTorch.
 * {@code java -cp … octoquant.examples.LoadPyTorchWeights mlp.safetensors}
 */
public final class LoadPyTorchWeights {
    public static void main(String[] args) {
        Sequential model = new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
        WeightsFile.load(model, Path.of(args[0]), true);
        Mnist mnist = new Mnist(0, 0);
        System.out.printf("octoquant test accuracy %.2f%% with the weights of %s%n", 100 * mnist.accuracy(model), args[0]);
    }
}
