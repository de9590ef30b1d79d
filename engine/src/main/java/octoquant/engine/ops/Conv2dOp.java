package octoquant.engine.ops;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Gemm;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.param.Parameter;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.tensor.Shape;
import octoquant.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * 2-d convolution (cross-correlation, as PyTorch) over NCHW input with any kernel size, stride and zero
 * padding: im2col per image and a GEMM with the filters {@code [CO, CI·KH·KW]}, read tile by tile
 * through the weight storage. A 3×3 stride-1 convolution with enough input channels
 * ({@link Winograd3x3#usedFor}, the rule {@link ConvReluPoolOp} follows too; fp32 or packed weight) runs
 * as Winograd F(4×4, 3×3) instead, forward and backward (the forward's transformed input is kept for the
 * weight gradient, as the columns are here).
 *
 * <p>Work is per image and images run in parallel: one thread unfolds an image, multiplies, and adds the
 * bias while the columns and the output are still in its cache. The columns are kept (in a buffer the
 * layer reuses from step to step, see {@link ScratchPool}) only when the weight gradient needs them; the
 * input gradient goes through a per-thread column buffer folded back at once.
 *
 * <p>Determinism: every output and input-gradient element is computed by one thread in a fixed order
 * (Winograd's chunks of images depend on the shape only, see {@link Winograd3x3}).
 * The weight gradient is summed over the batch in {@link #WGRAD_GROUPS} fixed groups of consecutive
 * images (each group accumulates its images in order, then the groups are added in order), and the
 * groups depend only on the batch size, so results are bit-identical for any thread count.
 */
public final class Conv2dOp {
    /** Groups of images whose weight-gradient partial sums are computed in parallel; fixed, not the thread count. */
    static final int WGRAD_GROUPS = 8;

    /** Per-thread column buffer: the unfolded image in inference, the column gradient in backward. */
    private static final ThreadLocal<float[][]> THREAD_COLS = ThreadLocal.withInitial(() -> new float[1][0]);

    private Conv2dOp() {}

    public static Tensor forward(Tensor x, Parameter weight, Parameter bias, int stride, int pad) {
        return forward(x, weight, bias, stride, pad, new WeightTiles(), ScratchPool.none());
    }

    public static Tensor forward(Tensor x, Parameter weight, Parameter bias, int stride, int pad, WeightTiles tiles) {
        return forward(x, weight, bias, stride, pad, tiles, ScratchPool.none());
    }

    public static Tensor forward(Tensor x, Parameter weight, Parameter bias, int stride, int pad, WeightTiles tiles,
                                 ScratchPool pool) {
        Im2Col.Geometry geo = checkedGeometry(x, weight, bias, stride, pad);
        int n = x.dim(0), co = weight.shape()[0], outH = geo.outH(), outW = geo.outW();
        int k = geo.rows(), p = geo.positions();
        int inPlane = geo.channels() * geo.height() * geo.width(), outPlane = co * p, colSize = k * p;

        boolean paramsNeedGrad = weight.trainable() || (bias != null && bias.trainable());
        boolean recording = Grad.isEnabled() && (paramsNeedGrad || x.requiresGrad());
        float[] bv = bias == null ? null : WeightTiles.smallVector(bias.computeWeights());
        WeightStorage w = weight.computeWeights();
        if (Winograd3x3.usedFor(geo)) return winograd(x, weight, bias, bv, w, geo, tiles, pool, recording, paramsNeedGrad);
        // Only the weight gradient needs every image's columns after the forward pass.
        boolean keepCols = recording && weight.trainable();
        float[] cols = keepCols ? pool.take(n * colSize) : null;
        float[] xs = x.data();
        float[] y = new float[n * outPlane];
        tiles.forEach(w, (wt, wOff, r0, rows) -> Parallel.forRange(n, 1, (s, e) -> {
            float[] col = keepCols ? cols : threadCols(colSize);
            for (int i = s; i < e; i++) {
                int colOff = keepCols ? i * colSize : 0;
                // Kept columns are unfolded once (first tile); a thread's own buffer for every tile.
                if (!keepCols || r0 == 0) Im2Col.im2col(xs, i * inPlane, geo, col, colOff);
                int yOff = i * outPlane + r0 * p;
                Gemm.gemm(false, false, rows, p, k, wt, wOff, k, col, colOff, p, y, yOff, p, false);
                if (bv != null) addBias(y, yOff, bv, r0, rows, p);
            }
        }));
        Shape outShape = Shape.of(n, co, outH, outW);
        return Tensor.fromOp("conv2d", y, outShape, paramsNeedGrad, g -> {
            if (bias != null && bias.trainable()) addChannelSums(g, n, co, p, bias.grad());
            if (weight.trainable()) addWeightGradient(g, cols, n, co, k, p, weight.grad(), pool);
            if (x.requiresGrad()) addInputGradient(g, w, tiles, geo, n, co, x.gradBuffer(), pool);
            pool.give(cols);
        }, x);
    }

    /**
     * The layer as Winograd F(4×4, 3×3) ({@link Winograd3x3}): the filters transformed once (kept for the
     * input gradient), chunks of images convolved straight into y with the bias; training keeps the
     * transformed input for the weight gradient (buffers from the layer's pool).
     */
    private static Tensor winograd(Tensor x, Parameter weight, Parameter bias, float[] bv, WeightStorage w,
                                   Im2Col.Geometry geo, WeightTiles tiles, ScratchPool pool, boolean recording,
                                   boolean paramsNeedGrad) {
        int n = x.dim(0), co = weight.shape()[0], ci = geo.channels(), p = geo.positions();
        Winograd3x3.Plan plan = new Winograd3x3.Plan(n, geo, co);
        float[] y = new float[n * co * p];
        float[] u = Winograd3x3.filters(w, tiles, co, ci, pool, recording);
        float[] v = recording && weight.trainable() ? pool.take(plan.inputLength()) : null;
        Winograd3x3.forward(Winograd3x3.transforms(), plan, x.data(), 0, u, 0, v, Winograd3x3.planes(y, 0, bv, false));
        return Tensor.fromOp("conv2d", y, Shape.of(n, co, geo.outH(), geo.outW()), paramsNeedGrad, g -> {
            boolean needW = weight.trainable(), needX = x.requiresGrad();
            if (bias != null && bias.trainable()) addChannelSums(g, n, co, p, bias.grad());
            if (needW || needX) {
                // The forward kept V only when the weight is trained; backward reads it only then.
                Winograd3x3.backward(Winograd3x3.transforms(), plan, Winograd3x3.fromPlanes(g, 0), v, u,
                        needW ? weight.grad() : null, x, pool);
                pool.give(v);
            }
            pool.give(u);
        }, x);
    }

    /** The convolution's geometry after checking that input, weight, bias, stride and padding fit together. */
    static Im2Col.Geometry checkedGeometry(Tensor x, Parameter weight, Parameter bias, int stride, int pad) {
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
        int h = x.dim(2), wd = x.dim(3);
        if (h + 2 * pad < ws[2] || wd + 2 * pad < ws[3]) {
            throw new IllegalArgumentException("conv2d: input " + x.shape() + " with padding " + pad
                    + " is smaller than the kernel " + ws[2] + "x" + ws[3]);
        }
        int outH = (h + 2 * pad - ws[2]) / stride + 1;
        int outW = (wd + 2 * pad - ws[3]) / stride + 1;
        return new Im2Col.Geometry(ws[1], h, wd, ws[2], ws[3], stride, pad, outH, outW);
    }

    private static void addBias(float[] y, int yOff, float[] bv, int r0, int rows, int p) {
        for (int c = 0; c < rows; c++) {
            float b = bv[r0 + c];
            int base = yOff + c * p;
            for (int q = 0; q < p; q++) y[base + q] += b;
        }
    }

    /** {@code db[c] += Σ_{i,q} g[i, c, q]}: channels in parallel, each summed in a fixed order. */
    private static void addChannelSums(float[] g, int n, int co, int p, float[] db) {
        Parallel.forRange(co, 8, (s, e) -> {
            for (int c = s; c < e; c++) {
                float sum = 0f;
                for (int i = 0; i < n; i++) {
                    int base = (i * co + c) * p;
                    for (int q = 0; q < p; q++) sum += g[base + q];
                }
                db[c] += sum;
            }
        });
    }

    /**
     * {@code dW += Σ_n dY_n · cols_nᵀ}. Image i belongs to group {@code i·G/n}; each group accumulates its
     * images in order into its own partial (in parallel over groups), then the partials are added to dW
     * in group order. The grouping depends on n only, never on the thread count.
     */
    private static void addWeightGradient(float[] g, float[] cols, int n, int co, int k, int p, float[] dw, ScratchPool pool) {
        int wSize = co * k;
        int groups = Math.min(n, WGRAD_GROUPS);
        float[] partial = pool.take(groups * wSize);
        Parallel.forRange(groups, 1, (s, e) -> {
            for (int gi = s; gi < e; gi++) {
                int first = groupStart(gi, groups, n), end = groupStart(gi + 1, groups, n);
                for (int i = first; i < end; i++) {
                    addImageWeightGradient(g, i * co * p, cols, i * k * p, co, k, p, partial, gi * wSize, i > first);
                }
            }
        });
        addTransposedGroups(partial, groups, co, k, dw);
        pool.give(partial);
    }

    /**
     * One image's weight gradient, transposed: {@code partialT[k × co] (+)= cols · dYᵀ}. The transposed
     * product gives the GEMM {@code co} columns (one full-width panel for 64 filters) and packs dY, not
     * the larger column matrix (why: {@code docs/decisions.md}).
     */
    static void addImageWeightGradient(float[] dy, int dyOff, float[] cols, int colOff, int co, int k, int p,
                                       float[] partialT, int partialOff, boolean accumulate) {
        Gemm.gemm(false, true, k, co, p, cols, colOff, p, dy, dyOff, p, partialT, partialOff, co, accumulate);
    }

    /** {@code dw[c·k + j] += Σ_group partialT[group][j·co + c]}, groups added in order. */
    static void addTransposedGroups(float[] partialT, int groups, int co, int k, float[] dw) {
        int wSize = co * k;
        Parallel.forRange(wSize, 1024, (s, e) -> {
            for (int idx = s; idx < e; idx++) {
                int at = (idx % k) * co + idx / k;
                float sum = partialT[at];
                for (int gi = 1; gi < groups; gi++) sum += partialT[gi * wSize + at];
                dw[idx] += sum;
            }
        });
    }

    private static int groupStart(int group, int groups, int n) {
        return (int) ((long) group * n / groups);
    }

    /**
     * {@code dX += col2im(Wᵀ · dY)} image by image. With the weight in one tile (any fp32 storage) each
     * thread folds an image's column gradient back from its own buffer; a weight decoded in several tiles
     * needs every tile's contribution first, so then the column gradients of all images are held at once.
     */
    private static void addInputGradient(float[] g, WeightStorage w, WeightTiles tiles, Im2Col.Geometry geo,
                                         int n, int co, float[] gx, ScratchPool pool) {
        int k = geo.rows(), p = geo.positions(), colSize = k * p, outPlane = co * p;
        int inPlane = geo.channels() * geo.height() * geo.width();
        float[] view = w.floatView();
        if (view != null) {
            Parallel.forRange(n, 1, (s, e) -> {
                float[] dcol = threadCols(colSize);
                for (int i = s; i < e; i++) {
                    Gemm.gemm(true, false, k, p, co, view, 0, k, g, i * outPlane, p, dcol, 0, p, false);
                    Im2Col.col2imAdd(dcol, 0, geo, gx, i * inPlane);
                }
            });
            return;
        }
        // From the layer's pool: the first tile's products overwrite every element (accumulate = r0 > 0).
        float[] dcols = pool.take(n * colSize);
        tiles.forEach(w, (wt, wOff, r0, rows) -> Parallel.forRange(n, 1, (s, e) -> {
            for (int i = s; i < e; i++) {
                Gemm.gemm(true, false, k, p, rows, wt, wOff, k, g, i * outPlane + r0 * p, p,
                        dcols, i * colSize, p, r0 > 0);
            }
        }));
        Parallel.forRange(n, 1, (s, e) -> {
            for (int i = s; i < e; i++) Im2Col.col2imAdd(dcols, i * colSize, geo, gx, i * inPlane);
        });
        pool.give(dcols);
    }

    private static float[] threadCols(int length) {
        float[][] holder = THREAD_COLS.get();
        if (holder[0].length < length) holder[0] = new float[length];
        return holder[0];
    }
}
