package octoquant.bench.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The race's two reference models in DJL, layer for layer those of {@code bench/torch/train_epoch.py} and
 * {@code octoquant.engine.nn.Models}: the MLP 784-128-10 (101,770 parameters) and the seed's CNN on
 * 3×32×32 (282,250). {@code DjlTrainEpoch} starts the weights from PyTorch's default distribution and the
 * biases at zero (PyTorch: uniform too); the work per step does not depend on either.
 */
public final class DjlModels {
    private DjlModels() {}

    /** The model called {@code name} ({@code mlp} or {@code cnn}). */
    public static SequentialBlock build(String name) {
        switch (name) {
            case "mlp": return mlp();
            case "cnn": return cnn();
            default: throw new IllegalArgumentException("--model must be mlp or cnn, got '" + name + "'");
        }
    }

    /** Shape of one input image, {@code [C, H, W]}. */
    public static Shape imageShape(String name) {
        return name.equals("mlp") ? new Shape(1, 28, 28) : new Shape(3, 32, 32);
    }

    /** Flatten, Linear(784, 128), ReLU, Linear(128, 10). */
    public static SequentialBlock mlp() {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    /** conv3x3(3→32, pad 1) ReLU maxpool2 → conv3x3(32→64, pad 1) ReLU maxpool2 → flatten → 4096→64 ReLU → 64→10. */
    public static SequentialBlock cnn() {
        return new SequentialBlock()
                .add(conv3x3(32))
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv3x3(64))
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(64).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    private static Conv2d conv3x3(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build();
    }
}
