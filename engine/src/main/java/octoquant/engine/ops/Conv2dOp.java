package octoquant.engine.ops;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Gemm;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.nn.Parameter;
import octoquant.engine.quant.WeightStorage;
import octoquant.engine.tensor.Shape;
import octoquant.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * 2-d convolution (cross-correlation, as PyTorch) over NCHW input with any kernel size, stride and zero
 * padding: im2col per image and a GEMM with the filters {@code [CO, CI·KH·KW]}, read tile by tile
 * through the weight storage. Images are processed in parallel; every output and every gradient element
 * is computed by one thread in a fixed order, and the weight gradient is reduced over the batch image by
 * image, so results are bit-identical for any thread count.
 */
public final class Conv2dOp {
    /** Most floats of column matrices held at once in inference, where nothing is kept for backward. */
    private static final int INFERENCE_COL_BUDGET = 1 << 22;

    private Conv2dOp() {}

    public static Tensor forward(Tensor x, Parameter weight, Parameter bias, int stride, int pad) {
        return forward(x, weight, bias, stride, pad, new WeightTiles());
    }

    public static Tensor forward(Tensor x, Parameter weight, Parameter bias, int stride, int pad, WeightTiles tiles) {
        int[] ws = weight.shape();
        if (ws.length != 4) throw new IllegalArgumentException("conv2d: weight " + weight.name() + " must be [CO, CI, KH, KW], got " + Arrays.toString(ws));
        if (x.rank() != 4 || x.dim(1) != ws[1]) {
            throw new IllegalArgumentException("conv2d: input " + x.shape() + " does not fit weight "
                    + Arrays.toString(ws) + " (expected [N, " + ws[1] + ", H, W])");
        }
        if (stride < 1 || pad < 0) throw new IllegalArgumentException("conv2d: stride must be ≥ 1 and padding ≥ 0, got stride " + stride + " padding " + pad);
        if (bias != null && bias.size() != ws[0]) {
            throw new IllegalArgumentException("conv2d: bias " + Arrays.toString(bias.shape()) + " does not fit weight " + Arrays.toString(ws));
        }
        int n = x.dim(0), h = x.dim(2), wd = x.dim(3);
        int co = ws[0];
        int outH = (h + 2 * pad - ws[2]) / stride + 1;
        int outW = (wd + 2 * pad - ws[3]) / stride + 1;
        if (h + 2 * pad < ws[2] || wd + 2 * pad < ws[3]) {
            throw new IllegalArgumentException("conv2d: input " + x.shape() + " with padding " + pad
                    + " is smaller than the kernel " + ws[2] + "x" + ws[3]);
        }
        Im2Col.Geometry geo = new Im2Col.Geometry(ws[1], h, wd, ws[2], ws[3], stride, pad, outH, outW);
        int k = geo.rows(), p = geo.positions();
        int inPlane = ws[1] * h * wd, outPlane = co * p, colSize = k * p;

        boolean paramsNeedGrad = weight.trainable() || (bias != null && bias.trainable());
        boolean recording = Grad.isEnabled() && (paramsNeedGrad || x.requiresGrad());
        // Backward needs every image's columns; inference only needs a chunk of them at a time.
        int chunk = recording ? n : Math.max(1, Math.min(n, INFERENCE_COL_BUDGET / Math.max(1, colSize)));
        float[] cols = new float[Math.max(1, chunk) * colSize];
        float[] xs = x.data();
        float[] y = new float[n * outPlane];
        WeightStorage w = weight.computeWeights();
        for (int n0 = 0; n0 < n; n0 += chunk) {
            int first = n0, count = Math.min(chunk, n - n0);
            Parallel.forRange(count, 1, (s, e) -> {
                for (int i = s; i < e; i++) Im2Col.im2col(xs, (first + i) * inPlane, geo, cols, i * colSize);
            });
            tiles.forEach(w, (wt, wOff, r0, rows) -> Parallel.forRange(count, 1, (s, e) -> {
                for (int i = s; i < e; i++) {
                    Gemm.gemm(false, false, rows, p, k, wt, wOff, k, cols, i * colSize, p,
                            y, (first + i) * outPlane + r0 * p, p, false);
                }
            }));
        }
        if (bias != null) {
            float[] bv = WeightTiles.smallVector(bias.computeWeights());
            Parallel.forRange(n, 1, (s, e) -> {
                for (int i = s; i < e; i++) {
                    for (int c = 0; c < co; c++) {
                        int base = i * outPlane + c * p;
                        float b = bv[c];
                        for (int q = 0; q < p; q++) y[base + q] += b;
                    }
                }
            });
        }
        Shape outShape = Shape.of(n, co, outH, outW);
        return Tensor.fromOp("conv2d", y, outShape, paramsNeedGrad, g -> {
            if (bias != null && bias.trainable()) BiasAdd.addChannelSums(g, n, co, p, bias.grad());
            if (weight.trainable()) addWeightGradient(g, cols, n, co, k, p, weight.grad());
            if (x.requiresGrad()) {
                // The columns are no longer needed: reuse them for the column gradient Wᵀ · dY.
                float[] dcols = cols;
                tiles.forEach(w, (wt, wOff, r0, rows) -> Parallel.forRange(n, 1, (s, e) -> {
                    for (int i = s; i < e; i++) {
                        Gemm.gemm(true, false, k, p, rows, wt, wOff, k, g, i * outPlane + r0 * p, p,
                                dcols, i * colSize, p, r0 > 0);
                    }
                }));
                float[] gx = x.gradBuffer();
                Parallel.forRange(n, 1, (s, e) -> {
                    for (int i = s; i < e; i++) Im2Col.col2imAdd(dcols, i * colSize, geo, gx, i * inPlane);
                });
            }
        }, x);
    }

    /**
     * {@code dW += Σ_n dY_n · cols_nᵀ}: one partial product per image (in parallel), then summed in image
     * order for each weight element, so the batch sum never depends on how images were split across threads.
     */
    private static void addWeightGradient(float[] g, float[] cols, int n, int co, int k, int p, float[] dw) {
        int wSize = co * k;
        float[] partial = new float[n * wSize];
        Parallel.forRange(n, 1, (s, e) -> {
            for (int i = s; i < e; i++) {
                Gemm.gemm(false, true, co, k, p, g, i * co * p, p, cols, i * k * p, p, partial, i * wSize, k, false);
            }
        });
        Parallel.forRange(wSize, 1024, (s, e) -> {
            for (int j = s; j < e; j++) {
                float sum = 0f;
                for (int i = 0; i < n; i++) sum += partial[i * wSize + j];
                dw[j] += sum;
            }
        });
    }
}
