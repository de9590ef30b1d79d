package octoquant.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import octoquant.engine.kernels.WinogradTransforms;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;


/**
 * The two kernels of a chunk's filter gradient: the transformed input copied tiles outer
 * ({@link WinogradTransforms#transposeTiles}) and the products against it
 * ({@link WinogradTransforms#filterProducts}), scalar and SIMD, against loops written from their contracts:
 * the copy exact, the products within a dot product's rounding of a double-precision sum and the same bits
 * in both forms (one chain of fused multiply-adds per element), on shapes that take the SIMD blocks (8 rows
 * by two or one vectors of columns) fully, partly or not at all.
 */
class WinogradFilterProductsTest {
    @Test
    void transposeTilesCopiesEveryValueTilesOuter() {
        int[][] shapes = {{32, 64}, {5, 37}, {16, 16}, {3, 1}, {48, 35}};
        for (WinogradTransforms k : Winograd3x3Test.transformsInUse()) {
            for (int[] sh : shapes) {
                int rows = sh[0], count = sh[1], ld = count + 3, vOff = 5, vtOff = 7;
                Rng rng = new Rng(rows * 31 + count);
                float[] v = Winograd3x3Test.randn(rng, vOff + rows * ld);
                float[] vt = new float[vtOff + rows * count + 4];
                java.util.Arrays.fill(vt, Float.NaN);
                k.transposeTiles(v, vOff, ld, rows, count, vt, vtOff);
                String what = k.getClass().getSimpleName() + " rows=" + rows + " count=" + count;
                for (int t = 0; t < count; t++) {
                    for (int r = 0; r < rows; r++) {
                        assertEquals(Float.floatToRawIntBits(v[vOff + r * ld + t]),
                                Float.floatToRawIntBits(vt[vtOff + t * rows + r]), what + " t=" + t + " r=" + r);
                    }
                }
                for (int i = 0; i < vtOff; i++) assertTrue(Float.isNaN(vt[i]), what + ": wrote before the start");
                for (int i = vtOff + rows * count; i < vt.length; i++) assertTrue(Float.isNaN(vt[i]), what + ": wrote past the end");
            }
        }
    }

    @Test
    void filterProductsAreOneFmaChainPerElementInEveryForm() {
        // rows x cols x count: the seed CNN's conv2 (64 x 32, 64 tiles), 2 + 1 vectors of columns with rows
        // left over, a vector of columns, and shapes below one block.
        int[][] shapes = {{64, 32, 64}, {12, 48, 37}, {8, 16, 16}, {7, 5, 3}, {1, 1, 1}, {9, 33, 20}};
        for (int[] sh : shapes) {
            int rows = sh[0], cols = sh[1], count = sh[2], ldm = count + 2, dmOff = 3, vtOff = 6, outOff = 4;
            Rng rng = new Rng(rows * 1000 + cols * 10 + count);
            float[] dm = Winograd3x3Test.randn(rng, dmOff + rows * ldm), vt = Winograd3x3Test.randn(rng, vtOff + count * cols);
            float[] expected = null;
            for (WinogradTransforms k : Winograd3x3Test.transformsInUse()) {
                String what = k.getClass().getSimpleName() + " rows=" + rows + " cols=" + cols + " count=" + count;
                float[] out = new float[outOff + rows * cols + 3];
                java.util.Arrays.fill(out, Float.NaN);
                k.filterProducts(dm, dmOff, ldm, rows, vt, vtOff, cols, count, out, outOff);
                for (int o = 0; o < rows; o++) {
                    for (int c = 0; c < cols; c++) {
                        float chain = 0f;
                        double exact = 0, magnitude = 0;
                        for (int t = 0; t < count; t++) {
                            float a = dm[dmOff + o * ldm + t], b = vt[vtOff + t * cols + c];
                            chain = Math.fma(b, a, chain);
                            exact += (double) a * b;
                            magnitude += Math.abs((double) a * b);
                        }
                        float got = out[outOff + o * cols + c];
                        assertEquals(Float.floatToRawIntBits(chain), Float.floatToRawIntBits(got), what + " o=" + o + " c=" + c);
                        assertTrue(Math.abs(got - exact) <= count * 0x1p-24 * magnitude + 1e-30,
                                what + " o=" + o + " c=" + c + ": " + got + " against " + exact);
                    }
                }
                for (int i = 0; i < outOff; i++) assertTrue(Float.isNaN(out[i]), what + ": wrote before the start");
                for (int i = outOff + rows * cols; i < out.length; i++) assertTrue(Float.isNaN(out[i]), what + ": wrote past the end");
                if (expected == null) expected = out;
                else for (int i = 0; i < out.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(out[i]), what + ": scalar and SIMD at " + i);
                }
            }
        }
    }
}
