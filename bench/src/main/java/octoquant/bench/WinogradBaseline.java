package octoquant.bench;

import octoquant.engine.kernels.Gemm;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.ops.Im2Col;
import octoquant.engine.ops.Winograd3x3;

/**
 * The im2col + GEMM convolution as the engine's conv ops run it for layers Winograd does not take (per
 * image, on {@link Parallel}'s threads over the batch, per-thread column buffers, the engine's
 * {@link Im2Col} and {@link Gemm}), so that {@link WinogradBenchmark} can put {@link Winograd3x3} side by
 * side with it on the same shapes.
 */
final class WinogradBaseline {
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[1][0]);

    private WinogradBaseline() {}

    /** {@code y[n][co][outH·outW] = conv(x[n][ci][h][w], w[co][ci·3·3])}, stride 1, padding pad. */
    static void convolve(float[] x, int n, int ci, int h, int w, int pad, float[] wt, int co, float[] y) {
        Im2Col.Geometry geo = geometry(ci, h, w, pad);
        int k = geo.rows(), p = geo.positions(), inPlane = ci * h * w, outPlane = co * p;
        Parallel.forRange(n, 1, (s, e) -> {
            float[] col = buffer(k * p);
            for (int i = s; i < e; i++) {
                Im2Col.im2col(x, i * inPlane, geo, col, 0);
                Gemm.gemm(false, false, co, p, k, wt, 0, k, col, 0, p, y, i * outPlane, p, false);
            }
        });
    }

    /** {@code dx[n][ci][h][w] += } the input gradient of {@link #convolve} for output gradient dy. */
    static void inputGradient(float[] dy, int n, int co, int ci, int h, int w, int pad, float[] wt, float[] dx) {
        Im2Col.Geometry geo = geometry(ci, h, w, pad);
        int k = geo.rows(), p = geo.positions(), inPlane = ci * h * w, outPlane = co * p;
        Parallel.forRange(n, 1, (s, e) -> {
            float[] dcol = buffer(k * p);
            for (int i = s; i < e; i++) {
                Gemm.gemm(true, false, k, p, co, wt, 0, k, dy, i * outPlane, p, dcol, 0, p, false);
                Im2Col.col2imAdd(dcol, 0, geo, dx, i * inPlane);
            }
        });
    }

    /**
     * {@code dw[co][ci·9] += } the weight gradient of {@link #convolve}: images unfolded again and, as the
     * conv ops do, summed in 8 fixed groups of consecutive images ({@code partialT[k × co] += cols · dYᵀ}),
     * the groups then added in order.
     */
    static void weightGradient(float[] x, float[] dy, int n, int ci, int h, int w, int pad, int co, float[] dw) {
        Im2Col.Geometry geo = geometry(ci, h, w, pad);
        int k = geo.rows(), p = geo.positions(), inPlane = ci * h * w, outPlane = co * p;
        int groups = Math.min(n, 8), size = k * co;
        float[] partial = new float[groups * size];
        Parallel.forRange(groups, 1, (s, e) -> {
            float[] col = buffer(k * p);
            for (int gi = s; gi < e; gi++) {
                int first = gi * n / groups, end = (gi + 1) * n / groups;
                for (int i = first; i < end; i++) {
                    Im2Col.im2col(x, i * inPlane, geo, col, 0);
                    Gemm.gemm(false, true, k, co, p, col, 0, p, dy, i * outPlane, p, partial, gi * size, co, i > first);
                }
            }
        });
        for (int j = 0; j < k; j++) {
            for (int c = 0; c < co; c++) {
                float sum = partial[j * co + c];
                for (int gi = 1; gi < groups; gi++) sum += partial[gi * size + j * co + c];
                dw[c * k + j] += sum;
            }
        }
    }

    private static Im2Col.Geometry geometry(int ci, int h, int w, int pad) {
        return new Im2Col.Geometry(ci, h, w, 3, 3, 1, pad, Winograd3x3.outputSize(h, pad), Winograd3x3.outputSize(w, pad));
    }

    private static float[] buffer(int length) {
        float[][] b = BUFFERS.get();
        if (b[0].length < length) b[0] = new float[length];
        return b[0];
    }
}
