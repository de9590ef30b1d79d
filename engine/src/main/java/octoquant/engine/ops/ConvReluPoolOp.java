package octoquant.engine.ops;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Gemm;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.kernels.PoolPasses;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.param.Parameter;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.tensor.Shape;
import octoquant.engine.tensor.Tensor;

/**
 * {@code maxPool2x2(relu(conv2d(x)))} in one pass per image, the block the seed CNN is made of. Each
 * thread unfolds an image, multiplies it by the filters, and pools with the bias and ReLU
 * ({@link PoolPasses}, vectorised) while the convolution's output is still in its cache; the full-size
 * convolution and ReLU outputs never exist as tensors. The same values as the three ops one after another
 * (the same GEMM, bias, ReLU and first-maximum rule). A layer with enough input channels
 * ({@link Winograd3x3#usedFor}, the rule {@link Conv2dOp} follows too) runs as Winograd F(4×4, 3×3)
 * instead, forward and backward, a chunk of images at a time, pooling straight from the 4×4 output tiles
 * (values within the Winograd rounding of im2col + GEMM's; the gradients are the adjoint of that forward
 * computation, see {@link Winograd3x3}).
 *
 * <p>Threads claim images (and, in backward, image groups) one at a time, so a thread the machine slows
 * down leaves its share to the other instead of being waited for; what each image or group computes does
 * not depend on which thread takes it.
 *
 * <p>Buffers: the result's array comes from {@link Tensor#resultBuffer} (a container that never hands the
 * result out lets the next step reuse it), and in training the winners' buffer from the layer's pool, given
 * back at the end of backward; so a training step leaves next to no garbage.
 *
 * <p>im2col path: training keeps each window's winner (the member the pool took) and, when {@link #KEEP_COLUMNS},
 * every image's columns in a buffer the layer reuses from step to step ({@link ScratchPool}), so backward
 * does not unfold them again. Backward, per image: the convolution output's gradient rebuilt in a
 * per-thread buffer (each window's pooled gradient at its winner when the pooled value is positive, zero
 * elsewhere), then the image's share of the weight, bias and input gradients. Images are
 * handled in {@link Conv2dOp#WGRAD_GROUPS} fixed groups of consecutive images, each accumulating its
 * images in order, and the group sums are added in group order (the weight gradient the same way as
 * {@link Conv2dOp}), so results are bit-identical for any thread count. Inference keeps nothing and
 * notes no winners.
 *
 * <p>A first layer (the input needs no gradient, the weight is trained; {@link #sumsOverWinners}) trains in
 * pool order instead: the forward pass keeps only the winners, and backward sums the weight gradient over
 * each window's winner alone, from the input unfolded again one row per position. The full-size gradient
 * is zero away from the winners, so that is a quarter of the products, and neither the columns nor that
 * gradient are kept or built. The same output floats; the weight gradient is the same sum in another order
 * (within rounding of the other path's), the bias gradient the same floats.
 *
 * <p>Pool order with filters the GEMM reduces in one k-block (the seed CNN's first layer, in training and
 * inference) needs no columns at all: each image is cut into its phase planes and
 * {@link PoolPasses#convBiasReluPoolMembers} reads every tap's run from them in place, computing each
 * member as the GEMM's micro-kernel would and pooling in registers: the same floats and winners.
 *
 * <p>Fusable when the pool is 2×2 with stride 2 and the filters fit in one {@link WeightTiles} tile
 * (every layer of the seed CNN, packed or not); {@link #fusable} says so, otherwise run the three ops.
 */
public final class ConvReluPoolOp {
    /**
     * Keep the forward pass's columns for the weight gradient (system property
     * {@code octoquant.conv.keepColumns}, default true) instead of unfolding each image again in backward.
     */
    static final boolean KEEP_COLUMNS = Boolean.parseBoolean(System.getProperty("octoquant.conv.keepColumns", "true"));

