package octoquant.engine.ops;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** ScratchPool hands each free buffer to one taker, the smallest that fits. */
class ScratchPoolTest {
    /**
     * A pool holding four large buffers full of NaN: an op run with it that reads any pooled element
     * before writing it gets NaN into its results, where a fresh pool gives zeros.
     */
    static ScratchPool poisoned() {
        ScratchPool pool = new ScratchPool();
        for (int i = 0; i < 4; i++) {
            float[] b = new float[1 << 20];
            Arrays.fill(b, Float.NaN);
            pool.give(b);
        }
        return pool;
    }

    @Test
    void takesTheSmallestFreeBufferThatFits() {
        ScratchPool pool = new ScratchPool();
        float[] columns = pool.take(1000), partials = pool.take(100);
        assertEquals(1000, columns.length);
        pool.give(columns);
        pool.give(partials);
        // The columns were given back first: a first-fit pool would hand them to the small request.
        assertSame(partials, pool.take(50));
        assertSame(columns, pool.take(1000));
    }

    @Test
    void aBufferInUseIsNeverHandedOutAgain() {
        ScratchPool pool = new ScratchPool();
        float[] a = pool.take(10);
        float[] b = pool.take(10);
        assertNotSame(a, b);
        pool.give(a);
        assertSame(a, pool.take(10));
        assertEquals(20, pool.take(20).length, "nothing free fits: a new buffer");
    }
}
