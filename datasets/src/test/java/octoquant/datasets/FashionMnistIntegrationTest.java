package octoquant.datasets;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Fashion-MNIST from Debian's dataset-fashion-mnist: figures from SOURCES.md. Skipped without it, failed under CI=true. */
class FashionMnistIntegrationTest {
    private static TrainTest fashion;

    @BeforeAll
    static void load() {
        Path folder = TestFiles.requireData(DataLocator.DEBIAN_FASHION_MNIST, "Fashion-MNIST (Debian package dataset-fashion-mnist)");
        fashion = FashionMnist.load(folder); // CANONICAL: raw SHA-256 checked
    }

    @Test
    void balancedHistograms() {
        int[] train = new int[10];
        Arrays.fill(train, 6000);
        int[] test = new int[10];
        Arrays.fill(test, 1000);
        assertArrayEquals(train, fashion.train().labelHistogram());
        assertArrayEquals(test, fashion.test().labelHistogram());
    }

    @Test
    void pixelStatisticsMatchSources() {
        assertEquals(72.9404, fashion.train().pixelMean(), 5e-5);
        assertEquals(90.0212, fashion.train().pixelStd(), 5e-5);
        assertEquals(73.1466, fashion.test().pixelMean(), 5e-5);
        assertEquals(89.8733, fashion.test().pixelStd(), 5e-5);
    }

    @Test
    void classNames() {
        assertEquals("T-shirt/top", fashion.train().classNames().get(0));
        assertEquals("Ankle boot", fashion.train().classNames().get(9));
    }

    @Test
    void locatorFindsTheDebianCopyWithoutOtherData(@org.junit.jupiter.api.io.TempDir Path home) {
        DataLocator loc = new DataLocator(null, java.util.Map.of(), home, home, DataLocator.DEBIAN_FASHION_MNIST);
        assertEquals(DataLocator.DEBIAN_FASHION_MNIST, loc.find(DatasetId.FASHION_MNIST).orElseThrow().folder());
    }
}
