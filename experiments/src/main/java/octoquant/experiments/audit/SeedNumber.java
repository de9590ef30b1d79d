package octoquant.experiments.audit;

import java.util.List;

/**
 * A number the seed reports, and where the audit measures its counterpart: a method of a data set and model at
 * an epoch ({@code epoch} 0: the final test numbers of the trained, stored weights).
 *
 * @param quantity {@code trainAccuracy}, {@code trainLoss}, {@code testAccuracy}, {@code testLoss}, or the derived
 *                 {@code gap} (octal8 − quant8 test accuracy) and {@code ratio} (quant8 / octal8 training loss)
 */
public record SeedNumber(String label, String experiment, String model, String method, String quantity, int epoch,
                         double seedValue) {

    /** The seed's numbers the audit reproduces, with the interpretation that comes closest. */
    public static final List<SeedNumber> ALL = List.of(
            new SeedNumber("MNIST training accuracy after epoch 20, quantization (%)", "mnist", "mlp", "quant8", "trainAccuracy", 20, 99.36),
            new SeedNumber("MNIST training accuracy after epoch 20, octization (%)", "mnist", "mlp", "octal8", "trainAccuracy", 20, 99.19),
            new SeedNumber("MNIST training accuracy after epoch 1, quantization (%)", "mnist", "mlp", "quant8", "trainAccuracy", 1, 81.56),
            new SeedNumber("MNIST training accuracy after epoch 1, octization (%)", "mnist", "mlp", "octal8", "trainAccuracy", 1, 80.83),
            new SeedNumber("MNIST test accuracy, quantization (%)", "mnist", "mlp", "quant8", "testAccuracy", 0, 96.73),
            new SeedNumber("MNIST test accuracy, octization (%)", "mnist", "mlp", "octal8", "testAccuracy", 0, 96.93),
            new SeedNumber("MNIST test loss, quantization", "mnist", "mlp", "quant8", "testLoss", 0, 0.2253),
            new SeedNumber("MNIST test loss, octization", "mnist", "mlp", "octal8", "testLoss", 0, 0.1858),
            new SeedNumber("CIFAR-10 test accuracy after 20 epochs, quantization (%)", "cifar10", "cnn", "quant8", "testAccuracy", 20, 33.32),
            new SeedNumber("CIFAR-10 test accuracy after 20 epochs, octization (%)", "cifar10", "cnn", "octal8", "testAccuracy", 20, 51.89),
            new SeedNumber("CIFAR-10 test accuracy after 5 epochs, quantization (%)", "cifar10", "cnn", "quant8", "testAccuracy", 5, 29.14),
            new SeedNumber("CIFAR-10 test accuracy after 5 epochs, octization (%)", "cifar10", "cnn", "octal8", "testAccuracy", 5, 40.40),
            new SeedNumber("CIFAR-10 training loss of epoch 20, quantization", "cifar10", "cnn", "quant8", "trainLoss", 20, 1.9121),
            new SeedNumber("CIFAR-10 training loss of epoch 20, octization", "cifar10", "cnn", "octal8", "trainLoss", 20, 1.3204),
            new SeedNumber("CIFAR-10 gap octization − quantization after 20 epochs (points)", "cifar10", "cnn", "", "gap", 20, 18.57),
            new SeedNumber("the same gap on Fashion-MNIST, the closest set-up here (points)", "fashion-mnist", "cnn", "", "gap", 20, 18.57),
            new SeedNumber("regression training loss of epoch 1, quantization", "regression", "mlp-10-64-1", "quant8", "trainLoss", 1, 382.4389),
            new SeedNumber("regression training loss of epoch 1, octization", "regression", "mlp-10-64-1", "octal8", "trainLoss", 1, 98.0795),
            new SeedNumber("regression training loss of epoch 50, quantization", "regression", "mlp-10-64-1", "quant8", "trainLoss", 50, 156.6920),
            new SeedNumber("regression training loss of epoch 50, octization", "regression", "mlp-10-64-1", "octal8", "trainLoss", 50, 42.9256),
            new SeedNumber("regression: quantization's loss / octization's at epoch 1 (fourfold)", "regression", "mlp-10-64-1", "",
                    "ratio", 1, 382.4389 / 98.0795));
}
