package octoquant.engine.kernels;

/**
 * The lane-wise transforms of the Winograd F(4×4, 3×3) convolution {@code ops.Winograd3x3} runs. With
 * <pre>
 *   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]   (6×6)
 *   G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1]                          (6×3)
 *   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]                                 (4×6)
 * </pre>
 * a 4×4 block of outputs of a 3×3 correlation over a 6×6 input patch d is
 * {@code Aᵀ [Σ_c (G g_c Gᵀ) ⊙ (Bᵀ d_c B)] A}: for each of the 36 positions ξ of the 6×6 "frequency" grid the
 * channel sum is one matrix product. Backward runs the adjoints: {@code dM = A dY Aᵀ} (output side),
 * {@code dD = B dV Bᵀ} (input side), {@code dg = Gᵀ dU G} (filters, in {@code ops.Winograd3x3}).
 *
 * <p>Besides the transforms, the two kernels of a chunk's filter gradient: its transformed input copied with
 * the tiles outer ({@link #transposeTiles}) and the products against it ({@link #filterProducts}).
 *
 * <p>Every transform here maps a set of streams to another, tile by tile: stream s of an argument is
 * {@code a[aOff + s·aStride + t]} for tiles {@code t < count}; a 6×6 grid is row-major (s = 6·row + column),
 * a 4×4 grid likewise (s = 4·row + column). Each 2-d transform is two passes of the 1-d one, first down the
 * columns, then along the rows, in place where the output fits the input's streams.
 *
 * <p>This class is the scalar form (the reference, and the tails of the Vector API form
 * {@code ops.VectorWinogradTransforms}); both do the same operations in the same order per value
 * (multiplications by 2, 4 and 8 are exact, the rest are the fused multiply-adds and additions written
 * below), so they give the same bits. {@link VectorizationProvider#winogradTransforms()} hands out the form
 * in use. Stateless.
 */
public class WinogradTransforms {
    /** Created by the providers. */
    protected WinogradTransforms() {}

    /** Positions of the 6×6 transform grid. */
    public static final int FREQUENCIES = 36;
    /** Outputs of one tile (4×4). */
    public static final int OUTPUTS = 16;
    /** Pool windows (2×2) of one tile. */
    public static final int WINDOWS = 4;

    /** {@code V = Bᵀ D B}: 36 patch streams of d into 36 frequency streams of v (d and v must not overlap). */
    public void input(float[] d, int dOff, int dStride, float[] v, int vOff, int vStride, int count) {
        inputTail(d, dOff, dStride, v, vOff, vStride, 0, count);
    }

    /** {@code Y = Aᵀ M A}: 36 frequency streams of m (overwritten: used as scratch) into 16 output streams of y. */
    public void output(float[] m, int mOff, int mStride, float[] y, int yOff, int yStride, int count) {
        outputTail(m, mOff, mStride, y, yOff, yStride, 0, count);
    }

    /** {@code dM = A dY Aᵀ}: 16 output-gradient streams of dy into 36 frequency streams of dm. */
    public void outputAdjoint(float[] dy, int dyOff, int dyStride, float[] dm, int dmOff, int dmStride, int count) {
        outputAdjointTail(dy, dyOff, dyStride, dm, dmOff, dmStride, 0, count);
    }

    /**
     * A frequency's transformed input, tiles outer: {@code vt[vtOff + t·rows + r] = v[vOff + r·ld + t]} for
     * {@code r < rows}, {@code t < count}. Copies values only, so every form gives the same floats.
     */
    public void transposeTiles(float[] v, int vOff, int ld, int rows, int count, float[] vt, int vtOff) {
        for (int t = 0; t < count; t++) {
            for (int r = 0; r < rows; r++) vt[vtOff + t * rows + r] = v[vOff + r * ld + t];
        }
    }

