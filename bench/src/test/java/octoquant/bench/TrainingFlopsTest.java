package octoquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import octoquant.engine.nn.Models;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

/** The im2col-equivalent training flops against counts done by hand from the layer shapes. */
class TrainingFlopsTest {
    @Test
    void seedCnnOnCifarShapesIs33Point4MegaflopPerImage() {
        // conv1 3->32 on 32x32: 32 x 1024 x 27 = 884,736 multiply-adds; forward + weight gradient, no input gradient.
        // conv2 32->64 on 16x16: 64 x 256 x 288 = 4,718,592; forward, weight and input gradients.
        // fc 4096->64: 262,144; fc 64->10: 640; each three times.
        long expected = 2 * (884_736L * 2 + 4_718_592L * 3 + 262_144L * 3 + 640L * 3);
        assertEquals(33_427_200L, expected);
        assertEquals(expected, TrainingFlops.perImage(Models.seedCnn(new Rng(1), 3, 32, 32), 3, 32, 32));
    }

    @Test
    void seedCnnOnFashionShapesFollowsTheInput() {
        // conv1 1->32 on 28x28: 32 x 784 x 9; conv2 32->64 on 14x14: 64 x 196 x 288; fc 3136->64; fc 64->10.
        long expected = 2 * (32L * 784 * 9 * 2 + 64L * 196 * 288 * 3 + 3136L * 64 * 3 + 640L * 3);
        List<TrainingFlops.Layer> layers = TrainingFlops.layers(Models.seedCnn(new Rng(1), 1, 28, 28), 1, 28, 28);
        assertEquals(4, layers.size());
        assertEquals(3136, layers.get(2).k);
        assertEquals(expected, TrainingFlops.perImage(Models.seedCnn(new Rng(1), 1, 28, 28), 1, 28, 28));
    }

    @Test
    void mlpHasNoInputGradientInItsFirstLayer() {
        // 784->128: 100,352 multiply-adds, forward and weight gradient; 128->10: 1,280, all three.
        assertEquals(2 * (100_352L * 2 + 1_280L * 3), TrainingFlops.perImage(Models.mlp(new Rng(1)), 1, 28, 28));
    }
}
