package octoquant.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * The Vector API's dot-product GEMM tile computes each element in the order its contract fixes: 16 lane
 * sums of fused multiply-adds over {@code p ≡ lane (mod 16)} in increasing p, halved pairwise (lane q with
 * q + 8, then q + 4, q + 2, q + 1), then the {@code k % 16} tail added product by product. Written here as
 * plain loops; the tile must match them bit for bit, so that where an element lands in a tile, and how
 * the kernel is split into methods, never changes a weight gradient.
 */
class DotTileOrderTest {
    private final Kernels vector = VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow(
            () -> new AssertionError("tests run with --add-modules jdk.incubator.vector: " + VectorizationProvider.vectorUnavailableReason()));

    /** One element as the contract orders it. */
    private static float reference(int k, float[] a, int aRow, float[] b, int bRow) {
        int kv = k - k % 16;
        float[] lane = new float[16];
        for (int p = 0; p < kv; p++) lane[p % 16] = Math.fma(a[aRow + p], b[bRow + p], lane[p % 16]);
        for (int width = 8; width >= 1; width /= 2) {
            for (int q = 0; q < width; q++) lane[q] = lane[q] + lane[q + width];
        }
        float s = lane[0];
        for (int p = kv; p < k; p++) s = Math.fma(a[aRow + p], b[bRow + p], s);
        return s;
    }

    @Test
    void everyElementFollowsTheContractsOrderBitForBit() {
        assumeTrue(vector.hasGemmDotTile(), "no dot tile at this vector width");
        Rng rng = new Rng(41);
        for (int k : new int[] {1, 15, 16, 17, 64, 1024, 1031}) {
            int rows = 6, stride = k + 3;
            float[] a = new float[rows * stride], b = new float[rows * stride], out = new float[16];
            // Magnitudes spread over six decades, so another summation order would round differently.
            for (int i = 0; i < a.length; i++) a[i] = rng.uniform(-1f, 1f) * (float) Math.pow(10, rng.nextInt(6) - 3);
            for (int i = 0; i < b.length; i++) b[i] = rng.uniform(-1f, 1f) * (float) Math.pow(10, rng.nextInt(6) - 3);
            // Rows as the GEMM passes them at an edge: the last one repeated.
            int[] aRows = {2 * stride + 1, 0, 5 * stride + 2, 5 * stride + 2};
            int[] bRows = {stride, 3 * stride + 3, 4 * stride, 1};
            vector.gemmDotTile(k, a, aRows[0], aRows[1], aRows[2], aRows[3], b, bRows[0], bRows[1], bRows[2], bRows[3], out);
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    float want = reference(k, a, aRows[r], b, bRows[c]);
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(out[4 * r + c]),
                            "k=" + k + " element (" + r + ", " + c + "): " + want + " vs " + out[4 * r + c]);
                }
            }
        }
    }
}