    /**
     * Per-thread buffers: an image's columns, its convolution output (or gradient), its column gradient,
     * the pool-order unfolding's phase planes.
     */
    private static final ThreadLocal<float[][]> THREAD_BUFFERS = ThreadLocal.withInitial(() -> new float[4][0]);

    /** Per-thread int buffer: where each winner's row starts, in the winners-only backward. */
    private static final ThreadLocal<int[][]> THREAD_INT_BUFFER = ThreadLocal.withInitial(() -> new int[1][0]);

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

    /** {@link #forward(Tensor, Parameter, Parameter, int, int, WeightTiles, ScratchPool)} with fresh buffers. */
    public static Tensor forward(Tensor x, Parameter weight, Parameter bias, int stride, int pad, WeightTiles tiles) {
        return forward(x, weight, bias, stride, pad, tiles, ScratchPool.none());
    }

    /** @param columnPool the layer's pool for the kept columns (training with a trainable weight) */
    public static Tensor forward(Tensor x, Parameter weight, Parameter bias, int stride, int pad, WeightTiles tiles,
                                 ScratchPool columnPool) {
        Im2Col.Geometry geo = Conv2dOp.checkedGeometry(x, weight, bias, stride, pad);
        if (!fusable(x, weight, stride, pad, 2, 2)) {
            throw new IllegalArgumentException("convReluPool: input " + x.shape() + " and weight " + weight.name()
                    + " cannot be fused (check ConvReluPoolOp.fusable first and run conv2d, relu, maxPool2d)");
        }
        int n = x.dim(0), co = weight.shape()[0];
        int k = geo.rows(), p = geo.positions(), outH = geo.outH(), outW = geo.outW();
        int ph = outH / 2, pw = outW / 2, pooled = ph * pw;
        int inPlane = geo.channels() * geo.height() * geo.width(), colSize = k * p, convPlane = co * p, outPlane = co * pooled;

        boolean paramsNeedGrad = weight.trainable() || (bias != null && bias.trainable());
        boolean recording = Grad.isEnabled() && (paramsNeedGrad || x.requiresGrad());
        if (Winograd3x3.usedFor(geo)) return winograd(x, weight, bias, geo, tiles, columnPool, recording, paramsNeedGrad);
        // Columns in pool order where that gives the same floats, so each window's four members land in four
        // blocks of the convolution output and the pool is a lane-wise maximum of four runs: in inference,
        // and in training when only the parameters need a gradient (then summed over the winners only).
        boolean winnersOnly = recording && sumsOverWinners(x, weight, geo);
        boolean poolOrder = (!recording || winnersOnly) && poolOrderExact(geo);
        boolean keepCols = KEEP_COLUMNS && recording && weight.trainable() && !winnersOnly;
        float[] cols = keepCols ? columnPool.take(n * colSize) : null;
        int[] where = recording ? columnPool.takeInts(n * outPlane) : null;
        float[] xs = x.data();
        float[] out = Tensor.resultBuffer(n * outPlane);
        float[] bv = bias == null ? null : WeightTiles.smallVector(bias.computeWeights());
        PoolPasses passes = VectorizationProvider.get().poolPasses();
        WeightStorage w = weight.computeWeights();
        if (poolOrder && Gemm.reducesInOneBlock(k)) {
            // The same floats without the columns: each tap's run read from the phase planes in place. A
            // recorded pass in pool order is the winners-only one, so where is its winners (null in inference).
            int[] sources = Im2Col.poolOrderSources(geo);
            tiles.forEach(w, (wt, wOff, r0, rows) -> Parallel.forChunks(n, n, (s, e) -> {
                float[] phases = buffer(3, Im2Col.poolOrderScratch(geo));
                for (int i = s; i < e; i++) {
                    Im2Col.poolOrderPhases(xs, i * inPlane, geo, phases);
                    passes.convBiasReluPoolMembers(wt, wOff, co, k, phases, sources, pooled, bv, out, i * outPlane, where);
                }
            }));
        } else tiles.forEach(w, (wt, wOff, r0, rows) -> Parallel.forChunks(n, n, (s, e) -> {
            float[] col = keepCols ? cols : buffer(0, colSize), y = buffer(1, convPlane);
            float[] phases = poolOrder ? buffer(3, Im2Col.poolOrderScratch(geo)) : null;
            for (int i = s; i < e; i++) {
                int colOff = keepCols ? i * colSize : 0;
                if (poolOrder) Im2Col.im2colPoolOrder(xs, i * inPlane, geo, col, colOff, phases);
                else Im2Col.im2col(xs, i * inPlane, geo, col, colOff);
                Gemm.gemm(false, false, co, p, k, wt, wOff, k, col, colOff, p, y, 0, p, false);
                for (int c = 0; c < co; c++) {
                    float b = bv == null ? 0f : bv[c];
                    int o = i * outPlane + c * pooled;
                    if (winnersOnly) passes.biasReluPoolMembers(y, c * p, pooled, b, out, where, o);
                    else if (poolOrder) passes.biasReluPoolMembers(y, c * p, pooled, b, out, o);
                    else passes.biasReluPool(y, c * p, outW, ph, pw, b, out, where, o);
                }
            }
        }));
        if (winnersOnly) {
            return Tensor.fromOp("convReluPool", out, Shape.of(n, co, ph, pw), true, g -> {
                addWinnerGradients(passes, g, out, where, xs, geo, n, co, weight.grad(),
                        bias != null && bias.trainable() ? bias.grad() : null, columnPool);
                columnPool.giveInts(where);
            }, x).ownData();
        }
        return Tensor.fromOp("convReluPool", out, Shape.of(n, co, ph, pw), paramsNeedGrad, g -> {
            boolean needW = weight.trainable(), needB = bias != null && bias.trainable(), needX = x.requiresGrad();
            int groups = Math.min(n, Conv2dOp.WGRAD_GROUPS), wSize = co * k;
            // From the layer's pool: every group's first image overwrites its partial (accumulate = false).
            float[] partialW = needW ? columnPool.take(groups * wSize) : null;
            float[] partialB = needB ? new float[groups * co] : null;
            float[] gx = needX ? x.gradBuffer() : null;
            tiles.forEach(w, (wt, wOff, r0, rows) -> Parallel.forChunks(groups, groups, (s, e) -> {
                float[] col = keepCols ? cols : buffer(0, colSize), dy = buffer(1, convPlane), dcol = buffer(2, colSize);
                float[] sums = new float[co];
                for (int gi = s; gi < e; gi++) {
                    int first = (int) ((long) gi * n / groups), end = (int) ((long) (gi + 1) * n / groups);
                    for (int i = first; i < end; i++) {
                        scatterGradient(passes, g, out, where, i * outPlane, co, ph, pw, outH, outW, dy, sums);
                        if (needB) {
                            for (int c = 0; c < co; c++) {
                                partialB[gi * co + c] = i > first ? partialB[gi * co + c] + sums[c] : sums[c];
                            }
                        }
                        if (needW) {
                            int colOff = keepCols ? i * colSize : 0;
                            if (!keepCols) Im2Col.im2col(xs, i * inPlane, geo, col, 0);
                            Conv2dOp.addImageWeightGradient(dy, 0, col, colOff, co, k, p, partialW, gi * wSize, i > first);
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
            columnPool.give(partialW);
            columnPool.give(cols);
            columnPool.giveInts(where);
        }, x).ownData();
    }

    /**
     * Whether a recorded im2col pass takes the pool-order training path, whose backward sums the weight
     * gradient over the pool's winners ({@link #addWinnerGradients}): the weight is trained, the input
     * needs no gradient (a network's first layer) and pool order gives the same forward floats.
     */
    static boolean sumsOverWinners(Tensor x, Parameter weight, Im2Col.Geometry geo) {
        return weight.trainable() && !x.requiresGrad() && poolOrderExact(geo) && !Winograd3x3.usedFor(geo);
    }

    /**
     * Backward of the pool-order training path (only the parameters need a gradient): each image's weight
     * gradient summed over the windows' winners alone ({@link PoolPasses#addWinnerProducts}), from its
     * input unfolded again with one row per position ({@link PoolPasses#unfoldRowsPoolOrder}): a quarter
     * of the products of {@code dy · colsᵀ}, whose other terms are exact zeros, and neither the full-size
     * gradient nor the columns are kept or built. Images in {@link Conv2dOp#WGRAD_GROUPS} fixed groups,
     * each group's images in order into its partial, the groups added in order: bit-identical for any
     * thread count. The bias gradient is each image's channel sums of the passed gradient in window order,
     * the other path's sums ({@link #passedSums}). A NaN in the input reaches the weight gradient through the winners' terms
     * only, not through the zeros the full product would multiply it by.
     */
    private static void addWinnerGradients(PoolPasses passes, float[] g, float[] out, int[] where, float[] xs,
                                           Im2Col.Geometry geo, int n, int co, float[] dw, float[] db, ScratchPool pool) {
        int ci = geo.channels(), kh = geo.kh(), kw = geo.kw(), k = geo.rows(), inPlane = ci * geo.height() * geo.width();
        int ph = geo.outH() / 2, pw = geo.outW() / 2, pooled = ph * pw, outPlane = co * pooled;
        int rowStride = PoolPasses.rowStride(k), wSize = co * rowStride, wp = Im2Col.paddedWidth(geo);
        int groups = Math.min(n, Conv2dOp.WGRAD_GROUPS);
        float[] partialW = pool.take(groups * wSize);
        float[] partialB = db == null ? null : new float[groups * co];
        Parallel.forChunks(groups, groups, (s, e) -> {
            float[] xp = buffer(0, Im2Col.paddedChannelsLastSize(geo) + PoolPasses.UNFOLD_SLACK);
            float[] rows = buffer(2, 4 * pooled * rowStride + PoolPasses.UNFOLD_SLACK);
            float[] passed = buffer(1, outPlane), sums = new float[co];
            int[] rowAt = intBuffer(outPlane);
            for (int gi = s; gi < e; gi++) {
                int first = (int) ((long) gi * n / groups), end = (int) ((long) (gi + 1) * n / groups);
                java.util.Arrays.fill(partialW, gi * wSize, (gi + 1) * wSize, 0f);
                for (int i = first; i < end; i++) {
                    Im2Col.paddedChannelsLast(xs, i * inPlane, geo, xp);
                    passes.unfoldRowsPoolOrder(xp, wp, ci, kh, kw, ph, pw, rows, rowStride);
                    for (int c = 0; c < co; c++) {
                        passes.passedWinners(g, out, where, i * outPlane + c * pooled, pooled, 0, rowStride,
                                passed, rowAt, c * pooled);
                    }
                    passes.addWinnerProducts(passed, rowAt, 0, pooled, co, rows, rowStride, partialW, gi * wSize);
                    if (db != null) {
                        passedSums(passed, null, 0, 1, 0, pooled, 0, co, sums);
                        for (int c = 0; c < co; c++) partialB[gi * co + c] = i > first ? partialB[gi * co + c] + sums[c] : sums[c];
                    }
                }
            }
        });
        // Row position (i·kw + j)·ci + ch holds the weight's [ch][i][j].
        int taps = kh * kw;
        Parallel.forRange(co * k, 1024, (s, e) -> {
            for (int idx = s; idx < e; idx++) {
                int c = idx / k, ch = (idx % k) / taps, tap = idx % taps;
                int at = c * rowStride + tap * ci + ch;
                float sum = partialW[at];
                for (int gi = 1; gi < groups; gi++) sum += partialW[gi * wSize + at];
                dw[idx] += sum;
            }
        });
        if (db != null) addGroups(partialB, groups, co, db);
        pool.give(partialW);
    }

    /**
     * Whether a pass may unfold in pool order ({@link Im2Col#im2colPoolOrder}) and give the very floats
     * of the path that does not: even output sizes (no position dropped, so the same positions and column
     * count) and a GEMM that reduces every column alike ({@link Gemm#columnPermutationExact}), so each
     * output is the same product as there.
     */
    private static boolean poolOrderExact(Im2Col.Geometry geo) {
        return Im2Col.poolOrderApplies(geo) && geo.outH() % 2 == 0 && geo.outW() % 2 == 0
                && Gemm.columnPermutationExact(geo.positions());
    }

    /**
     * The block as Winograd F(4×4, 3×3) ({@link Winograd3x3}): the filters transformed once, each chunk of
     * images convolved and pooled straight from its tiles (a tile's 4×4 outputs hold whole pool windows),
     * so the full-size convolution output never exists. Training keeps the transformed input for the
     * weight gradient and the transformed filters for the input gradient, both from the layer's pool.
     */
    private static Tensor winograd(Tensor x, Parameter weight, Parameter bias, Im2Col.Geometry geo, WeightTiles tiles,
                                   ScratchPool pool, boolean recording, boolean paramsNeedGrad) {
        int n = x.dim(0), co = weight.shape()[0], ci = geo.channels();
        int ph = geo.outH() / 2, pw = geo.outW() / 2, pooled = ph * pw, outPlane = co * pooled;
        Winograd3x3.Plan plan = new Winograd3x3.Plan(n, geo, co);
        float[] out = Tensor.resultBuffer(n * outPlane);
        int[] where = recording ? pool.takeInts(n * outPlane) : null;
        float[] bv = bias == null ? null : WeightTiles.smallVector(bias.computeWeights());
        float[] u = Winograd3x3.filters(weight.computeWeights(), tiles, co, ci, pool, recording);
        float[] v = recording && weight.trainable() ? pool.take(plan.inputLength()) : null;
        Winograd3x3.forward(Winograd3x3.transforms(), plan, x.data(), 0, u, 0, v, Winograd3x3.pooled(bv, out, where));
        return Tensor.fromOp("convReluPool", out, Shape.of(n, co, ph, pw), paramsNeedGrad, g -> {
            boolean needW = weight.trainable(), needX = x.requiresGrad();
            if (bias != null && bias.trainable()) addPooledChannelSums(g, out, n, co, pooled, bias.grad());
            if (needW || needX) {
                // The forward kept V only when the weight is trained; backward reads it only then.
                Winograd3x3.backward(Winograd3x3.transforms(), plan, Winograd3x3.fromPool(g, out, where), v, u,
                        needW ? weight.grad() : null, x, pool);
                pool.give(v);
            }
            pool.give(u);
            pool.giveInts(where);
        }, x).ownData();
    }

    /**
     * {@code db[c] += Σ_{i, windows} (out > 0 ? g : 0)}: the bias gradient of a conv → ReLU → pool block,
     * channels in parallel, each summed over images and windows in order.
     */
    private static void addPooledChannelSums(float[] g, float[] out, int n, int co, int pooled, float[] db) {
        float[] sums = new float[co];
        Parallel.forRange(co, 8, (s, e) -> {
            passedSums(g, out, 0, n, co * pooled, pooled, s, e, sums);
            for (int c = s; c < e; c++) db[c] += sums[c];
        });
    }

    /**
     * The gradient of one image's convolution output {@code [co, outH·outW]}: each window's pooled
     * gradient at the window's winner when the pooled value is positive (the ReLU passed it), else 0.
     * {@code sums[c]} gets channel c's sum of that gradient, in window order (the bias gradient of this
     * image): a quarter of the additions of summing the full-size gradient.
     */
    private static void scatterGradient(PoolPasses passes, float[] g, float[] out, int[] where, int base, int co,
                                        int ph, int pw, int outH, int outW, float[] dy, float[] sums) {
        int p = outH * outW, pooled = ph * pw;
        for (int c = 0; c < co; c++) passes.scatterWinners(g, out, where, base + c * pooled, outH, outW, dy, c * p);
        passedSums(g, out, base, 1, 0, pooled, 0, co, sums);
    }

    /**
     * {@code sums[c]} = channel c's sum of the gradient the ReLU passed, for c in [from, to): over
     * {@code images} images (image i's channel c at {@code base + i·imageStride + c·pooled}) and their
     * windows, in that order. Eight channels side by side (eight independent chains of additions, which a
     * core's adders keep busy where four left them waiting on each sum), then one at a time; a window
     * the ReLU stopped adds +0 instead of being skipped, without a branch on the random sign: the same sum,
     * which starts at +0 and so is never −0, the one value +0 would change. {@code out} null: {@code g} is
     * the passed gradient already (as {@link PoolPasses#passedWinners} writes it), summed as it is; the
     * same floats as masking the pooled gradient it came from.
     */
    private static void passedSums(float[] g, float[] out, int base, int images, int imageStride, int pooled,
                                   int from, int to, float[] sums) {
        int c = from;
        for (; c + 8 <= to; c += 8) {
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
            for (int i = 0; i < images; i++) {
                int o0 = base + i * imageStride + c * pooled, o1 = o0 + pooled, o2 = o1 + pooled, o3 = o2 + pooled;
                int o4 = o3 + pooled, o5 = o4 + pooled, o6 = o5 + pooled, o7 = o6 + pooled;
                for (int j = 0; j < pooled; j++) {
                    s0 += out == null ? g[o0 + j] : passedGradient(g[o0 + j], out[o0 + j]);
                    s1 += out == null ? g[o1 + j] : passedGradient(g[o1 + j], out[o1 + j]);
                    s2 += out == null ? g[o2 + j] : passedGradient(g[o2 + j], out[o2 + j]);
                    s3 += out == null ? g[o3 + j] : passedGradient(g[o3 + j], out[o3 + j]);
                    s4 += out == null ? g[o4 + j] : passedGradient(g[o4 + j], out[o4 + j]);
                    s5 += out == null ? g[o5 + j] : passedGradient(g[o5 + j], out[o5 + j]);
                    s6 += out == null ? g[o6 + j] : passedGradient(g[o6 + j], out[o6 + j]);
                    s7 += out == null ? g[o7 + j] : passedGradient(g[o7 + j], out[o7 + j]);
                }
            }
            sums[c] = s0;
            sums[c + 1] = s1;
            sums[c + 2] = s2;
            sums[c + 3] = s3;
            sums[c + 4] = s4;
            sums[c + 5] = s5;
            sums[c + 6] = s6;
            sums[c + 7] = s7;
        }
        for (; c < to; c++) {
            float sum = 0f;
            for (int i = 0; i < images; i++) {
                int o = base + i * imageStride + c * pooled;
                for (int j = 0; j < pooled; j++) sum += out == null ? g[o + j] : passedGradient(g[o + j], out[o + j]);
            }
            sums[c] = sum;
        }
    }

    /** {@code pooledValue > 0 ? grad : +0f} without a branch: grad's bits masked (NaN is not positive). */
    private static float passedGradient(float grad, float pooledValue) {
        int bits = Float.floatToRawIntBits(pooledValue);
        // Positive: 0 < bits <= bits of +infinity, as signed ints.
        int positive = ~(((bits - 1) | (0x7F800000 - bits)) >> 31);
        return Float.intBitsToFloat(Float.floatToRawIntBits(grad) & positive);
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

    private static int[] intBuffer(int length) {
        int[][] b = THREAD_INT_BUFFER.get();
        if (b[0].length < length) b[0] = new int[length];
        return b[0];
    }

    private static float[] buffer(int slot, int length) {
        float[][] b = THREAD_BUFFERS.get();
        if (b[slot].length < length) b[slot] = new float[length];
        return b[slot];
    }
}
