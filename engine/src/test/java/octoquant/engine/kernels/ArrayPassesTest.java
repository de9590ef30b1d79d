package octoquant.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ArrayPassesTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** Sizes on both sides of the split threshold, odd ones included. */
    private static final int[] SIZES = {0, 1, 17, ArrayPasses.MIN_PER_THREAD - 1, 2 * ArrayPasses.MIN_PER_THREAD,
            2 * ArrayPasses.MIN_PER_THREAD + 7, 262_144 + 3};

    @Test
    void addIntoMatchesThePlainLoopBitForBitForAnyThreadCount() {
        Random rnd = new Random(5);
        for (int size : SIZES) {
            float[] dst0 = new float[size], src = new float[size + 4];
            for (int i = 0; i < size; i++) dst0[i] = (float) rnd.nextGaussian() * (i % 3 == 0 ? 1e-7f : 1e3f);
            for (int i = 0; i < src.length; i++) src[i] = (float) rnd.nextGaussian();
            float[] expected = dst0.clone();
            for (int i = 0; i < size; i++) expected[i] += src[i];
            for (int t = 1; t <= 3; t++) {
                Parallel.setThreads(t);
                float[] dst = dst0.clone();
                ArrayPasses.addInto(dst, src);
                assertArrayEquals(expected, dst, "size " + size + ", threads " + t);
            }
        }
    }

    @Test
    void addToZeroGivesTheBitsOfAddingIntoZerosWithoutReadingTheDestination() {
        float[] special = {-0f, 0f, Float.NaN, Float.NEGATIVE_INFINITY, -Float.MIN_VALUE, 3e-39f};
        Random rnd = new Random(6);
        for (int size : SIZES) {
            float[] src = new float[size + 2];
            for (int i = 0; i < src.length; i++) src[i] = i % 5 == 0 ? special[i % special.length] : (float) rnd.nextGaussian();
            float[] expected = new float[size];
            ArrayPasses.addInto(expected, src);
            for (int t = 1; t <= 3; t++) {
                Parallel.setThreads(t);
                float[] dst = new float[size];
                java.util.Arrays.fill(dst, Float.NaN);
                ArrayPasses.addToZero(dst, src);
                for (int i = 0; i < size; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(dst[i]),
                            "size " + size + ", threads " + t + ", element " + i);
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArrayPasses.addToZero(new float[10], new float[9]));
        assertEquals("addToZero: source has 9 floats, destination 10", e.getMessage());
    }

    @Test
    void zeroClearsEveryElementForAnyThreadCount() {
        for (int size : SIZES) {
            for (int t = 1; t <= 3; t++) {
                Parallel.setThreads(t);
                float[] a = new float[size];
                java.util.Arrays.fill(a, -2.5f);
                ArrayPasses.zero(a);
                assertArrayEquals(new float[size], a, "size " + size + ", threads " + t);
            }
        }
    }

    @Test
    void aShortSourceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArrayPasses.addInto(new float[10], new float[9]));
        assertEquals("addInto: source has 9 floats, destination 10", e.getMessage());
    }
}
