package octoquant.engine.ops;

/**
 * The three transforms of the Winograd F(2×2, 3×3) convolution {@link Winograd3x3} runs, in plain
 * loops (no Vector API, so they also serve the scalar backend). With
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
 * {@code M[ξ][o][t]}: frequency-major so that each {@code U_ξ}, {@code V_ξ}, {@code M_ξ} is one
 * contiguous row-major matrix for the GEMM.
 */
final class WinogradTransforms {
    /** Positions of the 4×4 transform grid. */
    static final int FREQUENCIES = 16;

    private WinogradTransforms() {}

    /**
     * {@code U = G g Gᵀ} for one 3×3 filter g read at {@code g[gOff + gRow·i + gCol·j]} (the strides let
     * the caller read it rotated by 180°), written to {@code u[uOff + ξ·uStride]}.
     */
    static void filter(float[] g, int gOff, int gRow, int gCol, float[] u, int uOff, int uStride) {
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

    /**
     * Copies one channel plane {@code [h][w]} into {@code plane[ph][pw]} with {@code pad} zero rows and
     * columns before it and zeros after it up to the plane's size, so every 4×4 patch a tile reads lies
     * inside the buffer (odd output sizes read one more zero row/column past the padding).
     */
    static void padPlane(float[] x, int xOff, int h, int w, int pad, float[] plane, int ph, int pw) {
        java.util.Arrays.fill(plane, 0, Math.min(pad, ph) * pw, 0f);
        for (int r = 0; r < h && pad + r < ph; r++) {
            int dst = (pad + r) * pw;
            java.util.Arrays.fill(plane, dst, dst + pad, 0f);
            System.arraycopy(x, xOff + r * w, plane, dst + pad, w);
            java.util.Arrays.fill(plane, dst + pad + w, dst + pw, 0f);
        }
        int filled = Math.min(ph, pad + h) * pw;
        java.util.Arrays.fill(plane, filled, ph * pw, 0f);
    }

    /**
     * {@code V = Bᵀ d B} for every tile of one padded channel plane: tile (th, tw) reads the 4×4 patch at
     * row 2·th, column 2·tw and writes its 16 values to {@code v[vOff + ξ·vStride + th·tilesW + tw]}.
     * Done a tile row at a time: the vertical half (Bᵀ d) on whole padded rows (contiguous, so C2
     * vectorises it), then the horizontal half per tile from those four rows.
     */
    static void input(float[] plane, int pw, int tilesH, int tilesW, float[] rows, float[] v, int vOff, int vStride) {
        for (int th = 0; th < tilesH; th++) {
            int r0 = 2 * th * pw, r1 = r0 + pw, r2 = r1 + pw, r3 = r2 + pw;
            // rows[q·pw + j] = (Bᵀ d)[q] at padded column j.
            for (int j = 0; j < pw; j++) {
                float d0 = plane[r0 + j], d1 = plane[r1 + j], d2 = plane[r2 + j], d3 = plane[r3 + j];
                rows[j] = d0 - d2;
                rows[pw + j] = d1 + d2;
                rows[2 * pw + j] = d2 - d1;
                rows[3 * pw + j] = d1 - d3;
            }
            int t0 = vOff + th * tilesW;
            for (int q = 0; q < 4; q++) {
                int src = q * pw, dst = t0 + 4 * q * vStride;
                for (int tw = 0; tw < tilesW; tw++) {
                    int c = src + 2 * tw;
                    float a0 = rows[c], a1 = rows[c + 1], a2 = rows[c + 2], a3 = rows[c + 3];
                    v[dst + tw] = a0 - a2;
                    v[dst + vStride + tw] = a1 + a2;
                    v[dst + 2 * vStride + tw] = a2 - a1;
                    v[dst + 3 * vStride + tw] = a1 - a3;
                }
            }
        }
    }

    /**
     * {@code Y = Aᵀ M A} for every tile of one output channel of one image: tile (th, tw) reads its 16
     * values at {@code m[mOff + ξ·mStride + th·tilesW + tw]} and writes (or adds, when accumulating) the
     * 2×2 block at row 2·th, column 2·tw of {@code y[yOff ..][outH][outW]}, dropping the row and column
     * past an odd output size.
     */
    static void output(float[] m, int mOff, int mStride, int tilesH, int tilesW, float[] y, int yOff,
                       int outH, int outW, boolean accumulate, float[] rows) {
        int fullW = outW / 2; // tiles whose two columns both exist
        for (int th = 0; th < tilesH; th++) {
            int t0 = mOff + th * tilesW;
            // rows[(2·q + a)·tilesW + tw] = (Aᵀ M)[a][column q] of tile tw: the vertical half.
            for (int q = 0; q < 4; q++) {
                int s0 = t0 + q * mStride, s1 = s0 + 4 * mStride, s2 = s1 + 4 * mStride, s3 = s2 + 4 * mStride;
                int d0 = 2 * q * tilesW, d1 = d0 + tilesW;
                for (int tw = 0; tw < tilesW; tw++) {
                    float m0 = m[s0 + tw], m1 = m[s1 + tw], m2 = m[s2 + tw], m3 = m[s3 + tw];
                    rows[d0 + tw] = m0 + m1 + m2;
                    rows[d1 + tw] = m1 - m2 - m3;
                }
            }
            for (int a = 0; a < 2; a++) {
                int oh = 2 * th + a;
                if (oh >= outH) break;
                int dst = yOff + oh * outW;
                int c0 = a * tilesW, c1 = c0 + 2 * tilesW, c2 = c1 + 2 * tilesW, c3 = c2 + 2 * tilesW;
                if (accumulate) {
                    for (int tw = 0; tw < fullW; tw++) {
                        float u0 = rows[c0 + tw], u1 = rows[c1 + tw], u2 = rows[c2 + tw], u3 = rows[c3 + tw];
                        y[dst + 2 * tw] += u0 + u1 + u2;
                        y[dst + 2 * tw + 1] += u1 - u2 - u3;
                    }
                    if (fullW < tilesW) y[dst + 2 * fullW] += rows[c0 + fullW] + rows[c1 + fullW] + rows[c2 + fullW];
                } else {
                    for (int tw = 0; tw < fullW; tw++) {
                        float u0 = rows[c0 + tw], u1 = rows[c1 + tw], u2 = rows[c2 + tw], u3 = rows[c3 + tw];
                        y[dst + 2 * tw] = u0 + u1 + u2;
                        y[dst + 2 * tw + 1] = u1 - u2 - u3;
                    }
                    if (fullW < tilesW) y[dst + 2 * fullW] = rows[c0 + fullW] + rows[c1 + fullW] + rows[c2 + fullW];
                }
            }
        }
    }
}
