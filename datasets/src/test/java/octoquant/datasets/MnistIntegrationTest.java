package octoquant.datasets;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The real MNIST (../shared/datasets/mnist): figures from SOURCES.md. Skipped without the data, failed under CI=true. */
class MnistIntegrationTest {
    private static TrainTest mnist;

    @BeforeAll
    static void load() {
        Path folder = TestFiles.requireData(TestFiles.sharedDatasets().resolve("mnist"), "MNIST");
        mnist = Mnist.load(folder); // CANONICAL: the raw SHA-256 of all four files are checked here
    }

    @Test
    void shapesAndCounts() {
        assertEquals(60_000, mnist.train().size());
        assertEquals(10_000, mnist.test().size());
        assertEquals(1, mnist.train().channels());
        assertEquals(28, mnist.train().height());
        assertEquals(28, mnist.train().width());
    }

    @Test
    void labelHistogramsMatchSources() {
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, mnist.train().labelHistogram());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, mnist.test().labelHistogram());
    }

    @Test
    void pixelStatisticsMatchSources() {
        assertEquals(33.3184, mnist.train().pixelMean(), 5e-5);
        assertEquals(78.5675, mnist.train().pixelStd(), 5e-5);
        assertEquals(33.7912, mnist.test().pixelMean(), 5e-5);
        assertEquals(79.1725, mnist.test().pixelStd(), 5e-5);
    }

    @Test
    void normalizationIsTheWellKnownPair() {
        Normalization n = Normalization.fromTraining(mnist.train());
        assertEquals(0.1307, n.mean()[0], 5e-5);
        assertEquals(0.3081, n.std()[0], 5e-5);
    }

    @Test
    void balancedLimitKeepsClassesEven() {
        ImageDataset small = mnist.train().limit(1000);
        assertEquals(1000, small.size());
        assertArrayEquals(new int[] {100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, small.labelHistogram());
    }
}
