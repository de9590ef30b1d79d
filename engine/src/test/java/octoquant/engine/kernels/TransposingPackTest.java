package octoquant.engine.kernels;

import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransposingPackTest {
    private static float[] random(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rng.uniform(-1f, 1f);
        return x;
    }

    @Test
    void isAnExactTransposeThatWritesOnlyItsColumns() {
        Rng rng = new Rng(23);
        int[] colsList = {1, 3, 15, 16, 17, 31, 32, 48, 64};
        int[] kcList = {1, 5, 16, 17, 33, 128, 130};
        for (int cols : colsList) {
            for (int kc : kcList) {
                int ldb = kc + rng.nextInt(7), src = rng.nextInt(9), w = cols <= 16 ? 16 : 64, dst = rng.nextInt(5);
                float[] b = random(rng, src + (cols - 1) * ldb + kc + 3);
                float[] bp = new float[dst + kc * w + 7];
                Arrays.fill(bp, Float.NaN);
                TransposingPack.pack(b, src, ldb, cols, kc, bp, dst, w);
                for (int p = 0; p < kc; p++) {
                    for (int j = 0; j < w; j++) {
                        float got = bp[dst + p * w + j];
                        if (j < cols) {
                            assertEquals(Float.floatToRawIntBits(b[src + j * ldb + p]), Float.floatToRawIntBits(got),
                                    "cols=" + cols + " kc=" + kc + " p=" + p + " j=" + j);
                        } else {
                            assertTrue(Float.isNaN(got), "wrote outside the " + cols + " columns at j=" + j);
                        }
                    }
                }
                for (int i = 0; i < dst; i++) assertTrue(Float.isNaN(bp[i]), "wrote before dst");
            }
        }
    }
}
