package octoquant.engine.ops;

import octoquant.engine.kernels.Gemm;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.kernels.WinogradTransforms;
import octoquant.engine.storage.WeightStorage;

/**
 * 3×3, stride-1 convolution (cross-correlation, as PyTorch) by Winograd's F(2×2, 3×3): 2.25× fewer
 * multiplications than im2col + GEMM. Each 2×2 block of outputs ("tile") is computed from the 4×4 input
 * patch under it; the filters and the patches are transformed into a 4×4 grid of 16 "frequencies", each
 * frequency's channel sum is one GEMM {@code [rows × channels]·[channels × tiles]} on {@link Gemm} (many
 * images' tiles per call, so the product is wide), and the results are transformed back. See
 * {@link WinogradTransforms} for the matrices and layouts.
 *
 * <p>Use: {@link #transformFilters} once per forward call (the weights change every step) into a buffer of
 * {@link #filterLength} floats, then {@link #convolve} for the batch or a range of its images. The input gradient is
 * the same convolution of the output gradient with the filters rotated by 180° and with input and output
 * channels swapped: {@link #transformFiltersForInputGradient} and {@link #inputGradient}. The conv ops
 * decide by {@link #usedFor} (one rule for both) and go through {@link #forEachChunk}, the one chunk loop,
 * to finish each chunk (bias, pooling) while it is in cache.
 *
 * <p>Accuracy: the transforms only add, subtract and halve; the error is a small multiple of ε times the
 * magnitude of the transformed products (about 1e-7 relative on random data; bounded and measured in
 * {@code Winograd3x3Test}). Non-finite inputs: a NaN reaches the outputs whose window holds it, as in a
 * direct convolution, but a tile's outputs mix its 4×4 patch, so an infinity may come out as NaN.
 *
 * <p>Determinism: images are cut into chunks that depend only on the shape (never on the thread count);
 * chunks run in parallel through {@link Parallel#forRange}, and within a chunk every element is computed
 * by one thread in a fixed order ({@link Gemm} reduces each element over the channels in order). So
 * results are bit-identical for any thread count (and for any split of the batch into calls at
 * multiples of {@link #imagesPerChunk}).
 */
public final class Winograd3x3 {
    private static final int F = WinogradTransforms.FREQUENCIES;
    /** Tiles per chunk to aim for: wide enough GEMMs, while V and M of a chunk (16·(ci+co)·T floats) stay near L2. */
    static final int TARGET_TILES = 128;

