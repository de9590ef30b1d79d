package octoquant.engine.ops;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Gemm;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.nn.Parameter;
import octoquant.engine.quant.WeightStorage;
import octoquant.engine.tensor.Shape;
import octoquant.engine.tensor.Tensor;

/**
 * {@code maxPool2x2(relu(conv2d(x)))} in one pass per image, the block the seed CNN is made of. Each
 * thread unfolds an image, multiplies it by the filters, adds the bias, applies the ReLU and pools while
 * the convolution's output is still in its cache; the full-size convolution and ReLU outputs never exist.
 * The same values as the three ops one after another (the same GEMM, bias, ReLU and first-maximum rule).
 *
 * <p>Backward keeps only the pooled output and each window's winner (a byte): the gradient of the
 * convolution's output for one image is rebuilt in a per-thread buffer (the pooled gradient at each
 * window's winner where the pooled value is positive, zero elsewhere), the image's columns are unfolded
 * again, and the image's share of the weight, bias and input gradients is added. Images are handled in
 * {@link Conv2dOp#WGRAD_GROUPS} fixed groups of consecutive images, each accumulating its images in order,
 * and the group sums are added in group order (the weight gradient the same way as {@link Conv2dOp}),
 * so results are bit-identical for any thread count.
 *
 * <p>Fusable when the pool is 2×2 with stride 2 and the filters fit in one {@link WeightTiles} tile
 * (every layer of the seed CNN, packed or not); {@link #fusable} says so, otherwise run the three ops.
 */
public final class ConvReluPoolOp {
    /** Per-thread buffers: an image's columns, its convolution output (or gradient), its column gradient. */
    private static final ThreadLocal<float[][]> THREAD_BUFFERS = ThreadLocal.withInitial(() -> new float[3][0]);

    private ConvReluPoolOp() {}

    /** True when the fused op applies: a 2×2 stride-2 pool over an output of at least 2×2 and a one-tile weight. */
    public static boolean fusable(Tensor x, Parameter weight, int stride, int pad, int poolKernel, int poolStride) {
        int[] ws = weight.shape();
        if (poolKernel != 2 || poolStride != 2 || ws.length != 4 || x.rank() != 4 || stride < 1 || pad < 0) return false;
        int outH = (x.dim(2) + 2 * pad - ws[2]) / stride + 1, outW = (x.dim(3) + 2 * pad - ws[3]) / stride + 1;
        if (x.dim(2) + 2 * pad < ws[2] || x.dim(3) + 2 * pad < ws[3] || outH < 2 || outW < 2) return false;
        int cols = ws[1] * ws[2] * ws[3];
        return ws[0] <= WeightTiles.rowsPerTile(cols);
    }

    public static Tensor forward(Tensor x, Parameter weight, Parameter bias, int stride, int pad, WeightTiles tiles) {
        Im2Col.Geometry geo = Conv2dOp.checkedGeometry(x, weight, bias, stride, pad);
        if (!fusable(x, weight, stride, pad, 2, 2)) {
            throw new IllegalArgumentException("convReluPool: input " + x.shape() + " and weight " + weight.name()
                    + " cannot be fused (check ConvReluPoolOp.fusable first and run conv2d, relu, maxPool2d)");
        }
        int n = x.dim(0), co = weight.shape()[0];
        int k = geo.rows(), p = geo.positions(), outH = geo.outH(), outW = geo.outW();
        int ph = outH / 2, pw = outW / 2, pooled = ph * pw;
        int inPlane = geo.channels() * geo.height() * geo.width(), colSize = k * p, outPlane = co * pooled;

        boolean paramsNeedGrad = weight.trainable() || (bias != null && bias.trainable());
        boolean recording = Grad.isEnabled() && (paramsNeedGrad || x.requiresGrad());
        float[] xs = x.data();
        float[] out = new float[n * outPlane];
        byte[] where = recording ? new byte[out.length] : null;
        float[] bv = bias == null ? null : WeightTiles.smallVector(bias.computeWeights());
        WeightStorage w = weight.computeWeights();
        tiles.forEach(w, (wt, wOff, r0, rows) -> Parallel.forRange(n, 1, (s, e) -> {
            float[] col = buffer(0, colSize), y = buffer(1, co * p);
            for (int i = s; i < e; i++) {
                Im2Col.im2col(xs, i * inPlane, geo, col, 0);
                Gemm.gemm(false, false, co, p, k, wt, wOff, k, col, 0, p, y, 0, p, false);
                for (int c = 0; c < co; c++) {
                    biasReluPool(y, c * p, bv == null ? 0f : bv[c], outW, ph, pw, out, i * outPlane + c * pooled, where);
                }
            }
        }));
        return Tensor.fromOp("convReluPool", out, Shape.of(n, co, ph, pw), paramsNeedGrad, g -> {
            boolean needW = weight.trainable(), needB = bias != null && bias.trainable(), needX = x.requiresGrad();
            int groups = Math.min(n, Conv2dOp.WGRAD_GROUPS), wSize = co * k;
            float[] partialW = needW ? new float[groups * wSize] : null;
            float[] partialB = needB ? new float[groups * co] : null;
            float[] gx = needX ? x.gradBuffer() : null;
            tiles.forEach(w, (wt, wOff, r0, rows) -> Parallel.forRange(groups, 1, (s, e) -> {
                float[] col = buffer(0, colSize), dy = buffer(1, co * p), dcol = buffer(2, colSize);
                float[] sums = new float[co];
                for (int gi = s; gi < e; gi++) {
                    int first = (int) ((long) gi * n / groups), end = (int) ((long) (gi + 1) * n / groups);
                    for (int i = first; i < end; i++) {
                        scatterGradient(g, out, where, i * outPlane, co, ph, pw, outH, outW, dy, sums);
                        if (needB) {
                            for (int c = 0; c < co; c++) {
                                partialB[gi * co + c] = i > first ? partialB[gi * co + c] + sums[c] : sums[c];
                            }
                        }
                        if (needW) {
                            Im2Col.im2col(xs, i * inPlane, geo, col, 0);
                            Conv2dOp.addImageWeightGradient(dy, 0, col, 0, co, k, p, partialW, gi * wSize, i > first);
                        }
                        if (needX) {
                            Gemm.gemm(true, false, k, p, co, wt, wOff, k, dy, 0, p, dcol, 0, p, false);
                            Im2Col.col2imAdd(dcol, 0, geo, gx, i * inPlane);
                        }
                    }
                }
            }));
            if (needW) Conv2dOp.addTransposedGroups(partialW, groups, co, k, weight.grad());
            if (needB) addGroups(partialB, groups, co, bias.grad());
        }, x);
    }

