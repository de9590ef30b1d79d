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
    void aFreshGradientBufferIsHandedOutOnlyWhileTheTensorHasNoGradient() {
        Tensor t = Tensor.zeros(3).requireGrad();
        float[] fresh = t.freshGradBuffer();
        assertNotNull(fresh);
        assertEquals(3, fresh.length);
        assertSame(fresh, t.grad(), "the fresh buffer is the gradient");
        assertSame(fresh, t.gradBuffer(), "later closures add into it");
        assertNull(t.freshGradBuffer(), "a second closure gets none: it must add");
        Tensor u = Tensor.zeros(2).requireGrad();
        u.gradBuffer();
        assertNull(u.freshGradBuffer(), "a gradient made zeroed is not fresh either");
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
