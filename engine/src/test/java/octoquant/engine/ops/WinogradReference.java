package octoquant.engine.ops;

/**
 * Double-precision references for {@link Winograd3x3}: the direct 3×3 stride-1 correlation, its input and
 * weight gradients, and, for each result, the error scale S the Winograd F(4×4, 3×3) computation is
 * bounded by: the same computation run on absolute values (|Bᵀ| |d| |B|, |G| |g| |Gᵀ|, |A| |dY| |Aᵀ|, and
 * |Aᵀ|, |B|, |Gᵀ| on the way back), summed over channels, tiles and overlapping patches as the algorithm
 * sums them. Every float operation the algorithm does on the way to a result rounds with relative error
 * at most u = 2⁻²⁴, and every intermediate value is bounded by its absolute-value counterpart, so the
 * first-order error of a result reached through K roundings is at most K·u·S (the standard forward error
 * bound of a sum of products, whatever the order of the additions).
 */
final class WinogradReference {
    static final double[][] BT = {
        {4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
        {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
    static final double[][] G = {
        {0.25, 0, 0}, {-1.0 / 6, -1.0 / 6, -1.0 / 6}, {-1.0 / 6, 1.0 / 6, -1.0 / 6},
        {1.0 / 24, 1.0 / 12, 1.0 / 6}, {1.0 / 24, -1.0 / 12, 1.0 / 6}, {0, 0, 1}};
    static final double[][] AT = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};

    private WinogradReference() {}

    static int outSize(int size, int pad) {
        return size + 2 * pad - 2;
    }

    /** {@code y[n][co][oh][ow]} of the direct correlation, in double. */
    static double[] forward(float[] x, int n, int ci, int h, int w, int pad, float[] wt, int co) {
        int oh = outSize(h, pad), ow = outSize(w, pad);
        double[] y = new double[n * co * oh * ow];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < co; o++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double s = 0;
                        for (int c = 0; c < ci; c++) {
                            for (int a = 0; a < 3; a++) {
                                int ih = r + a - pad;
                                if (ih < 0 || ih >= h) continue;
                                for (int b = 0; b < 3; b++) {
                                    int iw = q + b - pad;
                                    if (iw < 0 || iw >= w) continue;
                                    s += (double) x[((i * ci + c) * h + ih) * w + iw] * wt[((o * ci + c) * 3 + a) * 3 + b];
                                }
                            }
                        }
                        y[((i * co + o) * oh + r) * ow + q] = s;
                    }
                }
            }
        }
        return y;
    }

    /** {@code dx[n][ci][h][w]}, the adjoint of {@link #forward} applied to dy, in double. */
    static double[] inputGradient(float[] dy, int n, int co, int ci, int h, int w, int pad, float[] wt) {
        int oh = outSize(h, pad), ow = outSize(w, pad);
        double[] dx = new double[n * ci * h * w];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < co; o++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double g = dy[((i * co + o) * oh + r) * ow + q];
                        for (int c = 0; c < ci; c++) {
                            for (int a = 0; a < 3; a++) {
                                int ih = r + a - pad;
                                if (ih < 0 || ih >= h) continue;
                                for (int b = 0; b < 3; b++) {
                                    int iw = q + b - pad;
                                    if (iw < 0 || iw >= w) continue;
                                    dx[((i * ci + c) * h + ih) * w + iw] += g * wt[((o * ci + c) * 3 + a) * 3 + b];
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** {@code dw[co][ci][3][3] = Σ_{i, r, q} dy[i][o][r][q] · x[i][c][r + a − pad][q + b − pad]}, in double. */
    static double[] weightGradient(float[] x, float[] dy, int n, int ci, int h, int w, int pad, int co) {
        int oh = outSize(h, pad), ow = outSize(w, pad);
        double[] dw = new double[co * ci * 9];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < co; o++) {
                for (int c = 0; c < ci; c++) {
                    for (int a = 0; a < 3; a++) {
                        for (int b = 0; b < 3; b++) {
                            double s = 0;
                            for (int r = 0; r < oh; r++) {
                                int ih = r + a - pad;
                                if (ih < 0 || ih >= h) continue;
                                for (int q = 0; q < ow; q++) {
                                    int iw = q + b - pad;
                                    if (iw < 0 || iw >= w) continue;
                                    s += (double) dy[((i * co + o) * oh + r) * ow + q] * x[((i * ci + c) * h + ih) * w + iw];
                                }
                            }
                            dw[((o * ci + c) * 3 + a) * 3 + b] += s;
                        }
                    }
                }
            }
        }
        return dw;
    }

    // ---- error scales: the algorithm on absolute values

    private static int tiles(int out) {
        return (out + 3) / 4;
    }

    /** |Bᵀ| |d| |B| of image i, channel c, tile (th, tw): the 6×6 patch's transform on absolute values. */
    private static double[] absInputTile(float[] x, int i, int c, int ci, int h, int w, int pad, int th, int tw) {
        double[] d = new double[36];
        for (int a = 0; a < 6; a++) {
            for (int b = 0; b < 6; b++) {
                int ih = 4 * th + a - pad, iw = 4 * tw + b - pad;
                if (ih >= 0 && ih < h && iw >= 0 && iw < w) d[6 * a + b] = Math.abs(x[((i * ci + c) * h + ih) * w + iw]);
            }
        }
        return sandwich(BT, d, 6, BT);
    }

    /** |G| |g| |Gᵀ| of filter (o, c). */
    private static double[] absFilter(float[] wt, int o, int c, int ci) {
        double[] g = new double[9];
        for (int t = 0; t < 9; t++) g[t] = Math.abs(wt[(o * ci + c) * 9 + t]);
        return sandwich(G, g, 3, G);
    }

    /** |A| |dY| |Aᵀ| of image i, channel o, tile (th, tw) (zero past the output). */
    private static double[] absOutputGradientTile(float[] dy, int i, int o, int co, int oh, int ow, int th, int tw) {
        double[] d = new double[16];
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                int r = 4 * th + a, q = 4 * tw + b;
                if (r < oh && q < ow) d[4 * a + b] = Math.abs(dy[((i * co + o) * oh + r) * ow + q]);
            }
        }
        // A = ATᵀ: (A d Aᵀ)[k][l] = Σ AT[a][k] d[a][b] AT[b][l]
        double[] out = new double[36];
        for (int k = 0; k < 6; k++) {
            for (int l = 0; l < 6; l++) {
                double s = 0;
                for (int a = 0; a < 4; a++) {
                    for (int b = 0; b < 4; b++) s += Math.abs(AT[a][k]) * d[4 * a + b] * Math.abs(AT[b][l]);
                }
                out[6 * k + l] = s;
            }
        }
        return out;
    }

    /** |L| d |R|ᵀ for a d of {@code inner × inner} and L, R with {@code inner} columns (6 rows each). */
    private static double[] sandwich(double[][] left, double[] d, int inner, double[][] right) {
        double[] out = new double[36];
        for (int k = 0; k < 6; k++) {
            for (int l = 0; l < 6; l++) {
                double s = 0;
                for (int a = 0; a < inner; a++) {
                    for (int b = 0; b < inner; b++) s += Math.abs(left[k][a]) * d[inner * a + b] * Math.abs(right[l][b]);
                }
                out[6 * k + l] = s;
            }
        }
        return out;
    }

    /** The scale of each forward output: Σ_c |Aᵀ| (Ũ_c ⊙ Ṽ_c) |A| at the output's place in its tile. */
    static double[] forwardScale(float[] x, int n, int ci, int h, int w, int pad, float[] wt, int co) {
        int oh = outSize(h, pad), ow = outSize(w, pad);
        double[] scale = new double[n * co * oh * ow];
        double[][] u = filters(wt, co, ci);
        for (int i = 0; i < n; i++) {
            for (int th = 0; th < tiles(oh); th++) {
                for (int tw = 0; tw < tiles(ow); tw++) {
                    double[][] v = new double[ci][];
                    for (int c = 0; c < ci; c++) v[c] = absInputTile(x, i, c, ci, h, w, pad, th, tw);
                    for (int o = 0; o < co; o++) {
                        double[] m = new double[36];
                        for (int c = 0; c < ci; c++) {
                            for (int f = 0; f < 36; f++) m[f] += u[o * ci + c][f] * v[c][f];
                        }
                        for (int a = 0; a < 4; a++) {
                            for (int b = 0; b < 4; b++) {
                                int r = 4 * th + a, q = 4 * tw + b;
                                if (r >= oh || q >= ow) continue;
                                double s = 0;
                                for (int k = 0; k < 6; k++) {
                                    for (int l = 0; l < 6; l++) s += Math.abs(AT[a][k]) * m[6 * k + l] * Math.abs(AT[b][l]);
                                }
                                scale[((i * co + o) * oh + r) * ow + q] = s;
                            }
                        }
                    }
                }
            }
        }
        return scale;
    }

    /** The scale of each input-gradient element: |B| (Σ_o Ũ_oc ⊙ |A| |dY_o| |Aᵀ|) |Bᵀ| summed over the patches holding it. */
    static double[] inputGradientScale(float[] dy, int n, int co, int ci, int h, int w, int pad, float[] wt) {
        int oh = outSize(h, pad), ow = outSize(w, pad);
        double[] scale = new double[n * ci * h * w];
        double[][] u = filters(wt, co, ci);
        for (int i = 0; i < n; i++) {
            for (int th = 0; th < tiles(oh); th++) {
                for (int tw = 0; tw < tiles(ow); tw++) {
                    double[][] dm = new double[co][];
                    for (int o = 0; o < co; o++) dm[o] = absOutputGradientTile(dy, i, o, co, oh, ow, th, tw);
                    for (int c = 0; c < ci; c++) {
                        double[] dv = new double[36];
                        for (int o = 0; o < co; o++) {
                            for (int f = 0; f < 36; f++) dv[f] += u[o * ci + c][f] * dm[o][f];
                        }
                        for (int a = 0; a < 6; a++) {
                            for (int b = 0; b < 6; b++) {
                                int ih = 4 * th + a - pad, iw = 4 * tw + b - pad;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                double s = 0; // (B dv Bᵀ)[a][b] = Σ BT[k][a] dv[k][l] BT[l][b]
                                for (int k = 0; k < 6; k++) {
                                    for (int l = 0; l < 6; l++) s += Math.abs(BT[k][a]) * dv[6 * k + l] * Math.abs(BT[l][b]);
                                }
                                scale[((i * ci + c) * h + ih) * w + iw] += s;
                            }
                        }
                    }
                }
            }
        }
        return scale;
    }

    /** The scale of each weight-gradient element: |Gᵀ| (Σ_tiles |A| |dY| |Aᵀ| ⊙ |Bᵀ| |d| |B|) |G|. */
    static double[] weightGradientScale(float[] x, float[] dy, int n, int ci, int h, int w, int pad, int co) {
        int oh = outSize(h, pad), ow = outSize(w, pad);
        double[] du = new double[co * ci * 36];
        for (int i = 0; i < n; i++) {
            for (int th = 0; th < tiles(oh); th++) {
                for (int tw = 0; tw < tiles(ow); tw++) {
                    double[][] v = new double[ci][];
                    for (int c = 0; c < ci; c++) v[c] = absInputTile(x, i, c, ci, h, w, pad, th, tw);
                    for (int o = 0; o < co; o++) {
                        double[] dm = absOutputGradientTile(dy, i, o, co, oh, ow, th, tw);
                        for (int c = 0; c < ci; c++) {
                            for (int f = 0; f < 36; f++) du[(o * ci + c) * 36 + f] += dm[f] * v[c][f];
                        }
                    }
                }
            }
        }
        double[] scale = new double[co * ci * 9];
        for (int oc = 0; oc < co * ci; oc++) {
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    double s = 0;
                    for (int k = 0; k < 6; k++) {
                        for (int l = 0; l < 6; l++) s += Math.abs(G[k][a]) * du[oc * 36 + 6 * k + l] * Math.abs(G[l][b]);
                    }
                    scale[oc * 9 + 3 * a + b] = s;
                }
            }
        }
        return scale;
    }

    private static double[][] filters(float[] wt, int co, int ci) {
        double[][] u = new double[co * ci][];
        for (int o = 0; o < co; o++) {
            for (int c = 0; c < ci; c++) u[o * ci + c] = absFilter(wt, o, c, ci);
        }
        return u;
    }
}