    /**
     * One channel of one image: {@code out = maxPool2x2(relu(y + bias))} in a single pass, the same values
     * and winners as the three separate loops, without data-dependent branches (random winners would
     * defeat the branch predictor). Adding a zero bias changes no value the ReLU lets through (only -0
     * becomes +0, and the ReLU maps both to +0). After the ReLU no value is negative or -0, so:
     * the pooled value is {@code Math.max} of the four (which returns the first NaN, as the pool's rule
     * does), and the winner is the first position holding exactly those bits (first maximum on ties).
     */
    private static void biasReluPool(float[] y, int in, float bias, int w, int ph, int pw, float[] out, int o, byte[] where) {
        for (int r = 0; r < ph; r++) {
            int r0 = in + 2 * r * w, r1 = r0 + w, row = o + r * pw;
            for (int q = 0; q < pw; q++) {
                int j = 2 * q;
                float a = Math.max(y[r0 + j] + bias, 0f), b = Math.max(y[r0 + j + 1] + bias, 0f);
                float c = Math.max(y[r1 + j] + bias, 0f), d = Math.max(y[r1 + j + 1] + bias, 0f);
                float v = Math.max(Math.max(a, b), Math.max(c, d));
                out[row + q] = v;
                if (where != null) {
                    int bits = Float.floatToRawIntBits(v);
                    int at = Float.floatToRawIntBits(c) == bits ? 2 : 3;
                    at = Float.floatToRawIntBits(b) == bits ? 1 : at;
                    at = Float.floatToRawIntBits(a) == bits ? 0 : at;
                    where[row + q] = (byte) at;
                }
            }
        }
    }

    /**
     * The gradient of one image's convolution output {@code [co, outH·outW]}: each window's pooled
     * gradient at the window's winner when the pooled value is positive (the ReLU passed it), else 0.
     * {@code sums[c]} gets channel c's sum of that gradient, in window order (the bias gradient of this
     * image): a quarter of the additions of summing the full-size gradient.
     */
    private static void scatterGradient(float[] g, float[] out, byte[] where, int base, int co, int ph, int pw,
                                        int outH, int outW, float[] dy, float[] sums) {
        int p = outH * outW;
        java.util.Arrays.fill(dy, 0, co * p, 0f);
        for (int c = 0; c < co; c++) {
            float sum = 0f;
            for (int r = 0; r < ph; r++) {
                for (int q = 0; q < pw; q++) {
                    int o = base + (c * ph + r) * pw + q;
                    if (out[o] > 0f) {
                        int at = where[o];
                        dy[c * p + (2 * r + (at >> 1)) * outW + 2 * q + (at & 1)] = g[o];
                        sum += g[o];
                    }
                }
            }
            sums[c] = sum;
        }
    }

    /** {@code dst[j] += Σ_group partial[group][j]}, groups added in order. */
    private static void addGroups(float[] partial, int groups, int size, float[] dst) {
        Parallel.forRange(size, 1024, (s, e) -> {
            for (int j = s; j < e; j++) {
                float sum = partial[j];
                for (int gi = 1; gi < groups; gi++) sum += partial[gi * size + j];
                dst[j] += sum;
            }
        });
    }

    private static float[] buffer(int slot, int length) {
        float[][] b = THREAD_BUFFERS.get();
        if (b[slot].length < length) b[slot] = new float[length];
        return b[slot];
    }
}
