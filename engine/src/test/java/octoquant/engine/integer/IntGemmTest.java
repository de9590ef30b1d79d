package octoquant.engine.integer;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.kernels.QuantKernels;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.util.Rng;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link IntGemm} against the definition summed in long, zero points subtracted inside the loop, with the
 * scalar dot products ({@link QuantKernels#intDots}, the reference) and with the Vector API form; and the
 * two dot-product forms against each other on ints that wrap around.
 */
class IntGemmTest {
    private static QuantKernels vector() {
        return VectorizationProvider.vector().map(VectorizationProvider::quantKernels).orElseThrow(() -> new AssertionError(
                "the Vector API form did not load: " + VectorizationProvider.vectorUnavailableReason()));
    }

    @Property(tries = 100)
    void equalsTheDefinition(@ForAll @IntRange(min = 1, max = 9) int m, @ForAll @IntRange(min = 1, max = 70) int n,
                             @ForAll @IntRange(min = 1, max = 300) int k, @ForAll boolean withWeightZeros,
                             @ForAll boolean scalar, @ForAll long seed) {
        Rng rng = new Rng(seed);
        byte[] a = new byte[m * k], w = new byte[n * k];
        for (int i = 0; i < a.length; i++) a[i] = (byte) rng.nextInt(256);
        for (int i = 0; i < w.length; i++) w[i] = (byte) rng.nextInt(256);
        int aZero = rng.nextInt(256) - 128;
        int[] wZero = null;
        if (withWeightZeros) {
            wZero = new int[n];
            for (int j = 0; j < n; j++) wZero[j] = rng.nextInt(256) - 128;
        }
        int[] acc = new int[m * n];
        IntGemm.gemm(scalar ? VectorizationProvider.scalar().quantKernels() : vector(), m, n, k, a, aZero, w, wZero, acc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                long s = 0;
                for (int t = 0; t < k; t++) s += (long) (a[i * k + t] - aZero) * (w[j * k + t] - (wZero == null ? 0 : wZero[j]));
                assertEquals(s, acc[i * n + j], (scalar ? "scalar" : "vector") + " acc " + i + "," + j);
            }
    }

    /** Any row length (whole vectors or not) and ints whose products and sums wrap: the same ints. */
    @Property(tries = 200)
    void vectorDotsEqualTheScalarDots(@ForAll @IntRange(min = 1, max = 9) int m, @ForAll @IntRange(min = 1, max = 11) int rows,
                                      @ForAll @IntRange(min = 1, max = 100) int k, @ForAll boolean wide, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] a = new int[m * k], w = new int[rows * k];
        for (int i = 0; i < a.length; i++) a[i] = wide ? (int) rng.nextLong() : rng.nextInt(511) - 255;
        for (int i = 0; i < w.length; i++) w[i] = wide ? (int) rng.nextLong() : rng.nextInt(511) - 255;
        int[] expected = new int[m * rows], actual = new int[m * rows];
        VectorizationProvider.scalar().quantKernels().intDots(m, rows, k, a, w, expected);
        vector().intDots(m, rows, k, a, w, actual);
        assertArrayEquals(expected, actual, m + "x" + rows + " k " + k);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < rows; j++) {
                int dot = 0;
                for (int t = 0; t < k; t++) dot += a[i * k + t] * w[j * k + t];
                assertEquals(dot, expected[i * rows + j], "scalar dot " + i + "," + j);
            }
    }
}
