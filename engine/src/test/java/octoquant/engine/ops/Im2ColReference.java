package octoquant.engine.ops;

import octoquant.engine.kernels.Gemm;

/**
 * A 3×3 stride-1 convolution by im2col + GEMM, one image at a time on the calling thread: the float
 * path the conv ops take for layers Winograd does not ({@link Im2Col}, {@link Gemm}), written out
 * directly so that the Winograd tests have it as a reference whatever the ops choose.
 */
final class Im2ColReference {
    private Im2ColReference() {}

    static Im2Col.Geometry geometry(int ci, int h, int w, int pad) {
        return new Im2Col.Geometry(ci, h, w, 3, 3, 1, pad, Winograd3x3.outputSize(h, pad), Winograd3x3.outputSize(w, pad));
    }

    /** {@code y[n][co][outH·outW] = conv(x[n][ci][h][w], wt[co][ci·9])}. */
    static float[] forward(float[] x, int n, int ci, int h, int w, int pad, float[] wt, int co) {
        Im2Col.Geometry geo = geometry(ci, h, w, pad);
        int k = geo.rows(), p = geo.positions();
        float[] col = new float[k * p], y = new float[n * co * p];
        for (int i = 0; i < n; i++) {
            Im2Col.im2col(x, i * ci * h * w, geo, col, 0);
            Gemm.gemm(false, false, co, p, k, wt, 0, k, col, 0, p, y, i * co * p, p, false);
        }
        return y;
    }

    /** {@code dx[n][ci][h][w] = col2im(wtᵀ · dy)}, the input gradient of {@link #forward}. */
    static float[] inputGradient(float[] dy, int n, int co, int ci, int h, int w, int pad, float[] wt) {
        Im2Col.Geometry geo = geometry(ci, h, w, pad);
        int k = geo.rows(), p = geo.positions();
        float[] dcol = new float[k * p], dx = new float[n * ci * h * w];
        for (int i = 0; i < n; i++) {
            Gemm.gemm(true, false, k, p, co, wt, 0, k, dy, i * co * p, p, dcol, 0, p, false);
            Im2Col.col2imAdd(dcol, 0, geo, dx, i * ci * h * w);
        }
        return dx;
    }

    /** {@code dw[co][ci·9] = Σ_i dy_i · cols_iᵀ}, images added in order. */
    static float[] weightGradient(float[] x, float[] dy, int n, int ci, int h, int w, int pad, int co) {
        Im2Col.Geometry geo = geometry(ci, h, w, pad);
        int k = geo.rows(), p = geo.positions();
        float[] col = new float[k * p], dw = new float[co * k];
        for (int i = 0; i < n; i++) {
            Im2Col.im2col(x, i * ci * h * w, geo, col, 0);
            Gemm.gemm(false, true, co, k, p, dy, i * co * p, p, col, 0, p, dw, 0, k, i > 0);
        }
        return dw;
    }
}