    /** Per-thread buffers: transformed input V, products M, a channel's parity planes, a chunk's output. */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[4][0]);

    private Winograd3x3() {}

    /** The tile transforms in use, fixed on first use (the provider decides once per JVM). */
    private static final class Tiles {
        static final WinogradTransforms ACTIVE = VectorizationProvider.get().winogradTransforms();
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
     * The one rule both convolution ops ({@link Conv2dOp}, {@link ConvReluPoolOp}) follow: a layer's
     * forward pass and input gradient run as Winograd when the kernel {@link #supports} the geometry, the
     * padding is at most 2 (the input gradient is then a convolution with padding {@code 2 − pad}) and the
     * layer has at least {@link #MIN_CHANNELS} input channels. Whatever the weight's storage: a packed
     * weight is decoded a tile at a time into the transformed filters ({@link #transformFilters(WeightStorage,
     * WeightTiles, int, int, float[])}), as im2col + GEMM decodes it a tile at a time into its GEMM.
     */
    static boolean usedFor(Im2Col.Geometry geo) {
        return geo.channels() >= MIN_CHANNELS && supports(geo.kh(), geo.kw(), geo.stride(), geo.pad()) && geo.pad() <= 2;
    }

    /** Length of a transformed-filter buffer for {@code rows × cols} 3×3 filters: {@code 16·rows·cols}. */
    public static int filterLength(int rows, int cols) {
        return F * rows * cols;
    }

    /** Output height or width of a 3×3 stride-1 convolution: {@code size + 2·pad − 2}. */
    public static int outputSize(int size, int pad) {
        return size + 2 * pad - 2;
    }

    /**
     * Images transformed and multiplied together by {@link #convolve} (the last chunk of a call may be
     * smaller); depends only on the image size. A chunk's tiles are one GEMM's columns, and {@link Gemm}
     * may round a column differently when the product's width differs, so a caller that splits a batch
     * into several calls gets the same bits as one call only when it splits at multiples of this.
     */
    public static int imagesPerChunk(int h, int w, int pad) {
        int tiles = ((outputSize(h, pad) + 1) / 2) * ((outputSize(w, pad) + 1) / 2);
        return Math.max(1, TARGET_TILES / Math.max(1, tiles));
    }

    /**
     * Transforms filters {@code w[co][ci][3][3]} (from {@code wOff}) into {@code u[uOff ..]} laid out
     * {@code [16][co][ci]} ({@link #filterLength}(co, ci) floats), as {@link #convolve} reads them.
     */
    public static void transformFilters(float[] w, int wOff, int co, int ci, float[] u, int uOff) {
        checkFilterBuffers("transformFilters", w, wOff, co, ci, u, uOff);
        transformFilterRows(w, wOff, 0, co, co, ci, u, uOff);
    }

    /**
     * Transforms filters {@code w[co][ci][3][3]} for the input gradient: filter (c, o) is w[o][c] rotated
     * by 180°, laid out {@code [16][ci][co]} in {@code u[uOff ..]} ({@link #filterLength}(ci, co) floats),
     * as {@link #inputGradient} reads them.
     */
    public static void transformFiltersForInputGradient(float[] w, int wOff, int co, int ci, float[] u, int uOff) {
        checkFilterBuffers("transformFiltersForInputGradient", w, wOff, co, ci, u, uOff);
        transformRotatedFilterRows(w, wOff, 0, co, co, ci, u, uOff);
    }

    /**
     * A weight storage's filters ({@code co × ci·9}) transformed into {@code u} as
     * {@link #transformFilters(float[], int, int, int, float[], int)} lays them out, or, when
     * {@code forInputGradient}, as {@link #transformFiltersForInputGradient} does. Read through
     * {@code tiles}: an fp32 weight in place, a packed one decoded a tile of rows at a time (each tile's
     * rows land in their place of u), so the values are the same as transforming the decoded weight.
     */
    static void transformFilters(WeightStorage w, WeightTiles tiles, int co, int ci, float[] u, boolean forInputGradient) {
        if (w.rows() != co || w.cols() != 9 * ci) {
            throw new IllegalArgumentException("winograd3x3: weight storage " + w.rows() + "x" + w.cols()
                    + " is not " + co + " filters of " + ci + " channels × 3×3");
        }
        checkRange("transformed filters u", u.length, 0, (long) filterLength(co, ci));
        tiles.forEach(w, (wt, wOff, r0, rows) -> {
            if (forInputGradient) transformRotatedFilterRows(wt, wOff, r0, rows, co, ci, u, 0);
            else transformFilterRows(wt, wOff, r0, rows, co, ci, u, 0);
        });
    }

    /** Filters {@code row0 .. row0 + rows − 1} of co, read from {@code w[wOff ..]}, into their places of u. */
    private static void transformFilterRows(float[] w, int wOff, int row0, int rows, int co, int ci, float[] u, int uOff) {
        int stride = co * ci;
        for (int o = 0; o < rows; o++) {
            for (int c = 0; c < ci; c++) {
                WinogradTransforms.filter(w, wOff + (o * ci + c) * 9, 3, 1, u, uOff + (row0 + o) * ci + c, stride);
            }
        }
    }

    /** {@link #transformFilterRows} for the input gradient: rotated by 180°, into {@code [16][ci][co]}. */
    private static void transformRotatedFilterRows(float[] w, int wOff, int row0, int rows, int co, int ci,
                                                   float[] u, int uOff) {
        int stride = co * ci;
        for (int c = 0; c < ci; c++) {
            for (int o = 0; o < rows; o++) {
                // Start at tap (2, 2) and step backwards: the 180° rotation.
                WinogradTransforms.filter(w, wOff + (o * ci + c) * 9 + 8, -3, -1, u, uOff + c * co + row0 + o, stride);
            }
        }
    }

    /**
     * {@code y = (accumulate ? y : 0) + conv3x3(x, filters)} for n images: x is {@code [n][ci][h][w]} from
     * {@code xOff}, u the filters transformed by {@link #transformFilters} ({@code [16][co][ci]} from
     * {@code uOff}), y is {@code [n][co][outH][outW]} from {@code yOff} with {@code outH = h + 2·pad − 2},
     * {@code outW = w + 2·pad − 2} (per image {@code [co][outH·outW]}, the layout im2col + GEMM produces).
     * Runs on {@link Parallel}'s threads over chunks of images (inline when called from a parallel body).
     */
    public static void convolve(float[] x, int xOff, int n, int ci, int h, int w, int pad,
                                float[] u, int uOff, int co, float[] y, int yOff, boolean accumulate) {
        forEachChunk(Tiles.ACTIVE, x, xOff, n, ci, h, w, pad, u, uOff, co, y, yOff, accumulate, null);
    }

    /** {@link #convolve} with the given tile transforms (the tests compare the scalar and SIMD ones). */
    static void convolve(WinogradTransforms tiles, float[] x, int xOff, int n, int ci, int h, int w, int pad,
                         float[] u, int uOff, int co, float[] y, int yOff, boolean accumulate) {
        forEachChunk(tiles, x, xOff, n, ci, h, w, pad, u, uOff, co, y, yOff, accumulate, null);
    }

    /** What an op does with a chunk of images right after they are convolved, on the chunk's thread. */
    @FunctionalInterface
    interface ChunkBody {
        /**
         * Images {@code [first, first + count)} of the call are convolved: image {@code first + i} is at
         * {@code y[yOff + i·co·outH·outW ..]} ({@code [co][outH·outW]}), still in this thread's cache.
         */
        void convolved(int first, int count, float[] y, int yOff);
    }

    /**
     * {@link #convolve} chunk by chunk, handing each chunk's output to {@code body} (if not null) while it
     * is still in cache: the one chunk driver every Winograd caller goes through. With {@code y} null
     * each chunk is written to a per-thread buffer instead (reused by the thread's next chunk, so the body
     * must consume it), e.g. for an op that pools the convolution output and never keeps it.
     */
    static void forEachChunk(float[] x, int xOff, int n, int ci, int h, int w, int pad, float[] u, int uOff, int co,
                             float[] y, int yOff, boolean accumulate, ChunkBody body) {
        forEachChunk(Tiles.ACTIVE, x, xOff, n, ci, h, w, pad, u, uOff, co, y, yOff, accumulate, body);
    }

    /**
     * The driver: the batch cut into chunks of {@link #imagesPerChunk} images (shape only, never the
     * thread count), chunks in parallel, each transformed, multiplied, transformed back and handed on.
     */
    private static void forEachChunk(WinogradTransforms tiles, float[] x, int xOff, int n, int ci, int h, int w,
                                     int pad, float[] u, int uOff, int co, float[] y, int yOff, boolean accumulate,
                                     ChunkBody body) {
        int outH = outputSize(h, pad), outW = outputSize(w, pad);
        checkShape("convolve", n, ci, co, h, w, pad, outH, outW);
        long inPlane = (long) ci * h * w, outPlane = (long) co * outH * outW;
        checkRange("input x", x.length, xOff, n * inPlane);
        checkRange("transformed filters u", u.length, uOff, (long) filterLength(co, ci));
        if (y != null) checkRange("output y", y.length, yOff, n * outPlane);
        else if (accumulate) throw new IllegalArgumentException("winograd3x3: cannot accumulate into a per-thread buffer (y is null)");
        if (n == 0) return;
        int perChunk = Math.min(n, imagesPerChunk(h, w, pad));
        int chunks = (n + perChunk - 1) / perChunk;
        int[] parity = WinogradTransforms.parityMap(h, w, pad);
        Parallel.forRange(chunks, 1, (s, e) -> {
            for (int chunk = s; chunk < e; chunk++) {
                int first = chunk * perChunk, count = Math.min(perChunk, n - first);
                float[] out = y != null ? y : buffer(3, count * (int) outPlane);
                int outOff = y != null ? yOff + first * (int) outPlane : 0;
                convolveChunk(tiles, x, xOff + first * (int) inPlane, count, ci, h, w, pad, parity, u, uOff, co,
                        out, outOff, accumulate);
                if (body != null) body.convolved(first, count, out, outOff);
            }
        });
    }

    private static void checkShape(String op, int n, int ci, int co, int h, int w, int pad, int outH, int outW) {
        if (n < 0 || ci < 1 || co < 1 || h < 1 || w < 1 || pad < 0 || outH < 1 || outW < 1) {
            throw new IllegalArgumentException("winograd3x3 " + op + ": bad shape n=" + n + " ci=" + ci + " co=" + co
                    + " h=" + h + " w=" + w + " pad=" + pad
                    + " (need n ≥ 0, channels, sizes ≥ 1, pad ≥ 0 and an output of at least 1×1)");
        }
    }

    /**
     * The input gradient of a 3×3 stride-1 convolution with padding {@code pad} ≤ 2:
     * {@code dx = (accumulate ? dx : 0) + conv3x3(dy, rot180(w)ᵀ)} with padding {@code 2 − pad}. dy is
     * {@code [n][co][outH][outW]}, uT the filters transformed by {@link #transformFiltersForInputGradient},
     * dx is {@code [n][ci][outH − 2·pad + 2][outW − 2·pad + 2]} (the forward input's shape).
     */
    public static void inputGradient(float[] dy, int dyOff, int n, int co, int outH, int outW, int pad,
                                     float[] uT, int uOff, int ci, float[] dx, int dxOff, boolean accumulate) {
        if (pad < 0 || pad > 2) {
            throw new IllegalArgumentException("winograd3x3 inputGradient: pad=" + pad
                    + " (the input gradient as a convolution needs pad 0, 1 or 2)");
        }
        convolve(dy, dyOff, n, co, outH, outW, 2 - pad, uT, uOff, ci, dx, dxOff, accumulate);
    }

    /** One chunk of {@code count} images: input transforms, 16 GEMMs, output transforms into {@code y[yOff ..]}. */
    private static void convolveChunk(WinogradTransforms tiles, float[] x, int xOff, int count, int ci, int h, int w,
                                      int pad, int[] parity, float[] u, int uOff, int co, float[] y, int yOff,
                                      boolean accumulate) {
        int outH = outputSize(h, pad), outW = outputSize(w, pad), plane = outH * outW;
        int tilesH = (outH + 1) / 2, tilesW = (outW + 1) / 2;
        int tilesPerImage = tilesH * tilesW, t = count * tilesPerImage;
        // The 16 frequency matrices sit one stride apart, and the transforms read or write all 16 at once;
        // a power-of-two stride (conv2 at 2 images: 64·128 floats = 32 KB) would put the 16 streams in one
        // L1 set and thrash it, so each stride is padded past a multiple of 16 floats plus one cache line.
        int vStride = skewed(ci * t), mStride = skewed(co * t);
        float[] v = buffer(0, F * vStride), m = buffer(1, F * mStride);
        int parLength = WinogradTransforms.parityLength(tilesH, tilesW);
        float[] par = buffer(2, parLength);
        java.util.Arrays.fill(par, 0, parLength, 0f); // the padding positions, never written below
        for (int img = 0; img < count; img++) {
            for (int c = 0; c < ci; c++) {
                WinogradTransforms.parityPlanes(x, xOff + (img * ci + c) * h * w, parity, par);
                tiles.input(par, tilesH, tilesW, v, c * t + img * tilesPerImage, vStride);
            }
        }
        for (int f = 0; f < F; f++) {
            Gemm.gemm(false, false, co, t, ci, u, uOff + f * co * ci, ci, v, f * vStride, t, m, f * mStride, t, false);
        }
        for (int img = 0; img < count; img++) {
            for (int o = 0; o < co; o++) {
                tiles.output(m, o * t + img * tilesPerImage, mStride, tilesH, tilesW, y, yOff + (img * co + o) * plane,
                        outH, outW, accumulate);
            }
        }
    }

    /** {@code size} rounded up to 16 floats, plus 16: consecutive matrices start in different cache sets. */
    private static int skewed(int size) {
        return ((size + 15) & ~15) + 16;
    }

    private static void checkFilterBuffers(String op, float[] w, int wOff, int co, int ci, float[] u, int uOff) {
        if (co < 1 || ci < 1) {
            throw new IllegalArgumentException("winograd3x3 " + op + ": co=" + co + " ci=" + ci + " (need at least 1 each)");
        }
        checkRange("filters w", w.length, wOff, 9L * co * ci);
        checkRange("transformed filters u", u.length, uOff, (long) filterLength(co, ci));
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
}
