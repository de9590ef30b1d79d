package octoquant.engine.quant;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.util.Rng;

import static org.junit.jupiter.api.Assertions.*;

/** {@link IntGemm} against the definition summed in long, zero points subtracted inside the loop. */
class IntGemmTest {
    @Property(tries = 100)
    void equalsTheDefinition(@ForAll @IntRange(min = 1, max = 9) int m, @ForAll @IntRange(min = 1, max = 70) int n,
                             @ForAll @IntRange(min = 1, max = 300) int k, @ForAll boolean withWeightZeros,
                             @ForAll long seed) {
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
        IntGemm.gemm(m, n, k, a, aZero, w, wZero, acc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                long s = 0;
                for (int t = 0; t < k; t++) s += (long) (a[i * k + t] - aZero) * (w[j * k + t] - (wZero == null ? 0 : wZero[j]));
                assertEquals(s, acc[i * n + j], "acc " + i + "," + j);
            }
    }
}
