package octoquant.engine.nn;

import octoquant.engine.param.Parameter;

import octoquant.engine.ops.Losses;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ModelsTest {
    @Test
    void mlpHasTheStandardParameterCountAndPyTorchNames() {
        Sequential mlp = Models.mlp(new Rng(1));
        assertEquals(101_770, mlp.parameterCount());
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias"), List.copyOf(mlp.namedParameters().keySet()));
        assertArrayEquals(new int[] {128, 784}, mlp.parameter("1.weight").shape());
        assertEquals(128, mlp.parameter("1.weight").storage().rows());
        assertEquals(784, mlp.parameter("1.weight").storage().cols());
    }

    @Test
    void seedCnnHasTheSeedsParameterCountOnCifarShapes() {
        Sequential cnn = Models.seedCnn(new Rng(1), 3, 32, 32);
        assertEquals(282_250, cnn.parameterCount());
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias"),
                List.copyOf(cnn.namedParameters().keySet()));
        assertArrayEquals(new int[] {64, 32, 3, 3}, cnn.parameter("3.weight").shape());
        assertArrayEquals(new int[] {64, 4096}, cnn.parameter("7.weight").shape());
    }

    @Test
    void seedCnnTakesMnistShapesWithTheFlattenSizeFollowingTheInput() {
        Sequential cnn = Models.seedCnn(new Rng(2), 1, 28, 28);
        // conv1 320 + conv2 18,496 + linear 3136·64+64 = 200,768 + linear 650
        assertEquals(320 + 18_496 + 200_768 + 650, cnn.parameterCount());
        assertArrayEquals(new int[] {64, 3136}, cnn.parameter("7.weight").shape());
        Tensor x = Tensor.randn(new Rng(3), 2, 1, 28, 28);
        Tensor logits = cnn.forward(x);
        assertEquals(List.of(2, 10), List.of(logits.dim(0), logits.dim(1)));
        Losses.softmaxCrossEntropy(logits, new int[] {3, 7}).backward();
        for (Parameter p : cnn.parameters()) {
            double norm = 0;
            for (float g : p.grad()) norm += g * g;
            assertTrue(norm > 0, "gradient reached " + p.name());
        }
    }

    @Test
    void initialisationFollowsPyTorchBoundsAndTheSeed() {
        assertEquals(1 / Math.sqrt(784), Init.weightBound(784), 1e-15);
        Sequential a = Models.mlp(new Rng(7)), b = Models.mlp(new Rng(7)), c = Models.mlp(new Rng(8));
        float[] wa = a.parameter("1.weight").storage().decodeAll();
        assertArrayEquals(wa, b.parameter("1.weight").storage().decodeAll());
        assertFalse(java.util.Arrays.equals(wa, c.parameter("1.weight").storage().decodeAll()));
        double bound = 1 / Math.sqrt(784), max = 0, sumSq = 0;
        for (float v : wa) {
            max = Math.max(max, Math.abs(v));
            sumSq += v * v;
        }
        assertTrue(max <= bound && max > 0.99 * bound, "max |w| " + max + " bound " + bound);
        // Variance of U(-b, b) is b²/3.
        assertEquals(bound * bound / 3, sumSq / wa.length, 0.02 * bound * bound);
        float[] bias = a.parameter("3.bias").storage().decodeAll();
        for (float v : bias) assertTrue(Math.abs(v) <= 1 / Math.sqrt(128));
    }

    @Test
    void trainAndEvalReachEveryLayer() {
        Sequential mlp = Models.mlp(new Rng(1));
        assertTrue(mlp.isTraining());
        mlp.eval();
        for (Module m : mlp.layers()) assertFalse(m.isTraining());
        mlp.train(true);
        assertTrue(mlp.get(3).isTraining());
    }

    @Test
    void wrongInputShapeNamesTheLayer() {
        Sequential mlp = Models.mlp(new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mlp.forward(Tensor.zeros(2, 1, 27, 28)));
        assertTrue(e.getMessage().contains("linear") && e.getMessage().contains("[2, 756]")
                && e.getMessage().contains("[128, 784]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mlp.parameter("2.weight"));
    }
}