    /**
     * A frequency's filter-gradient products over one chunk of tiles: {@code out[outOff + o·cols + c] =
     * Σ_{t < count} dm[dmOff + o·ldm + t] · vt[vtOff + t·cols + c]} for {@code o < rows}, {@code c < cols}
     * ({@code vt} as {@link #transposeTiles} leaves it). Each sum is one chain of fused multiply-adds in
     * increasing t from +0, in every form.
     */
    public void filterProducts(float[] dm, int dmOff, int ldm, int rows, float[] vt, int vtOff, int cols, int count,
                               float[] out, int outOff) {
        filterProductsTail(dm, dmOff, ldm, 0, rows, vt, vtOff, cols, 0, cols, count, out, outOff);
    }

    /** {@link #filterProducts} for rows {@code [r0, r1)} and columns {@code [c0, c1)}. */
    protected static void filterProductsTail(float[] dm, int dmOff, int ldm, int r0, int r1, float[] vt, int vtOff,
                                             int cols, int c0, int c1, int count, float[] out, int outOff) {
        for (int o = r0; o < r1; o++) {
            for (int c = c0; c < c1; c++) {
                float s = 0f;
                for (int t = 0; t < count; t++) s = Math.fma(vt[vtOff + t * cols + c], dm[dmOff + o * ldm + t], s);
                out[outOff + o * cols + c] = s;
            }
        }
    }

    /** {@code dD = B dV Bᵀ}: 36 frequency streams of dv replaced, in place, by the 36 patch-gradient streams. */
    public void inputAdjoint(float[] dv, int off, int stride, int count) {
        inputAdjointTail(dv, off, stride, 0, count);
    }

    /**
     * Bias, ReLU and 2×2 max-pool of a tile's 16 outputs: window w = 2·pi + pj (pi, pj in 0..1) has members
     * k = 2·di + dj at output {@code (2·pi + di)·4 + 2·pj + dj}; {@code pooled[w] = max(max_k(y_k + bias), 0)}
     * (a NaN member gives NaN, Math.max's rule) and {@code where[w]} the first k whose {@code y_k + bias}
     * equals the window's maximum (the pool's first-maximum rule wherever the pooled value is positive).
     */
    public void biasReluPool(float[] y, int yOff, int yStride, float bias, float[] pooled, int[] where, int pOff, int pStride,
                      int count) {
        biasReluPoolTail(y, yOff, yStride, bias, pooled, where, pOff, pStride, 0, count);
    }

    /**
     * {@code rows} rows of {@code length} floats, consecutive in {@code src} from {@code srcOff}, copied to
     * {@code dst} at {@code dstOff + r·dstStride} (an image's channel into its padded plane).
     */
    public void copyRows(float[] src, int srcOff, int length, int rows, float[] dst, int dstOff, int dstStride) {
        for (int r = 0; r < rows; r++) System.arraycopy(src, srcOff + r * length, dst, dstOff + r * dstStride, length);
    }

    /**
     * The patches of {@code count} tiles of one padded channel plane (row length {@code planeW}): tile t's
     * patch starts at {@code origins[t]}, and {@code d[dOff + (6i + j)·dStride + t] = plane[origins[t] + i·planeW + j]}.
     */
    public void gatherPatches(float[] plane, int planeW, int[] origins, int count, float[] d, int dOff, int dStride) {
        gatherPatchesTail(plane, planeW, origins, 0, count, d, dOff, dStride);
    }

    /**
     * One image channel's input gradient from its tiles' patch gradients {@code dd} (36 streams, whose
     * stride {@code index} has built in; {@code ddOff} the image's first tile), pixel by pixel as
     * {@code ops.PatchGradientMap} lays out where each pixel's values are: for each row r and column c of
     * the {@code h × w} image, {@code s = +0}, then {@code s += dd[ddOff + index[(4r + k)·w + c]]} for the
     * slots {@code k < slots[r]}, in that order (a slot with no value points at a +0, which leaves s as it
     * is); then {@code dx[dxOff + r·w + c] = s} when fresh, else {@code += s}. The slots are in the order
     * scattering the patches row-major would add them into a zeroed plane, so s is that plane's value.
     */
    public void addPatchGradients(float[] dd, int ddOff, int[] index, int[] slots, int h, int w,
                                  float[] dx, int dxOff, boolean fresh) {
        addPatchGradientsTail(dd, ddOff, index, slots, h, w, 0, dx, dxOff, fresh);
    }

