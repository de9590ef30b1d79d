package octoquant.engine.tensor;

import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TensorTest {
    @Test
    void printsSmallTensorsNested() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals("Tensor[2, 3] [[1.000, 2.000, 3.000], [4.000, 5.000, 6.000]]", t.toString());
    }

    @Test
    void rejectsDataThatDoesNotFitTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void sameSeedSameNumbers() {
        Tensor a = Tensor.randn(new Rng(42), 100);
        Tensor b = Tensor.randn(new Rng(42), 100);
        assertArrayEquals(a.data(), b.data());
        double mean = 0;
        for (float v : a.data()) mean += v;
        assertEquals(0, mean / 100, 0.3);
    }
}
