package octoquant.engine.kernels;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The three transforms of the Winograd F(2×2, 3×3) convolution {@code ops.Winograd3x3} runs. With
 * <pre>
 *   G  = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]          (4×3)
 *   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1] (4×4)
 *   Aᵀ = [1 1 1 0; 0 1 −1 −1]                    (2×4)
 * </pre>
 * a 2×2 block of outputs of a 3×3 correlation over a 4×4 input patch d is
 * {@code Aᵀ [Σ_c (G g_c Gᵀ) ⊙ (Bᵀ d_c B)] A}; the channel sum of the 16 element-wise products is, for each
 * of the 16 positions ξ of the 4×4 "frequency" grid, a matrix product {@code M_ξ = U_ξ · V_ξ}.
 *
 * <p>Layouts (T = tiles in a chunk of images, tile t = image·tilesH·tilesW + th·tilesW + tw):
 * transformed filters {@code U[ξ][rows][cols]}, transformed input {@code V[ξ][c][t]}, products
 * {@code M[ξ][o][t]}: frequency-major, so each {@code U_ξ}, {@code V_ξ}, {@code M_ξ} is one contiguous
 * row-major matrix for the GEMM, and the transforms read or write 16 runs of consecutive tiles.
 *
 * <p>Tile (th, tw) reads padded rows 2·th .. 2·th+3 and columns 2·tw .. 2·tw+3: stride-2 access, which
 * SIMD cannot load. So each padded channel plane is first split into its four parity planes
 * {@code X_ab[k][l] = P[2k+a][2l+b]} ({@link #parityPlanes}), stored with row stride tilesW (column
 * l = tilesW, needed only by the last tile of each row, goes to a side array). Then the patch of tile
 * t = th·tilesW + tw is {@code X_ab} at {@code t}, {@code t + 1}, {@code t + tilesW}, {@code t + tilesW + 1}:
 * unit stride in t across the whole plane, so consecutive tiles, even of different rows, are
 * consecutive lanes. For the last tile of a row, {@code t + 1} lands on the next row's first column,
 * so those tiles are computed again from the side array afterwards ({@link #fixLastColumn}). The output
 * side writes the full output ({@link #output}); bias, ReLU and pooling follow in the caller's pass.
 *
 * <p>This class is the scalar form (the reference, and the tails of the Vector API form
 * {@code ops.VectorWinogradTransforms}); both do the same operations in the same order per value, so they
 * give the same bits. {@link VectorizationProvider#winogradTransforms()} hands out the form in use.
 * Stateless apart from a thread-safe cache of parity maps.
 */
public class WinogradTransforms {
    /** Created by the providers. */
    protected WinogradTransforms() {}

    /** Positions of the 4×4 transform grid. */
    public static final int FREQUENCIES = 16;

    /**
     * {@code U = G g Gᵀ} for one 3×3 filter g read at {@code g[gOff + gRow·i + gCol·j]} (the strides let
     * the caller read it rotated by 180°), written to {@code u[uOff + ξ·uStride]}.
     */
    public static void filter(float[] g, int gOff, int gRow, int gCol, float[] u, int uOff, int uStride) {
        float g00 = g[gOff], g01 = g[gOff + gCol], g02 = g[gOff + 2 * gCol];
        float g10 = g[gOff + gRow], g11 = g[gOff + gRow + gCol], g12 = g[gOff + gRow + 2 * gCol];
        float g20 = g[gOff + 2 * gRow], g21 = g[gOff + 2 * gRow + gCol], g22 = g[gOff + 2 * gRow + 2 * gCol];
        // Rows of G·g: g0, ½(g0+g1+g2), ½(g0−g1+g2), g2 (g0..g2 the rows of g); then the same on columns.
        filterRow(g00, g01, g02, u, uOff, uStride);
        filterRow(0.5f * (g00 + g10 + g20), 0.5f * (g01 + g11 + g21), 0.5f * (g02 + g12 + g22), u, uOff + 4 * uStride, uStride);
        filterRow(0.5f * (g00 - g10 + g20), 0.5f * (g01 - g11 + g21), 0.5f * (g02 - g12 + g22), u, uOff + 8 * uStride, uStride);
        filterRow(g20, g21, g22, u, uOff + 12 * uStride, uStride);
    }

    /** One row (a0, a1, a2) of G·g times Gᵀ: four values of U. */
    private static void filterRow(float a0, float a1, float a2, float[] u, int o, int uStride) {
        u[o] = a0;
        u[o + uStride] = 0.5f * (a0 + a1 + a2);
        u[o + 2 * uStride] = 0.5f * (a0 - a1 + a2);
        u[o + 3 * uStride] = a2;
    }

    /** Floats of one parity plane: {@code (tilesH + 1)·tilesW} plus the one a flat loop reads past the end. */
    protected static int parityPlane(int tilesH, int tilesW) {
        return (tilesH + 1) * tilesW + 1;
    }

    /** Floats {@link #parityPlanes} writes: four planes and four side columns of {@code tilesH + 1}. */
    public static int parityLength(int tilesH, int tilesW) {
        return 4 * parityPlane(tilesH, tilesW) + 4 * (tilesH + 1);
    }

    /**
     * Where each pixel of an {@code h × w} channel plane goes in the parity layout: padded to
     * {@code (h + 2·pad) × (w + 2·pad)} (and zeros past it up to {@code 2·tilesH + 2} rows and
     * {@code 2·tilesW + 2} columns), padded pixel (2k + a, 2l + b) is stored at
     * {@code (2a + b)·PL + k·tilesW + l} for l &lt; tilesW (PL = {@link #parityPlane}), and at
     * {@code 4·PL + (2a + b)·(tilesH + 1) + k} for l = tilesW (the side columns). Every other position of
     * the {@link #parityLength} floats is padding, zero for every channel. Built once per shape and cached
     * (every Winograd call needs it, and building it touches every pixel position of the plane).
     */
    public static int[] parityMap(int h, int w, int pad) {
        PlaneShape key = new PlaneShape(h, w, pad);
        int[] map = PARITY_MAPS.get(key);
        if (map != null) return map;
        if (PARITY_MAPS.size() >= MAX_CACHED_MAPS) PARITY_MAPS.clear();
        int tilesH = (h + 2 * pad - 2 + 1) / 2, tilesW = (w + 2 * pad - 2 + 1) / 2;
        return PARITY_MAPS.computeIfAbsent(key, k -> buildParityMap(h, w, pad, tilesH, tilesW));
    }

    /** A channel plane's size and padding: the key of the {@link #parityMap} cache. */
    private record PlaneShape(int h, int w, int pad) {}

    /**
     * Parity maps by plane shape. A map depends on the shape only and is never written after it is built,
     * so threads share it; a model has a handful of shapes (each layer's input, and its output for the
     * input gradient), and the cap only keeps a shape-sweeping caller from growing the cache without end.
     */
    private static final ConcurrentHashMap<PlaneShape, int[]> PARITY_MAPS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_MAPS = 64;

    private static int[] buildParityMap(int h, int w, int pad, int tilesH, int tilesW) {
        int pl = parityPlane(tilesH, tilesW), side = 4 * pl;
        int[] map = new int[h * w];
        for (int r = 0; r < h; r++) {
            int pr = r + pad, a = pr & 1, k = pr >> 1;
            for (int c = 0; c < w; c++) {
                int pc = c + pad, b = pc & 1, l = pc >> 1, plane = 2 * a + b;
                map[r * w + c] = l < tilesW ? plane * pl + k * tilesW + l : side + plane * (tilesH + 1) + k;
            }
        }
        return map;
    }

    /**
     * Scatters channel plane {@code x[xOff ..][h·w]} into its parity layout by {@link #parityMap}; the
     * padding positions of {@code par} must hold zeros already (they are never written).
     */
    public static void parityPlanes(float[] x, int xOff, int[] map, float[] par) {
        for (int i = 0; i < map.length; i++) par[map[i]] = x[xOff + i];
    }

    /**
     * The kernels that move tiles in and out of the frequency domain; the scalar ones here, and
     * {@code ops.VectorWinogradTransforms} overriding both with SIMD for the bulk.
     */
    public void input(float[] par, int tilesH, int tilesW, float[] v, int vOff, int vStride) {
        inputFlat(par, tilesH, tilesW, 0, v, vOff, vStride);
        fixLastColumn(par, tilesH, tilesW, v, vOff, vStride);
    }

    public void output(float[] m, int mOff, int mStride, int tilesH, int tilesW, float[] y, int yOff,
                int outH, int outW, boolean accumulate) {
        outputTail(m, mOff, mStride, tilesH, tilesW, 0, y, yOff, outH, outW, accumulate);
    }

    /**
     * {@code V = Bᵀ d B} for tiles {@code t ≥ from} (flat index th·tilesW + tw) of one channel's parity
     * planes, reading column {@code t + 1} as the right neighbour (wrong for each row's last tile, which
     * {@link #fixLastColumn} redoes): value ξ of tile t goes to {@code v[vOff + ξ·vStride + t]}.
     */
    protected static void inputFlat(float[] par, int tilesH, int tilesW, int from, float[] v, int vOff, int vStride) {
        int pl = parityPlane(tilesH, tilesW), n = tilesH * tilesW;
        for (int i = from; i < n; i++) {
            // Padded rows 2th..2th+3 are X_0·[i], X_1·[i], X_0·[i + tilesW], X_1·[i + tilesW]; columns
            // 0..3 are X_·0[·], X_·1[·], X_·0[· + 1], X_·1[· + 1].
            tile(par, i, i + 2 * pl, i + tilesW, i + 2 * pl + tilesW, 1, pl, v, vOff + i, vStride);
        }
    }

    /** Recomputes the last tile of every tile row with its true right neighbours from the side columns. */
    protected static void fixLastColumn(float[] par, int tilesH, int tilesW, float[] v, int vOff, int vStride) {
        int pl = parityPlane(tilesH, tilesW), sh = tilesH + 1, side = 4 * pl;
        for (int th = 0; th < tilesH; th++) {
            int i = th * tilesW + tilesW - 1, j = i + tilesW;
            // Left columns as in inputFlat; the right two from the side columns (X_a0 at side + 2a·sh + k,
            // X_a1 one sh further). Written out rather than calling tileSplit: a call per tile (too big
            // to inline) cost more than the tile itself.
            int r0 = side + th, r1 = r0 + 2 * sh, r2 = r0 + 1, r3 = r1 + 1;
            float d00 = par[i], d01 = par[i + pl], d02 = par[r0], d03 = par[r0 + sh];
            float d10 = par[i + 2 * pl], d11 = par[i + 3 * pl], d12 = par[r1], d13 = par[r1 + sh];
            float d20 = par[j], d21 = par[j + pl], d22 = par[r2], d23 = par[r2 + sh];
            float d30 = par[j + 2 * pl], d31 = par[j + 3 * pl], d32 = par[r3], d33 = par[r3 + sh];
            float a0 = d00 - d20, a1 = d01 - d21, a2 = d02 - d22, a3 = d03 - d23;
            float b0 = d10 + d20, b1 = d11 + d21, b2 = d12 + d22, b3 = d13 + d23;
            float c0 = d20 - d10, c1 = d21 - d11, c2 = d22 - d12, c3 = d23 - d13;
            float e0 = d10 - d30, e1 = d11 - d31, e2 = d12 - d32, e3 = d13 - d33;
            int t = vOff + i;
            v[t] = a0 - a2; v[t += vStride] = a1 + a2; v[t += vStride] = a2 - a1; v[t += vStride] = a1 - a3;
            v[t += vStride] = b0 - b2; v[t += vStride] = b1 + b2; v[t += vStride] = b2 - b1; v[t += vStride] = b1 - b3;
            v[t += vStride] = c0 - c2; v[t += vStride] = c1 + c2; v[t += vStride] = c2 - c1; v[t += vStride] = c1 - c3;
            v[t += vStride] = e0 - e2; v[t += vStride] = e1 + e2; v[t += vStride] = e2 - e1; v[t += vStride] = e1 - e3;
        }
    }

    /**
     * One tile whose right columns follow its left ones in the same plane row: rows q = 0..3 start at
     * {@code r0..r3}, column c at offset {@code (c & 1)·pl + (c >> 1)·right}.
     */
    private static void tile(float[] par, int r0, int r1, int r2, int r3, int right, int pl, float[] v, int t, int vStride) {
        tileSplit(par, r0, r1, r2, r3, pl, r0 + right, r1 + right, r2 + right, r3 + right, pl, v, t, vStride);
    }

    /**
     * {@code V = Bᵀ d B} of one 4×4 patch: row q's columns 0, 1 at {@code lq}, {@code lq + lStep} and
     * columns 2, 3 at {@code rq}, {@code rq + rStep}; written to {@code v[t + ξ·vStride]}.
     */
    private static void tileSplit(float[] par, int l0, int l1, int l2, int l3, int lStep,
                                  int r0, int r1, int r2, int r3, int rStep, float[] v, int t, int vStride) {
        float d00 = par[l0], d01 = par[l0 + lStep], d02 = par[r0], d03 = par[r0 + rStep];
        float d10 = par[l1], d11 = par[l1 + lStep], d12 = par[r1], d13 = par[r1 + rStep];
        float d20 = par[l2], d21 = par[l2 + lStep], d22 = par[r2], d23 = par[r2 + rStep];
        float d30 = par[l3], d31 = par[l3 + lStep], d32 = par[r3], d33 = par[r3 + rStep];
        // Bᵀ d: rows d0 − d2, d1 + d2, d2 − d1, d1 − d3.
        float a0 = d00 - d20, a1 = d01 - d21, a2 = d02 - d22, a3 = d03 - d23;
        float b0 = d10 + d20, b1 = d11 + d21, b2 = d12 + d22, b3 = d13 + d23;
        float c0 = d20 - d10, c1 = d21 - d11, c2 = d22 - d12, c3 = d23 - d13;
        float e0 = d10 - d30, e1 = d11 - d31, e2 = d12 - d32, e3 = d13 - d33;
        // (Bᵀ d) B: the same combination of columns.
        v[t] = a0 - a2; v[t += vStride] = a1 + a2; v[t += vStride] = a2 - a1; v[t += vStride] = a1 - a3;
        v[t += vStride] = b0 - b2; v[t += vStride] = b1 + b2; v[t += vStride] = b2 - b1; v[t += vStride] = b1 - b3;
        v[t += vStride] = c0 - c2; v[t += vStride] = c1 + c2; v[t += vStride] = c2 - c1; v[t += vStride] = c1 - c3;
        v[t += vStride] = e0 - e2; v[t += vStride] = e1 + e2; v[t += vStride] = e2 - e1; v[t += vStride] = e1 - e3;
    }

    /**
     * {@code Y = Aᵀ M A} for tiles {@code t ≥ from} (flat index th·tilesW + tw) of one output channel of
     * one image: tile t reads {@code m[mOff + ξ·mStride + t]} and writes (or adds, when accumulating) the
     * 2×2 block at row 2·th, column 2·tw of {@code y[yOff ..][outH][outW]}, dropping the row and column
     * past an odd output size.
     */
    protected static void outputTail(float[] m, int mOff, int mStride, int tilesH, int tilesW, int from, float[] y, int yOff,
                           int outH, int outW, boolean accumulate) {
        int th = from / tilesW, tw = from - th * tilesW;
        for (; th < tilesH; th++, tw = 0) {
            boolean row1 = 2 * th + 1 < outH;
            int dst = yOff + 2 * th * outW;
            for (; tw < tilesW; tw++) {
                int t = mOff + th * tilesW + tw;
                float m0 = m[t], m1 = m[t + mStride], m2 = m[t + 2 * mStride], m3 = m[t + 3 * mStride];
                float m4 = m[t + 4 * mStride], m5 = m[t + 5 * mStride], m6 = m[t + 6 * mStride], m7 = m[t + 7 * mStride];
                float m8 = m[t + 8 * mStride], m9 = m[t + 9 * mStride], m10 = m[t + 10 * mStride], m11 = m[t + 11 * mStride];
                float m12 = m[t + 12 * mStride], m13 = m[t + 13 * mStride], m14 = m[t + 14 * mStride], m15 = m[t + 15 * mStride];
                // Aᵀ M: rows m0 + m1 + m2 and m1 − m2 − m3 (of the 4×4 grid); then the same on columns.
                float s0 = m0 + m4 + m8, s1 = m1 + m5 + m9, s2 = m2 + m6 + m10, s3 = m3 + m7 + m11;
                float e0 = m4 - m8 - m12, e1 = m5 - m9 - m13, e2 = m6 - m10 - m14, e3 = m7 - m11 - m15;
                float y00 = s0 + s1 + s2, y01 = s1 - s2 - s3, y10 = e0 + e1 + e2, y11 = e1 - e2 - e3;
                int d = dst + 2 * tw;
                boolean col1 = 2 * tw + 1 < outW;
                if (accumulate) {
                    y[d] += y00;
                    if (col1) y[d + 1] += y01;
                    if (row1) {
                        y[d + outW] += y10;
                        if (col1) y[d + outW + 1] += y11;
                    }
                } else {
                    y[d] = y00;
                    if (col1) y[d + 1] = y01;
                    if (row1) {
                        y[d + outW] = y10;
                        if (col1) y[d + outW + 1] = y11;
                    }
                }
            }
        }
    }
}