    /**
     * One channel's pooled plane of one image, pixel by pixel: {@code out[base + q] = pooled[pOff + sources[q]]}
     * and, when {@code where} is not null, {@code where[base + q] = codes[pOff + sources[q]]}, for
     * {@code q < count} ({@code sources}: where each pixel's window is among the tiles' pooled streams).
     */
    public void gatherPooled(float[] pooled, int[] codes, int pOff, int[] sources, int count, float[] out, int[] where,
                             int base) {
        gatherPooledTail(pooled, codes, pOff, sources, 0, count, out, where, base);
    }

    protected static void gatherPooledTail(float[] pooled, int[] codes, int pOff, int[] sources, int from, int to,
                                           float[] out, int[] where, int base) {
        for (int q = from; q < to; q++) out[base + q] = pooled[pOff + sources[q]];
        if (where != null) for (int q = from; q < to; q++) where[base + q] = codes[pOff + sources[q]];
    }

    /**
     * The output gradient of {@code count} tiles whose outputs went through bias, ReLU and a 2×2 pool (every
     * window inside the pooled plane; window w of tile t at {@code base + origins[t] + (w >> 1)·pw + (w & 1)}):
     * each window's winner k gets the pooled gradient g when the pooled value {@code out} is positive, else
     * +0, and the window's three other members get +0, at {@code dy[dyOff + (4i + j)·dyStride + t]}: all 16
     * streams of the tiles are written.
     */
    public void gatherPoolGradient(float[] g, float[] out, int[] where, int base, int pw, int[] origins, int count,
                            float[] dy, int dyOff, int dyStride) {
        gatherPoolGradientTail(g, out, where, base, pw, origins, 0, count, dy, dyOff, dyStride);
    }

    /** {@link #addPatchGradients} for the columns from {@code fromColumn} on. */
    protected static void addPatchGradientsTail(float[] dd, int ddOff, int[] index, int[] slots, int h, int w,
                                                int fromColumn, float[] dx, int dxOff, boolean fresh) {
        for (int r = 0; r < h; r++) {
            for (int c = fromColumn; c < w; c++) {
                float s = 0f;
                for (int k = 0; k < slots[r]; k++) s += dd[ddOff + index[(4 * r + k) * w + c]];
                int o = dxOff + r * w + c;
                if (fresh) dx[o] = s;
                else dx[o] += s;
            }
        }
    }

