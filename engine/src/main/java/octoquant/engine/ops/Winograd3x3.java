package octoquant.engine.ops;

import octoquant.engine.kernels.Gemm;
import octoquant.engine.kernels.Kernels;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.kernels.WinogradTransforms;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 3×3, stride-1 convolution (cross-correlation, as PyTorch) by Winograd's F(4×4, 3×3), forward and
 * backward: 4× fewer multiplications than im2col + GEMM in each of the three products. Each 4×4 block of
 * outputs ("tile") is computed from the 6×6 input patch under it; filters and patches are transformed
 * into a 6×6 grid of 36 "frequencies", each frequency's channel sum is one GEMM on {@link Gemm}, and the
 * results are transformed back ({@link WinogradTransforms} has the matrices).
 *
 * <p>Backward is the adjoint of the forward computation, not a second convolution: the output gradient's
 * tiles are transformed once ({@code dM = A dY Aᵀ}), chunk by chunk; per frequency, the filter gradient is
 * {@code dU = dM · Vᵀ} with the forward's transformed input V (kept from the forward pass, so the input is
 * never unfolded again) and the transformed input gradient {@code dV = Uᵀ · dM}; then
 * {@code dg = Gᵀ dU G} per filter and {@code dD = B dV Bᵀ} per patch, the overlapping patches added into
 * the input gradient. In exact arithmetic all three are the convolution's values and gradients.
 *
 * <p>Layouts (a chunk's tiles t = image·tilesPerImage + th·tilesW + tw; every buffer holds 36
 * frequency-major matrices): transformed filters {@code U[ξ][co][ci]}; per chunk of images, transformed
 * input {@code V[ξ][ci][t]}, products {@code M[ξ][co][t]} and output-gradient transform {@code dM[ξ][co][t]};
 * the transformed input kept for backward, tiles outer, {@code Vᵀ[chunk][ξ][t][ci]} ({@link Plan#keptAt}).
 * Tiles past the output (a size that is not a multiple of 4) are computed and dropped; their gradient is
 * zero.
 *
 * <p>Accuracy: the transforms scale values by up to 10 (input) and 19 (output), so the rounding error is a
 * larger multiple of ε than a dot product's, about 1e-6 relative on random data; bounded and measured
 * against double precision in {@code Winograd3x3Test}. Non-finite inputs: a NaN reaches the outputs whose
 * tile patch holds it (a tile's outputs mix its whole 6×6 patch), and an infinity may come out as NaN.
 *
 * <p>Determinism: images are cut into chunks that depend only on the shape ({@link #imagesPerChunk});
 * chunks, and in backward the 36 frequencies, run in parallel through {@link Parallel}, and every element
 * is computed by one thread in a fixed order ({@link Gemm} reduces each element in order; a frequency's
 * filter gradient is each chunk's product, summed over the chunks in their order). So results are
 * bit-identical for any thread count.
 */
public final class Winograd3x3 {
    private static final int F = WinogradTransforms.FREQUENCIES;
    private static final int OUT = WinogradTransforms.OUTPUTS;
    private static final int WIN = WinogradTransforms.WINDOWS;
    /** Tiles per chunk to aim for: a chunk's V and M (36·(ci + co)·T floats) stay in a core's L2. */
    static final int TARGET_TILES = 64;

    /**
     * Per-thread buffers: patches, products, tile outputs/gradients, pooled values, pool codes, padded plane,
     * one frequency's filter-gradient block on its way into dU.
     */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[7][0]);
    private static final ThreadLocal<int[][]> INT_BUFFERS = ThreadLocal.withInitial(() -> new int[1][0]);

    private Winograd3x3() {}

    /** The tile transforms in use, fixed on first use (the provider decides once per JVM). */
    private static final class Tiles {
        static final WinogradTransforms ACTIVE = VectorizationProvider.get().winogradTransforms();
    }

    /** The tile transforms the ops run: the provider's ({@link VectorizationProvider#winogradTransforms}). */
    static WinogradTransforms transforms() {
        return Tiles.ACTIVE;
    }

    /** True when this kernel computes the convolution: a 3×3 kernel with stride 1 (any padding ≥ 0). */
    public static boolean supports(int kh, int kw, int stride, int pad) {
        return kh == 3 && kw == 3 && stride == 1 && pad >= 0;
    }

    /**
     * Fewest input channels for which a layer runs as Winograd ({@link #usedFor}); system property
     * {@code octoquant.conv.winogradMinChannels} (default 16; 0 = wherever supported, a large value =
     * never). Why 16: {@code docs/decisions.md}.
     */
    static final int MIN_CHANNELS = Integer.getInteger("octoquant.conv.winogradMinChannels", 16);

    /**
     * The one rule both convolution ops ({@link Conv2dOp}, {@link ConvReluPoolOp}) follow: a layer runs
     * as Winograd, forward and backward, when the kernel {@link #supports} the geometry and the layer has
     * at least {@link #MIN_CHANNELS} input channels, whatever the weight's storage (a packed weight is
     * decoded a tile of rows at a time into the transformed filters).
     */
    static boolean usedFor(Im2Col.Geometry geo) {
        return geo.channels() >= MIN_CHANNELS && supports(geo.kh(), geo.kw(), geo.stride(), geo.pad());
    }

    /**
     * Length of a transformed-filter buffer for {@code rows × cols} 3×3 filters: 36 matrices of
     * {@code rows × cols}, {@link #filterStride} apart.
     */
    public static int filterLength(int rows, int cols) {
        return Math.multiplyExact(F, filterStride(rows, cols));
    }

    /** Floats between consecutive frequencies of a transformed-filter buffer ({@code rows·cols}, skewed). */
    static int filterStride(int rows, int cols) {
        return skewed(Math.multiplyExact(rows, cols));
    }

    /** Output height or width of a 3×3 stride-1 convolution: {@code size + 2·pad − 2}. */
    public static int outputSize(int size, int pad) {
        return size + 2 * pad - 2;
    }

    /**
     * Images transformed and multiplied together (the last chunk of a batch may be smaller); shape only:
     * about {@link #TARGET_TILES} tiles, and at least ci tiles, so that a chunk's filter-gradient partial
     * ({@code 36·co·ci} floats) is never larger than the chunk's output-gradient transform
     * ({@code 36·co·tiles}): the partials of a batch take no more memory than a whole-batch dM would, and
     * one chunk's partial.
     */
    public static int imagesPerChunk(int ci, int h, int w, int pad) {
        int tiles = Math.max(1, ((outputSize(h, pad) + 3) / 4) * ((outputSize(w, pad) + 3) / 4));
        return Math.max(Math.max(1, TARGET_TILES / tiles), (ci + tiles - 1) / tiles);
    }

    /** One layer's geometry over a batch: tiles, chunks and the padded plane the patches are read from. */
    static final class Plan {
        final int n, ci, co, h, w, pad, outH, outW, tilesH, tilesW, tilesPerImage, imagesPerChunk, chunks, tiles;
        /** The padded plane: {@code (4·tilesH + 2) × (4·tilesW + 2)}, pixel (r, c) at row r + pad, column c + pad. */
        final int planeH, planeW;
        /** Where each tile of an image starts: its patch in the padded plane, its windows in the pooled plane. */
        final int[] patchOrigins, poolOrigins;
        /** True when the 2×2 pool windows of every tile lie inside the pooled output (both sizes multiples of 4). */
        final boolean poolExact;
        /** Tiles of a full chunk: the stride of a chunk's pooled streams ({@link #pooled}). */
        final int chunkTiles;
        /**
         * When {@link #poolExact}: for each pixel q of an image's pooled plane (row-major), where its value is
         * among the chunk's pooled streams from the image's first tile, {@code window·chunkTiles + tile}; else null.
         */
        final int[] pooledSources;

        Plan(int n, int ci, int co, int h, int w, int pad) {
            this.n = n;
            this.ci = ci;
            this.co = co;
            this.h = h;
            this.w = w;
            this.pad = pad;
            outH = outputSize(h, pad);
            outW = outputSize(w, pad);
            if (n < 0 || ci < 1 || co < 1 || h < 1 || w < 1 || pad < 0 || outH < 1 || outW < 1) {
                throw new IllegalArgumentException("winograd3x3: bad shape n=" + n + " ci=" + ci + " co=" + co
                        + " h=" + h + " w=" + w + " pad=" + pad
                        + " (need n ≥ 0, channels, sizes ≥ 1, pad ≥ 0 and an output of at least 1×1)");
            }
            tilesH = (outH + 3) / 4;
            tilesW = (outW + 3) / 4;
            tilesPerImage = tilesH * tilesW;
            imagesPerChunk = Math.min(Math.max(1, n), imagesPerChunk(ci, h, w, pad));
            chunks = (n + imagesPerChunk - 1) / imagesPerChunk;
            tiles = Math.multiplyExact(n, tilesPerImage);
            planeH = 4 * tilesH + 2;
            planeW = 4 * tilesW + 2;
            patchOrigins = new int[tilesPerImage];
            poolOrigins = new int[tilesPerImage];
            for (int th = 0; th < tilesH; th++) {
                for (int tw = 0; tw < tilesW; tw++) {
                    patchOrigins[th * tilesW + tw] = 4 * th * planeW + 4 * tw;
                    poolOrigins[th * tilesW + tw] = 2 * th * (outW / 2) + 2 * tw;
                }
            }
            poolExact = outH % 4 == 0 && outW % 4 == 0;
            chunkTiles = imagesPerChunk * tilesPerImage;
            int ph = outH / 2, pw = outW / 2;
            pooledSources = poolExact ? new int[ph * pw] : null;
            for (int q = 0; poolExact && q < ph * pw; q++) {
                int pr = q / pw, pc = q % pw;
                pooledSources[q] = (2 * (pr & 1) + (pc & 1)) * chunkTiles + (pr >> 1) * tilesW + (pc >> 1);
            }
        }

        Plan(int n, Im2Col.Geometry geo, int co) {
            this(n, geo.channels(), co, geo.height(), geo.width(), geo.pad());
        }

        int firstImage(int chunk) {
            return chunk * imagesPerChunk;
        }

        int images(int chunk) {
            return Math.min(imagesPerChunk, n - firstImage(chunk));
        }

        /** Floats of the transformed input kept for backward, {@code Vᵀ[chunk][36][t][ci]} (see {@link #keptAt}). */
        int inputLength() {
            return Math.multiplyExact(Math.multiplyExact(chunks, F), Math.multiplyExact(chunkTiles, ci));
        }

        /**
         * Where frequency f of chunk {@code chunk} starts in the kept transformed input: its tiles' rows of ci
         * values, one after another ({@code Vᵀ[t][ci]}); chunks a full chunk's size apart.
         */
        int keptAt(int chunk, int f) {
            return (chunk * F + f) * chunkTiles * ci;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Filters

    /**
     * Transforms filters {@code w[co][ci][3][3]} (from {@code wOff}) into {@code u[uOff ..]}, laid out
     * {@code [36][co][ci]} ({@link #filterLength}(co, ci) floats, frequency f's matrix at
     * {@code f·filterStride(co, ci)}). Each {@code G g Gᵀ} is computed in double and rounded once.
     */
    public static void transformFilters(float[] w, int wOff, int co, int ci, float[] u, int uOff) {
        if (co < 1 || ci < 1) {
            throw new IllegalArgumentException("winograd3x3 transformFilters: co=" + co + " ci=" + ci + " (need at least 1 each)");
        }
        checkRange("filters w", w.length, wOff, 9L * co * ci);
        checkRange("transformed filters u", u.length, uOff, (long) filterLength(co, ci));
        transformFilterRows(w, wOff, 0, co, co, ci, u, uOff);
    }

    /**
     * A weight storage's filters ({@code co × ci·9}) transformed into {@code u} as
     * {@link #transformFilters(float[], int, int, int, float[], int)} lays them out, read through
     * {@code tiles}: an fp32 weight in place, a packed one decoded a tile of rows at a time, so the values
     * are the same as transforming the decoded weight.
     */
    static void transformFilters(WeightStorage w, WeightTiles tiles, int co, int ci, float[] u) {
        if (w.rows() != co || w.cols() != 9 * ci) {
            throw new IllegalArgumentException("winograd3x3: weight storage " + w.rows() + "x" + w.cols()
                    + " is not " + co + " filters of " + ci + " channels × 3×3");
        }
        checkRange("transformed filters u", u.length, 0, (long) filterLength(co, ci));
        tiles.forEach(w, (wt, wOff, r0, rows) -> transformFilterRows(wt, wOff, r0, rows, co, ci, u, 0));
    }

    /**
     * A layer's transformed filters for one forward pass: when recording (training), a buffer from the
     * layer's pool the caller gives back after backward; otherwise the layer's cache
     * ({@link WinogradFilterCache}), transformed again only when the weight changed. The same values either way.
     */
    static float[] filters(WeightStorage w, WeightTiles tiles, int co, int ci, ScratchPool pool, boolean recording) {
        if (!recording) return tiles.winogradFilters.lookup(w, tiles, co, ci);
        float[] u = pool.take(filterLength(co, ci));
        transformFilters(w, tiles, co, ci, u);
        return u;
    }

    /**
     * Filters {@code row0 .. row0 + rows − 1} of co, read from {@code w[wOff ..]}, into their places of u;
     * the filters are split among {@link Parallel}'s threads (each is transformed alone: the same values).
     */
    private static void transformFilterRows(float[] w, int wOff, int row0, int rows, int co, int ci, float[] u, int uOff) {
        Parallel.forRange(rows, Math.max(1, FILTERS_PER_THREAD / ci), (s, e) -> transformFilterRange(w, wOff, row0, s, e, co, ci, u, uOff));
    }

    /** Fewest filters (3×3, one per output and input channel) worth a thread of their own. */
    private static final int FILTERS_PER_THREAD = 256;

    private static void transformFilterRange(float[] w, int wOff, int row0, int from, int to, int co, int ci, float[] u, int uOff) {
        int stride = filterStride(co, ci);
        double[] gg = new double[18];
        for (int o = from; o < to; o++) {
            for (int c = 0; c < ci; c++) {
                int g = wOff + (o * ci + c) * 9;
                // G·g (6×3): rows of G applied to the columns of g.
                for (int col = 0; col < 3; col++) {
                    double g0 = w[g + col], g1 = w[g + 3 + col], g2 = w[g + 6 + col];
                    gRows(g0, g1, g2, gg, col, 3);
                }
                // (G·g)·Gᵀ: the same on each of the 6 rows.
                int at = uOff + (row0 + o) * ci + c;
                for (int r = 0; r < 6; r++) {
                    double a0 = gg[3 * r], a1 = gg[3 * r + 1], a2 = gg[3 * r + 2];
                    double s = a0 + a2;
                    u[at + (6 * r) * stride] = (float) (a0 * 0.25);
                    u[at + (6 * r + 1) * stride] = (float) ((s + a1) * -SIXTH);
                    u[at + (6 * r + 2) * stride] = (float) ((s - a1) * -SIXTH);
                    u[at + (6 * r + 3) * stride] = (float) ((a0 + 2 * a1 + 4 * a2) * TWENTY_FOURTH);
                    u[at + (6 * r + 4) * stride] = (float) ((a0 - 2 * a1 + 4 * a2) * TWENTY_FOURTH);
                    u[at + (6 * r + 5) * stride] = (float) a2;
                }
            }
        }
    }

    /** 1/6, 1/12 and 1/24 in double: the transforms multiply by them (a division costs several times more). */
    private static final double SIXTH = 1.0 / 6, TWELFTH = 1.0 / 12, TWENTY_FOURTH = 1.0 / 24;

    /** {@code G·(g0, g1, g2)}: six values into {@code out[at + k·step]}. */
    private static void gRows(double g0, double g1, double g2, double[] out, int at, int step) {
        double s = g0 + g2;
        out[at] = g0 * 0.25;
        out[at + step] = (s + g1) * -SIXTH;
        out[at + 2 * step] = (s - g1) * -SIXTH;
        out[at + 3 * step] = (g0 + 2 * g1 + 4 * g2) * TWENTY_FOURTH;
        out[at + 4 * step] = (g0 - 2 * g1 + 4 * g2) * TWENTY_FOURTH;
        out[at + 5 * step] = g2;
    }

    /**
     * The filter gradient from its transform: {@code dw[o][c][3×3] += Gᵀ dU[·][o][c] G} for dU laid out
     * {@code [36][co][ci]}, in double, rounded once per element before the addition.
     */
    static void addFilterGradient(float[] dU, int co, int ci, float[] dw) {
        int stride = filterStride(co, ci);
        Parallel.forRange(co, 4, (s, e) -> {
            double[] t = new double[18], col = new double[3];
            for (int o = s; o < e; o++) {
                for (int c = 0; c < ci; c++) {
                    int at = o * ci + c;
                    // dU·G (6×3): each row of dU times G.
                    for (int r = 0; r < 6; r++) {
                        int q = at + 6 * r * stride;
                        double x0 = dU[q], x1 = dU[q + stride], x2 = dU[q + 2 * stride];
                        double x3 = dU[q + 3 * stride], x4 = dU[q + 4 * stride], x5 = dU[q + 5 * stride];
                        gTransposedRow(x0, x1, x2, x3, x4, x5, t, 3 * r, 1);
                    }
                    // Gᵀ·(dU·G) (3×3): each column the same way.
                    int d = (o * ci + c) * 9;
                    for (int j = 0; j < 3; j++) {
                        gTransposedRow(t[j], t[3 + j], t[6 + j], t[9 + j], t[12 + j], t[15 + j], col, 0, 1);
                        for (int i = 0; i < 3; i++) dw[d + 3 * i + j] += (float) col[i];
                    }
                }
            }
        });
    }

    /** {@code Gᵀ·(x0..x5)}: three values into {@code out[at + k·step]}. */
    private static void gTransposedRow(double x0, double x1, double x2, double x3, double x4, double x5,
                                       double[] out, int at, int step) {
        double s12 = x1 + x2, d12 = x2 - x1, s34 = x3 + x4, d34 = x3 - x4;
        out[at] = x0 * 0.25 - s12 * SIXTH + s34 * TWENTY_FOURTH;
        out[at + step] = d12 * SIXTH + d34 * TWELFTH;
        out[at + 2 * step] = (s34 - s12) * SIXTH + x5;
    }

    // ------------------------------------------------------------------------------------------------
    // Forward

    /**
     * What a forward pass does with a chunk's products {@code M[36][co][tc]}, frequency f's matrix at
     * {@code m[f·mStride ..]} (scratch: may be overwritten).
     */
    @FunctionalInterface
    interface Epilogue {
        void finish(WinogradTransforms k, Plan p, int firstImage, int images, float[] m, int tc, int mStride);
    }

    /**
     * The forward pass over the batch: per chunk of images (in parallel), the input transform into a
     * per-thread buffer, copied tiles outer into {@code vKeep} for backward when it is not null
     * ({@link Plan#keptAt}); the 36 products; then {@code epilogue} on the chunk's products on the same thread.
     */
    static void forward(WinogradTransforms k, Plan p, float[] x, int xOff, float[] u, int uOff, float[] vKeep,
                        Epilogue epilogue) {
        checkRange("input x", x.length, xOff, (long) p.n * p.ci * p.h * p.w);
        checkRange("transformed filters u", u.length, uOff, (long) filterLength(p.co, p.ci));
        if (vKeep != null) checkRange("transformed input V", vKeep.length, 0, p.inputLength());
        if (p.n == 0) return;
        int uStride = filterStride(p.co, p.ci);
        Parallel.forChunks(p.chunks, p.chunks, (s, e) -> {
            for (int chunk = s; chunk < e; chunk++) {
                int first = p.firstImage(chunk), images = p.images(chunk), tc = images * p.tilesPerImage;
                int vStride = chunkInputStride(p, tc), mStride = skewed(p.co * tc);
                float[] v = transformChunk(k, p, x, xOff, chunk, vKeep);
                float[] m = buffer(2, F * mStride);
                for (int f = 0; f < F; f++) {
                    Gemm.gemm(false, false, p.co, tc, p.ci, u, uOff + f * uStride, p.ci,
                            v, f * vStride, tc, m, f * mStride, tc, false);
                }
                epilogue.finish(k, p, first, images, m, tc, mStride);
            }
        });
    }

    /** Floats between the frequencies of a chunk's transformed input of {@code tc} tiles ({@link #transformChunk}). */
    private static int chunkInputStride(Plan p, int tc) {
        return skewed(Math.multiplyExact(p.ci, tc));
    }

    /**
     * A chunk's transformed input {@code V[36][ci][tc]} (frequencies {@link #chunkInputStride} apart) in a
     * per-thread buffer, which it returns; when {@code vKeep} is not null, also copied there tiles outer for
     * backward ({@link Plan#keptAt}), while it is in cache.
     */
    private static float[] transformChunk(WinogradTransforms k, Plan p, float[] x, int xOff, int chunk, float[] vKeep) {
        int first = p.firstImage(chunk), images = p.images(chunk), tc = images * p.tilesPerImage;
        int vStride = chunkInputStride(p, tc);
        float[] v = buffer(1, F * vStride);
        transformInput(k, p, x, xOff + first * p.ci * p.h * p.w, images, v, vStride);
        if (vKeep != null) {
            for (int f = 0; f < F; f++) k.transposeTiles(v, f * vStride, tc, p.ci, tc, vKeep, p.keptAt(chunk, f));
        }
        return v;
    }

    /**
     * A chunk's input transform: channel by channel, its images' patches gathered, then {@code V = Bᵀ D B}
     * into v (channel c's row of frequency f at {@code f·vStride + c·tc}).
     */
    private static void transformInput(WinogradTransforms k, Plan p, float[] x, int xOff, int images,
                                       float[] v, int vStride) {
        int tpi = p.tilesPerImage, tc = images * tpi, planeSize = p.planeH * p.planeW;
        float[] d = buffer(0, F * tc);
        float[] plane = buffer(5, planeSize);
        Arrays.fill(plane, 0, planeSize, 0f); // the padding; the image's pixels are overwritten below
        for (int c = 0; c < p.ci; c++) {
            for (int img = 0; img < images; img++) {
                k.copyRows(x, xOff + (img * p.ci + c) * p.h * p.w, p.w, p.h, plane, p.pad * p.planeW + p.pad, p.planeW);
                k.gatherPatches(plane, p.planeW, p.patchOrigins, tpi, d, img * tpi, tc);
            }
            k.input(d, 0, tc, v, c * tc, vStride, tc);
        }
    }

    /** An epilogue that writes the convolution output {@code y[n][co][outH][outW]} (plus the bias when not null). */
    static Epilogue planes(float[] y, int yOff, float[] bias, boolean accumulate) {
        return (k, p, first, images, m, tc, mStride) -> {
            float[] tile = buffer(3, OUT * tc);
            int plane = p.outH * p.outW;
            for (int o = 0; o < p.co; o++) {
                k.output(m, o * tc, mStride, tile, 0, tc, tc);
                float b = bias == null ? 0f : bias[o];
                for (int img = 0; img < images; img++) {
                    int base = yOff + ((first + img) * p.co + o) * plane, t0 = img * p.tilesPerImage;
                    for (int th = 0; th < p.tilesH; th++) {
                        int rows = Math.min(4, p.outH - 4 * th);
                        for (int i = 0; i < rows; i++) {
                            int dst = base + (4 * th + i) * p.outW;
                            for (int tw = 0; tw < p.tilesW; tw++) {
                                int cols = Math.min(4, p.outW - 4 * tw), src = (4 * i) * tc + t0 + th * p.tilesW + tw;
                                for (int j = 0; j < cols; j++) {
                                    float val = bias == null ? tile[src + j * tc] : tile[src + j * tc] + b;
                                    if (accumulate) y[dst + 4 * tw + j] += val;
                                    else y[dst + 4 * tw + j] = val;
                                }
                            }
                        }
                    }
                }
            }
        };
    }

    /**
     * An epilogue that applies bias, ReLU and a 2×2 stride-2 max-pool and writes the pooled output
     * {@code out[n][co][outH/2][outW/2]} and, when {@code where} is not null, each window's winner (0..3,
     * row-major), as {@link octoquant.engine.kernels.PoolPasses#biasReluPool} defines them. A tile's 4×4 outputs hold whole windows.
     */
    static Epilogue pooled(float[] bias, float[] out, int[] where) {
        return (k, p, first, images, m, tc, mStride) -> {
            // The pooled streams a full chunk's tiles apart, in every chunk: the plan's pooledSources then fit all.
            int ps = p.chunkTiles;
            float[] tile = buffer(3, OUT * tc), pooled = buffer(4, WIN * ps);
            int[] codes = intBuffer(WIN * ps);
            int ph = p.outH / 2, pw = p.outW / 2, plane = ph * pw;
            for (int o = 0; o < p.co; o++) {
                k.output(m, o * tc, mStride, tile, 0, tc, tc);
                k.biasReluPool(tile, 0, tc, bias == null ? 0f : bias[o], pooled, codes, 0, ps, tc);
                for (int img = 0; img < images; img++) {
                    int base = ((first + img) * p.co + o) * plane, t0 = img * p.tilesPerImage;
                    if (p.poolExact) {
                        k.gatherPooled(pooled, codes, t0, p.pooledSources, plane, out, where, base);
                        continue;
                    }
                    for (int th = 0; th < p.tilesH; th++) {
                        for (int pi = 0; pi < 2 && 2 * th + pi < ph; pi++) {
                            int dst = base + (2 * th + pi) * pw;
                            for (int tw = 0; tw < p.tilesW; tw++) {
                                int src = (2 * pi) * ps + t0 + th * p.tilesW + tw;
                                for (int pj = 0; pj < 2 && 2 * tw + pj < pw; pj++) {
                                    out[dst + 2 * tw + pj] = pooled[src + pj * ps];
                                    if (where != null) where[dst + 2 * tw + pj] = codes[src + pj * ps];
                                }
                            }
                        }
                    }
                }
            }
        };
    }

    // ------------------------------------------------------------------------------------------------
    // Backward

    /**
     * Fills the output gradient of a chunk's tiles, every output channel: channel o's
     * {@code dy[(4i + j)·stride + o·tc + t]} (stride at least co·tc), 0 past the output. Image by image,
     * channel by channel, so the source's planes are read in memory order.
     */
    @FunctionalInterface
    interface GradientSource {
        void fill(WinogradTransforms k, Plan p, int firstImage, int images, float[] dy, int tc, int stride);
    }

    /** The output gradient read from {@code g[n][co][outH][outW]}. */
    static GradientSource fromPlanes(float[] g, int gOff) {
        return (k, p, first, images, dy, tc, stride) -> {
            int plane = p.outH * p.outW;
            for (int img = 0; img < images; img++) {
                for (int o = 0; o < p.co; o++) {
                    int base = gOff + ((first + img) * p.co + o) * plane, t0 = o * tc + img * p.tilesPerImage;
                    for (int th = 0; th < p.tilesH; th++) {
                        for (int i = 0; i < 4; i++) {
                            int r = 4 * th + i, src = base + r * p.outW;
                            for (int tw = 0; tw < p.tilesW; tw++) {
                                int t = t0 + th * p.tilesW + tw, dst = 4 * i * stride + t;
                                for (int j = 0; j < 4; j++) {
                                    int col = 4 * tw + j;
                                    dy[dst + j * stride] = r < p.outH && col < p.outW ? g[src + col] : 0f;
                                }
                            }
                        }
                    }
                }
            }
        };
    }

    /**
     * The gradient of a convolution output that went through bias, ReLU and a 2×2 pool: each window's
     * pooled gradient {@code g} at the window's winner when the pooled value {@code out} is positive (the
     * ReLU passed it), 0 elsewhere and past the pooled output.
     */
    static GradientSource fromPool(float[] g, float[] out, int[] where) {
        return (k, p, first, images, dy, tc, stride) -> {
            int ph = p.outH / 2, pw = p.outW / 2, plane = ph * pw;
            // Both paths write all four members of every window of every tile: the 16 streams need no zeroing.
            for (int img = 0; img < images; img++) {
                for (int o = 0; o < p.co; o++) {
                    int base = ((first + img) * p.co + o) * plane, t0 = o * tc + img * p.tilesPerImage;
                    if (p.poolExact) {
                        k.gatherPoolGradient(g, out, where, base, pw, p.poolOrigins, p.tilesPerImage, dy, t0, stride);
                        continue;
                    }
                    for (int th = 0; th < p.tilesH; th++) {
                        for (int tw = 0; tw < p.tilesW; tw++) {
                            int t = t0 + th * p.tilesW + tw;
                            for (int w = 0; w < WIN; w++) {
                                int r = 2 * th + (w >> 1), q = 2 * tw + (w & 1);
                                float grad = 0f;
                                int at = 0;
                                if (r < ph && q < pw) {
                                    int idx = base + r * pw + q;
                                    grad = out[idx] > 0f ? g[idx] : 0f;
                                    at = where[idx];
                                }
                                int top = (8 * (w >> 1) + 2 * (w & 1)) * stride + t;
                                dy[top] = at == 0 ? grad : 0f;
                                dy[top + stride] = at == 1 ? grad : 0f;
                                dy[top + 4 * stride] = at == 2 ? grad : 0f;
                                dy[top + 5 * stride] = at == 3 ? grad : 0f;
                            }
                        }
                    }
                }
            }
        };
    }

    /**
     * {@link #backward} for an op whose input is {@code x}: into x's gradient when x needs one (set when no
     * other closure has written it yet, {@link Tensor#freshGradBuffer}; else added into) and into dw when
     * dw is not null. The filters u start at 0.
     */
    static void backward(WinogradTransforms k, Plan p, GradientSource source, float[] v, float[] u, float[] dw,
                         Tensor x, ScratchPool pool) {
        float[] fresh = x.requiresGrad() ? x.freshGradBuffer() : null;
        float[] dx = fresh != null ? fresh : x.requiresGrad() ? x.gradBuffer() : null;
        backward(k, p, source, v, u, 0, dw, dx, 0, fresh != null, pool);
    }

    /**
     * The backward pass over the batch: {@code dw[co][ci·9] += ∂/∂w} when dw is not null and
     * {@code dx[n][ci][h][w] += ∂/∂x} when dx is not null (with {@code dxFresh}, {@code dx = +0 + ∂/∂x}:
     * dx's old contents are neither read nor kept), from the output gradient {@code source} gives,
     * the forward's transformed input {@code v} (kept by {@link #forward}, read only; needed, and read,
     * only when dw is not null) and the transformed filters u. Both gradients are computed chunk by chunk
     * while the chunk's dM is in cache: each chunk's filter-gradient products go to its own partial sum
     * (from {@code pool}), and the partials are added in chunk order at the end.
     */
    static void backward(WinogradTransforms k, Plan p, GradientSource source, float[] v, float[] u, int uOff,
                         float[] dw, float[] dx, int dxOff, boolean dxFresh, ScratchPool pool) {
        if (dw != null) checkRange("transformed input V", v == null ? 0 : v.length, 0, p.inputLength());
        checkRange("transformed filters u", u.length, uOff, (long) filterLength(p.co, p.ci));
        if (dx != null) checkRange("input gradient dx", dx.length, dxOff, (long) p.n * p.ci * p.h * p.w);
        if (dw != null) checkRange("filter gradient dw", dw.length, 0, 9L * p.co * p.ci);
        if (p.n == 0 || (dw == null && dx == null)) return;
        int co = p.co, ci = p.ci, block = co * ci;
        // Each chunk's dU = dM·Vᵀ, [chunk][36][co][ci]: the filter gradient summed over the chunks in order.
        float[] partials = dw != null ? pool.take(Math.multiplyExact(Math.multiplyExact(p.chunks, F), block)) : null;
        float[] dU = dw != null ? pool.take(filterLength(co, ci)) : null;
        // How many chunks, from the first, are already added into dU in chunk order (see the chunk loop).
        AtomicInteger folded = new AtomicInteger();
        Kernels kern = VectorizationProvider.get().kernels();
        int uStride = filterStride(co, ci), utStride = filterStride(ci, co);
        // Uᵀ per frequency, [36][ci][co], transposed once: each chunk's products dV = Uᵀ·dM then read a
        // row-major A, which the GEMM packs by plain copies instead of transposing U again in every chunk
        // (the same products in the same order, so the same bits).
        float[] ut = dx != null ? pool.take(filterLength(ci, co)) : null;
        if (ut != null) {
            Parallel.forChunks(F, Parallel.threads(), (s, e) -> {
                for (int f = s; f < e; f++) {
                    for (int o = 0; o < co; o++) {
                        for (int c = 0; c < ci; c++) ut[f * utStride + c * co + o] = u[uOff + f * uStride + o * ci + c];
                    }
                }
            });
        }
        // Per chunk, while its dM is in cache: dV = Uᵀ·dM per frequency, then dD = B dV Bᵀ and each pixel
        // of dx gathered from the overlapping patches. Every chunk's dV streams are a full chunk's stride
        // apart, so one map of where the pixels' values are serves them all; a 37th stride of zeros after
        // the 36 streams is where the map points a pixel's missing values (at F·dvStride from any stream).
        int dvStride = skewed(Math.multiplyExact(ci, p.imagesPerChunk * p.tilesPerImage));
        PatchGradientMap pixels = dx != null ? new PatchGradientMap(p, dvStride, F * dvStride) : null;
        Parallel.forChunks(p.chunks, p.chunks, (s, e) -> {
            for (int chunk = s; chunk < e; chunk++) {
                int first = p.firstImage(chunk), images = p.images(chunk), tc = images * p.tilesPerImage;
                int cmStride = skewed(co * tc);
                float[] cm = buffer(2, F * cmStride);
                // The 16 output streams a skewed stride apart: co·tc is a power of two for the seed CNN's
                // conv2 (16 KB), which would put a tile's 16 values in one L1 set.
                int dyStride = skewed(co * tc);
                float[] dy = buffer(3, OUT * dyStride);
                source.fill(k, p, first, images, dy, tc, dyStride);
                for (int o = 0; o < co; o++) k.outputAdjoint(dy, o * tc, dyStride, cm, o * tc, cmStride, tc);
                if (partials != null) {
                    // When every earlier chunk is in dU already, this chunk's products go there at once, each
                    // frequency's block added from L1 (chunk 0's written in place): the very additions of the
                    // chunk-order sum below, without the partial's trip through memory. Otherwise they wait
                    // in the chunk's partial. Only this chunk's thread can move the count on from here, so
                    // the check at the start holds to the end; the count's volatile write and read order
                    // one thread's additions to dU before the next one's.
                    boolean foldNow = folded.get() == chunk;
                    float[] one = foldNow && chunk > 0 ? buffer(6, block) : null;
                    for (int f = 0; f < F; f++) {
                        float[] out = !foldNow ? partials : one != null ? one : dU;
                        int at = !foldNow ? (chunk * F + f) * block : one != null ? 0 : f * uStride;
                        k.filterProducts(cm, f * cmStride, tc, co, v, p.keptAt(chunk, f), ci, tc, out, at);
                        if (one != null) kern.axpy(1f, one, 0, dU, f * uStride, block);
                    }
                    if (foldNow) folded.set(chunk + 1);
                }
                if (dx == null) continue;
                float[] dv = buffer(1, (F + 1) * dvStride);
                Arrays.fill(dv, F * dvStride, (F + 1) * dvStride, 0f);
                for (int f = 0; f < F; f++) {
                    Gemm.gemm(false, false, ci, tc, co, ut, f * utStride, co, cm, f * cmStride, tc,
                            dv, f * dvStride, tc, false);
                }
                for (int c = 0; c < ci; c++) {
                    k.inputAdjoint(dv, c * tc, dvStride, tc);
                    for (int img = 0; img < images; img++) {
                        k.addPatchGradients(dv, c * tc + img * p.tilesPerImage, pixels.index, pixels.slots,
                                p.h, p.w, dx, dxOff + ((first + img) * ci + c) * p.h * p.w, dxFresh);
                    }
                }
            }
        });
        pool.give(ut);
        if (partials == null) return;
        // Per frequency: the partials of the chunks the loop did not add, added in chunk order (1·x + y in
        // the kernels' axpy is x + y exactly; a plain loop here ran scalar, its two float[] possibly one
        // array to C2). Chunk 0 always went straight into dU.
        int done = folded.get();
        Parallel.forChunks(F, F, (s, e) -> {
            for (int f = s; f < e; f++) {
                for (int chunk = done; chunk < p.chunks; chunk++) {
                    kern.axpy(1f, partials, (chunk * F + f) * block, dU, f * uStride, block);
                }
            }
        });
        pool.give(partials);
        addFilterGradient(dU, co, ci, dw);
        pool.give(dU);
    }

    // ------------------------------------------------------------------------------------------------
    // Whole-batch entry points (tests, benchmarks)

    /**
     * {@code y = (accumulate ? y : 0) + conv3x3(x, filters)} for n images: x is {@code [n][ci][h][w]} from
     * {@code xOff}, u the filters transformed by {@link #transformFilters} ({@code [36][co][ci]} from
     * {@code uOff}), y is {@code [n][co][outH][outW]} from {@code yOff} with {@code outH = h + 2·pad − 2},
     * {@code outW = w + 2·pad − 2}. Runs on {@link Parallel}'s threads over chunks of images.
     */
    public static void convolve(float[] x, int xOff, int n, int ci, int h, int w, int pad,
                                float[] u, int uOff, int co, float[] y, int yOff, boolean accumulate) {
        convolve(Tiles.ACTIVE, x, xOff, n, ci, h, w, pad, u, uOff, co, y, yOff, accumulate);
    }

    /** {@link #convolve} with the given tile transforms (the tests compare the scalar and SIMD ones). */
    static void convolve(WinogradTransforms k, float[] x, int xOff, int n, int ci, int h, int w, int pad,
                         float[] u, int uOff, int co, float[] y, int yOff, boolean accumulate) {
        Plan p = new Plan(n, ci, co, h, w, pad);
        checkRange("output y", y.length, yOff, (long) n * co * p.outH * p.outW);
        forward(k, p, x, xOff, u, uOff, null, planes(y, yOff, null, accumulate));
    }

    /**
     * The gradients of {@link #convolve} for an output gradient {@code dy[n][co][outH][outW]}: adds
     * {@code ∂/∂w} into {@code dw[co][ci][3][3]} and {@code ∂/∂x} into {@code dx[n][ci][h][w]} (either may be
     * null), for the raw filters {@code wt[co][ci][3][3]}. The input is transformed again here; the ops keep
     * the forward pass's transform instead.
     */
    public static void gradients(float[] x, int n, int ci, int h, int w, int pad, float[] wt, int co, float[] dy,
                                 float[] dw, float[] dx) {
        gradients(Tiles.ACTIVE, x, n, ci, h, w, pad, wt, co, dy, dw, dx);
    }

    static void gradients(WinogradTransforms k, float[] x, int n, int ci, int h, int w, int pad, float[] wt, int co,
                          float[] dy, float[] dw, float[] dx) {
        Plan p = new Plan(n, ci, co, h, w, pad);
        checkRange("output gradient dy", dy.length, 0, (long) n * co * p.outH * p.outW);
        float[] u = new float[filterLength(co, ci)];
        transformFilters(wt, 0, co, ci, u, 0);
        float[] v = new float[p.inputLength()];
        Parallel.forChunks(p.chunks, p.chunks, (s, e) -> {
            for (int chunk = s; chunk < e; chunk++) {
                transformChunk(k, p, x, 0, chunk, v);
            }
        });
        backward(k, p, fromPlanes(dy, 0), v, u, 0, dw, dx, 0, false, ScratchPool.none());
    }

    /**
     * The stride between consecutive frequency matrices of {@code size} floats: rounded up to 16 floats,
     * plus 16. The transforms read or write all 36 matrices at once, and with a power-of-two size (64
     * channels × 64 tiles) their streams would all fall in one L1 set and evict each other.
     */
    private static int skewed(int size) {
        return Math.addExact((size + 15) & ~15, 16);
    }

    private static void checkRange(String what, int length, int off, long needed) {
        if (off < 0 || off + needed > length) {
            throw new IllegalArgumentException("winograd3x3: " + what + " has " + length + " floats, needs "
                    + needed + " from offset " + off + " (check the shape and the buffer size)");
        }
    }

    private static float[] buffer(int slot, int length) {
        float[][] b = BUFFERS.get();
        if (b[slot].length < length) b[slot] = new float[length];
        return b[slot];
    }

    private static int[] intBuffer(int length) {
        int[][] b = INT_BUFFERS.get();
        if (b[0].length < length) b[0] = new int[length];
        return b[0];
    }
}