    protected static void gatherPatchesTail(float[] plane, int planeW, int[] origins, int from, int to, float[] d, int dOff,
                                  int dStride) {
        // Element by element, the tiles innermost: each (i, j) row of d is written in one contiguous run.
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                int at = i * planeW + j, di = dOff + (6 * i + j) * dStride;
                for (int t = from; t < to; t++) d[di + t] = plane[origins[t] + at];
            }
        }
    }

    protected static void gatherPoolGradientTail(float[] g, float[] out, int[] where, int base, int pw, int[] origins, int from,
                                       int to, float[] dy, int dyOff, int dyStride) {
        // Each window's gradient at its winner, +0 at the other three members, without data-dependent
        // branches (winners and ReLU signs are random): the gradient's bits are masked to +0 where the pooled
        // value is not positive, which is what the select "? g : 0f" gives, and again per member by whether
        // it is the winner; the codes are 0..3 (biasReluPool's). Member k = 2·di + dj sits di rows (4 streams
        // each) and dj columns below the window's top.
        for (int w = 0; w < WINDOWS; w++) {
            int at = base + (w >> 1) * pw + (w & 1), top = dyOff + (8 * (w >> 1) + 2 * (w & 1)) * dyStride;
            for (int t = from; t < to; t++) {
                int idx = origins[t] + at, code = where[idx];
                int bits = Float.floatToRawIntBits(g[idx]) & positiveMask(out[idx]);
                dy[top + t] = Float.intBitsToFloat(code == 0 ? bits : 0);
                dy[top + dyStride + t] = Float.intBitsToFloat(code == 1 ? bits : 0);
                dy[top + 4 * dyStride + t] = Float.intBitsToFloat(code == 2 ? bits : 0);
                dy[top + 5 * dyStride + t] = Float.intBitsToFloat(code == 3 ? bits : 0);
            }
        }
    }

    /** −1 (all bits) when {@code v > 0} (a positive number, infinity included, NaN not), else 0, without a branch. */
    private static int positiveMask(float v) {
        int bits = Float.floatToRawIntBits(v);
        // Positive: 0 < bits <= bits of +infinity, as signed ints.
        return ~(((bits - 1) | (0x7F800000 - bits)) >> 31);
    }

    protected static void inputTail(float[] d, int dOff, int dStride, float[] v, int vOff, int vStride, int from, int to) {
        int ds = 6 * dStride, vs = 6 * vStride;
        for (int t = from; t < to; t++) {
            for (int j = 0; j < 6; j++) inputLine(d, dOff + j * dStride + t, ds, v, vOff + j * vStride + t, vs); // column j
            for (int k = 0; k < 6; k++) inputLine(v, vOff + k * vs + t, vStride, v, vOff + k * vs + t, vStride); // row k
        }
    }

    /**
     * One line of {@code Bᵀ x}: six values {@code src[s + i·sStep]} into six {@code dst[o + k·oStep]}; all
     * read before any is written, so the line may be transformed in place.
     */
    private static void inputLine(float[] src, int s, int sStep, float[] dst, int o, int oStep) {
        float x0 = src[s], x1 = src[s + sStep], x2 = src[s + 2 * sStep], x3 = src[s + 3 * sStep];
        float x4 = src[s + 4 * sStep], x5 = src[s + 5 * sStep];
        float a = Math.fma(-4f, x2, x4), b = Math.fma(-4f, x1, x3), c = x4 - x2, e = (x3 - x1) * 2f;
        dst[o] = Math.fma(4f, x0, Math.fma(-5f, x2, x4));
        dst[o + oStep] = a + b;
        dst[o + 2 * oStep] = a - b;
        dst[o + 3 * oStep] = c + e;
        dst[o + 4 * oStep] = c - e;
        dst[o + 5 * oStep] = Math.fma(4f, x1, Math.fma(-5f, x3, x5));
    }

    protected static void outputTail(float[] m, int mOff, int mStride, float[] y, int yOff, int yStride, int from, int to) {
        int ms = 6 * mStride;
        for (int t = from; t < to; t++) {
            // Down column j: m[6i + j] → m[6k + j], k < 4, in place; then along row k: m[6k + j] → y[4k + l].
            for (int j = 0; j < 6; j++) outputLine(m, mOff + j * mStride + t, ms, m, mOff + j * mStride + t, ms);
            for (int k = 0; k < 4; k++) outputLine(m, mOff + k * ms + t, mStride, y, yOff + 4 * k * yStride + t, yStride);
        }
    }

    /** One line of {@code Aᵀ x}: six values {@code src[s + i·sStep]} into four {@code dst[o + k·oStep]} (in place allowed). */
    private static void outputLine(float[] src, int s, int sStep, float[] dst, int o, int oStep) {
        float x0 = src[s], x1 = src[s + sStep], x2 = src[s + 2 * sStep], x3 = src[s + 3 * sStep];
        float x4 = src[s + 4 * sStep], x5 = src[s + 5 * sStep];
        float p = x1 + x2, q = x1 - x2, r = x3 + x4, u = x3 - x4;
        dst[o] = x0 + p + r;
        dst[o + oStep] = Math.fma(2f, u, q);
        dst[o + 2 * oStep] = Math.fma(4f, r, p);
        dst[o + 3 * oStep] = Math.fma(8f, u, q) + x5;
    }

    protected static void outputAdjointTail(float[] dy, int dyOff, int dyStride, float[] dm, int dmOff, int dmStride, int from, int to) {
        int ys = 4 * dyStride, ms = 6 * dmStride;
        for (int t = from; t < to; t++) {
            // Down column j: dy[4i + j] → dm[6k + j]; then along row k: dm[6k + j], j < 4 → dm[6k + l], in place.
            for (int j = 0; j < 4; j++) outputAdjointLine(dy, dyOff + j * dyStride + t, ys, dm, dmOff + j * dmStride + t, ms);
            for (int k = 0; k < 6; k++) outputAdjointLine(dm, dmOff + k * ms + t, dmStride, dm, dmOff + k * ms + t, dmStride);
        }
    }

    /**
     * One line of {@code A x}: four values {@code src[s + i·sStep]} into six {@code dst[o + k·oStep]} (in
     * place allowed: the first output is the first input).
     */
    private static void outputAdjointLine(float[] src, int s, int sStep, float[] dst, int o, int oStep) {
        float x0 = src[s], x1 = src[s + sStep], x2 = src[s + 2 * sStep], x3 = src[s + 3 * sStep];
        float e = x0 + x2, f = x1 + x3, g = Math.fma(4f, x2, x0), h = Math.fma(8f, x3, x1 * 2f);
        dst[o] = x0;
        dst[o + oStep] = e + f;
        dst[o + 2 * oStep] = e - f;
        dst[o + 3 * oStep] = g + h;
        dst[o + 4 * oStep] = g - h;
        dst[o + 5 * oStep] = x3;
    }

    protected static void inputAdjointTail(float[] dv, int off, int stride, int from, int to) {
        int rs = 6 * stride;
        for (int t = from; t < to; t++) {
            for (int j = 0; j < 6; j++) inputAdjointLine(dv, off + j * stride + t, rs); // down column j, in place
            for (int k = 0; k < 6; k++) inputAdjointLine(dv, off + k * rs + t, stride); // along row k, in place
        }
    }

    /** One line of {@code B x}, in place: six values {@code dv[s + i·step]} replaced by the transform's six. */
    private static void inputAdjointLine(float[] dv, int s, int step) {
        float x0 = dv[s], x1 = dv[s + step], x2 = dv[s + 2 * step], x3 = dv[s + 3 * step];
        float x4 = dv[s + 4 * step], x5 = dv[s + 5 * step];
        float p = x1 + x2, q = x2 - x1, r = x3 + x4, u = x4 - x3;
        dv[s] = x0 * 4f;
        dv[s + step] = Math.fma(4f, q, Math.fma(2f, u, x5 * 4f));
        dv[s + 2 * step] = Math.fma(-4f, p, Math.fma(-5f, x0, -r));
        dv[s + 3 * step] = Math.fma(-2f, u, Math.fma(-5f, x5, -q));
        dv[s + 4 * step] = x0 + p + r;
    }

    protected static void biasReluPoolTail(float[] y, int yOff, int yStride, float bias, float[] pooled, int[] where, int pOff,
                                 int pStride, int from, int to) {
        for (int t = from; t < to; t++) {
            for (int w = 0; w < WINDOWS; w++) {
                int top = yOff + (8 * (w >> 1) + 2 * (w & 1)) * yStride + t;
                float a = y[top] + bias, b = y[top + yStride] + bias;
                float c = y[top + 4 * yStride] + bias, d = y[top + 5 * yStride] + bias;
                float m = Math.max(Math.max(a, b), Math.max(c, d));
                pooled[pOff + w * pStride + t] = Math.max(m, 0f);
                int at = c == m ? 2 : 3;
                at = b == m ? 1 : at;
                where[pOff + w * pStride + t] = a == m ? 0 : at;
            }
        }
    }
}
