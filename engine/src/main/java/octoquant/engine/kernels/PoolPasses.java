package octoquant.engine.kernels;

/**
 * The bias + ReLU + 2×2 stride-2 max-pool pass after the fused convolution's GEMM
 * ({@code ops.ConvReluPoolOp}), one channel at a time, optionally noting each window's winner for the
 * backward pass, and that backward pass: the convolution output's gradient, or a weight gradient summed
 * over the winners alone from the input unfolded one row per position. This class is the scalar form;
 * the Vector API form ({@code ops.VectorPoolPasses}) gives the same values, winners and sums: the pool
 * passes are exact (maxima, comparisons and additions of the same operands), and the winners' products
 * are fused multiply-adds in the same order. {@link VectorizationProvider#poolPasses()} hands out the form
 * in use. Stateless.
 */
public class PoolPasses {
    /** Created by the providers. */
    protected PoolPasses() {}

    /**
     * One channel {@code y[in...]} of {@code [outH, w]} (ph = outH / 2 and pw = w / 2 windows; a last odd
     * row or column is read by no window): {@code out[o + r·pw + q] = max(max_k(y_k + bias), 0)} over the
     * window's members k = 0…3 (row-major), the same as pooling {@code max(y + bias, 0)}; a window with a
     * NaN gives NaN (Math.max's rule), as the unfused ReLU and pool do. When {@code where} is not null,
     * {@code where[o + r·pw + q]} gets the first k whose {@code y_k + bias} equals the window's maximum:
     * the pool's first-maximum rule wherever the pooled value is positive (the only windows backward
     * reads; elsewhere the code is some k in 0…3).
     */
    public void biasReluPool(float[] y, int in, int w, int ph, int pw, float bias, float[] out, int[] where, int o) {
        for (int r = 0; r < ph; r++) {
            int r0 = in + 2 * r * w;
            biasReluPoolRow(y, r0, r0 + w, 0, pw, bias, out, where, o + r * pw);
        }
    }

    /**
     * {@link #biasReluPool} without winners for one channel whose convolution output is in pool order
     * ({@code ops.Im2Col.im2colPoolOrder}): member k (row-major) of window t at {@code y[in + k·windows + t]}.
     * {@code out[o + t] = max(max_k(y_k + bias), 0)}, the same values as {@link #biasReluPool}.
     */
    public void biasReluPoolMembers(float[] y, int in, int windows, float bias, float[] out, int o) {
        biasReluPoolMembers(y, in, windows, 0, windows, bias, out, o);
    }

    /** Windows {@code [from, to)} of {@link #biasReluPoolMembers(float[], int, int, float, float[], int)}. */
    protected static void biasReluPoolMembers(float[] y, int in, int windows, int from, int to, float bias, float[] out, int o) {
        int b1 = in + windows, b2 = b1 + windows, b3 = b2 + windows;
        for (int t = from; t < to; t++) {
            float a = y[in + t] + bias, b = y[b1 + t] + bias, c = y[b2 + t] + bias, d = y[b3 + t] + bias;
            out[o + t] = Math.max(Math.max(Math.max(a, b), Math.max(c, d)), 0f);
        }
    }

    /**
     * One image's convolution, bias, ReLU and pool in pool order without its columns: the same floats as
     * this provider's GEMM of the filters {@code w[wOff + c·taps + r]} by the pool-order columns
     * ({@code ops.Im2Col.im2colPoolOrder}) followed by {@link #biasReluPoolMembers(float[], int, int, float, float[], int[], int)}
     * (or, when {@code where} is null, the form without winners), where the GEMM reduces each element in
     * one k-block and its wide micro-kernel ({@link Gemm#reducesInOneBlock} of {@code taps},
     * {@link Gemm#columnPermutationExact} of {@code 4·windows}). Member m of window t under tap r reads
     * {@code src[sources[r·4 + m] + t]} (the phase planes and {@code ops.Im2Col.poolOrderSources}); each
     * member's value is the products over r in order added to a running sum from 0, as the GEMM's
     * micro-kernel adds them (here a product rounded then added). Channel c's windows go to
     * {@code out[o + c·windows ..]} and {@code where[o + c·windows ..]}; {@code bias} null adds +0.
     */
    public void convBiasReluPoolMembers(float[] w, int wOff, int channels, int taps, float[] src, int[] sources,
                                        int windows, float[] bias, float[] out, int o, int[] where) {
        convBiasReluPoolMembers(w, wOff, 0, channels, taps, src, sources, 0, windows, windows, bias, out, o, where, false);
    }

    /**
     * Channels {@code [c0, c1)} and windows {@code [from, to)} of
     * {@link #convBiasReluPoolMembers(float[], int, int, int, float[], int[], int, float[], float[], int, int[])},
     * each product and addition one fused multiply-add when {@code fused} (the Vector API GEMM's rounding).
     */
    protected static void convBiasReluPoolMembers(float[] w, int wOff, int c0, int c1, int taps, float[] src, int[] sources,
                                                  int from, int to, int windows, float[] bias, float[] out, int o,
                                                  int[] where, boolean fused) {
        for (int c = c0; c < c1; c++) {
            float b = bias == null ? 0f : bias[c];
            int wc = wOff + c * taps, oc = o + c * windows;
            for (int t = from; t < to; t++) {
                float y0 = 0f, y1 = 0f, y2 = 0f, y3 = 0f;
                for (int r = 0; r < taps; r++) {
                    float f = w[wc + r];
                    float x0 = src[sources[4 * r] + t], x1 = src[sources[4 * r + 1] + t];
                    float x2 = src[sources[4 * r + 2] + t], x3 = src[sources[4 * r + 3] + t];
                    if (fused) {
                        y0 = Math.fma(x0, f, y0);
                        y1 = Math.fma(x1, f, y1);
                        y2 = Math.fma(x2, f, y2);
                        y3 = Math.fma(x3, f, y3);
                    } else {
                        y0 += f * x0;
                        y1 += f * x1;
                        y2 += f * x2;
                        y3 += f * x3;
                    }
                }
                float a = y0 + b, bb = y1 + b, cc = y2 + b, d = y3 + b;
                float m = Math.max(Math.max(a, bb), Math.max(cc, d));
                out[oc + t] = Math.max(m, 0f);
                if (where != null) where[oc + t] = firstAtMaximum(a, bb, cc, m);
            }
        }
    }

    /**
     * {@link #biasReluPoolMembers(float[], int, int, float, float[], int)} noting each window's winner:
     * {@code where[o + t]} gets the first member k whose {@code y_k + bias} equals the window's maximum, the
     * rule (and the value) of {@link #biasReluPool}'s winners.
     */
    public void biasReluPoolMembers(float[] y, int in, int windows, float bias, float[] out, int[] where, int o) {
        biasReluPoolMembersWinners(y, in, windows, 0, windows, bias, out, where, o);
    }

    /** Windows {@code [from, to)} of {@link #biasReluPoolMembers(float[], int, int, float, float[], int[], int)}. */
    protected static void biasReluPoolMembersWinners(float[] y, int in, int windows, int from, int to, float bias,
                                                     float[] out, int[] where, int o) {
        int b1 = in + windows, b2 = b1 + windows, b3 = b2 + windows;
        for (int t = from; t < to; t++) {
            float a = y[in + t] + bias, b = y[b1 + t] + bias, c = y[b2 + t] + bias, d = y[b3 + t] + bias;
            float m = Math.max(Math.max(a, b), Math.max(c, d));
            out[o + t] = Math.max(m, 0f);
            where[o + t] = firstAtMaximum(a, b, c, m);
        }
    }

    /**
     * The backward of one channel of {@link #biasReluPoolMembers(float[], int, int, float, float[], int[], int)},
     * for a weight gradient that sums over the winners only: for windows t in [0, windows),
     * {@code passed[p + t]} = the pooled gradient {@code g[o + t]} when the pooled value {@code out[o + t]}
     * is positive (the ReLU let it through; never for NaN), else +0; {@code rowAt[p + t]} = where the
     * winner's row of the unfolded image starts, {@code rowsOff + (where[o + t]·windows + t)·rowStride}
     * (rows in pool order, one per position, {@code rowStride} floats apart).
     */
    public void passedWinners(float[] g, float[] out, int[] where, int o, int windows, int rowsOff, int rowStride,
                              float[] passed, int[] rowAt, int p) {
        passedWinners(g, out, where, o, 0, windows, windows, rowsOff, rowStride, passed, rowAt, p);
    }

    /** Windows {@code [from, to)} of {@link #passedWinners(float[], float[], int[], int, int, int, int, float[], int[], int)}. */
    protected static void passedWinners(float[] g, float[] out, int[] where, int o, int from, int to, int windows,
                                        int rowsOff, int rowStride, float[] passed, int[] rowAt, int p) {
        for (int t = from; t < to; t++) {
            passed[p + t] = out[o + t] > 0f ? g[o + t] : 0f;
            rowAt[p + t] = rowsOff + (where[o + t] * windows + t) * rowStride;
        }
    }

    /**
     * The weight-gradient products of one image over its pool winners, for {@code channels} channels:
     * {@code acc[a + c·rowStride + k] += Σ_t passed[p + c·windows + t] · rows[rowAt[p + c·windows + t] + k]}
     * for k in [0, rowStride), summed over windows t in order as one chain of fused multiply-adds per
     * element, starting from the element's value. That is the image's share of {@code dy · colsᵀ} with 3 of
     * every window's 4 terms, the exact zeros, left out. A row's floats past the filter's taps may hold
     * anything: their lanes of {@code acc} are not part of the result. {@code rowStride} is a multiple of
     * 16 ({@link #rowStride}).
     */
    public void addWinnerProducts(float[] passed, int[] rowAt, int p, int windows, int channels, float[] rows,
                                  int rowStride, float[] acc, int a) {
        for (int c = 0; c < channels; c++) {
            int pc = p + c * windows, ac = a + c * rowStride;
            for (int k = 0; k < rowStride; k++) {
                float sum = acc[ac + k];
                for (int t = 0; t < windows; t++) sum = Math.fma(passed[pc + t], rows[rowAt[pc + t] + k], sum);
                acc[ac + k] = sum;
            }
        }
    }

    /** Floats per unfolded row for {@code taps} filter taps: rounded up to a multiple of 16. */
    public static int rowStride(int taps) {
        return (taps + 15) & ~15;
    }

    /**
     * Floats {@link #unfoldRowsPoolOrder} may write past its last row, and read past the end of the image.
     */
    public static final int UNFOLD_SLACK = 16;

    /**
     * A stride-1 convolution's input unfolded with one row per output position a 2×2 pool reads, in pool
     * order: the image {@code xp} is padded and channels-last ({@code xp[(r·wp + q)·ci + ch]}, r and q in
     * the padded plane, {@code wp} its width); output position {@code (2a + dr, 2b + dc)} gets row
     * {@code (2·dr + dc)·ph·pw + a·pw + b} of {@code rows}, {@code rowStride} floats apart, holding
     * {@code xp[((2a + dr + i)·wp + 2b + dc + j)·ci + ch]} at {@code (i·kw + j)·ci + ch} for the kh × kw taps
     * (one run of {@code kw·ci} floats per filter row i). The rest of each row is unspecified; the caller
     * leaves {@link #UNFOLD_SLACK} floats after the last row and after the image.
     */
    public void unfoldRowsPoolOrder(float[] xp, int wp, int ci, int kh, int kw, int ph, int pw, float[] rows, int rowStride) {
        int run = kw * ci, windows = ph * pw;
        for (int m = 0; m < 4; m++) {
            int dr = m >> 1, dc = m & 1;
            for (int a = 0; a < ph; a++) {
                for (int b = 0; b < pw; b++) {
                    int dst = (m * windows + a * pw + b) * rowStride;
                    for (int i = 0; i < kh; i++) {
                        int src = ((2 * a + dr + i) * wp + 2 * b + dc) * ci;
                        System.arraycopy(xp, src, rows, dst + i * run, run);
                    }
                }
            }
        }
    }

    /**
     * The pool's winner among members a, b, c, d whose maximum is m: the first equal to it, d (3) when none
     * of the others is (also when m is NaN). Selects, no data-dependent branches.
     */
    protected static int firstAtMaximum(float a, float b, float c, float m) {
        int at = c == m ? 2 : 3;
        at = b == m ? 1 : at;
        return a == m ? 0 : at;
    }

    /**
     * Windows {@code [from, to)} of one pooled row, input rows {@code r0} and {@code r1}; without
     * data-dependent branches (random winners would defeat the branch predictor).
     */
    protected static void biasReluPoolRow(float[] y, int r0, int r1, int from, int to, float bias, float[] out, int[] where, int o) {
        for (int q = from; q < to; q++) {
            int j = 2 * q;
            float a = y[r0 + j] + bias, b = y[r0 + j + 1] + bias, c = y[r1 + j] + bias, d = y[r1 + j + 1] + bias;
            float m = Math.max(Math.max(a, b), Math.max(c, d));
            out[o + q] = Math.max(m, 0f);
            if (where != null) where[o + q] = firstAtMaximum(a, b, c, m);
        }
    }

    /**
     * One channel's gradient of the convolution output, {@code dy[dyOff...]} of {@code [outH, w]}, every
     * element written: each window's pooled gradient {@code g[o + r·pw + q]} at its winner
     * {@code where[...]} when the pooled value is positive (the ReLU let it through; never for NaN), 0
     * everywhere else.
     */
    public void scatterWinners(float[] g, float[] out, int[] where, int o, int outH, int w, float[] dy, int dyOff) {
        int ph = outH / 2, pw = w / 2;
        zeroUncovered(dy, dyOff, outH, w);
        for (int r = 0; r < ph; r++) scatterWinnersRow(g, out, where, o + r * pw, 0, pw, dy, dyOff + 2 * r * w, w);
    }

    /**
     * Zeroes what no 2×2 window covers: the last column when w is odd, the last row when h is odd. The
     * windows write all four of their members, so the rest needs no clearing.
     */
    protected static void zeroUncovered(float[] dy, int dyOff, int h, int w) {
        int covered = 2 * (h / 2);
        if (w % 2 != 0) {
            for (int r = 0; r < covered; r++) dy[dyOff + r * w + w - 1] = 0f;
        }
        java.util.Arrays.fill(dy, dyOff + covered * w, dyOff + h * w, 0f);
    }

    /** Windows {@code [from, to)} of one pooled row: all four members written (the gradient or 0). */
    protected static void scatterWinnersRow(float[] g, float[] out, int[] where, int o, int from, int to, float[] dy, int top, int w) {
        for (int q = from; q < to; q++) {
            float grad = out[o + q] > 0f ? g[o + q] : 0f;
            int at = where[o + q], j = top + 2 * q;
            dy[j] = at == 0 ? grad : 0f;
            dy[j + 1] = at == 1 ? grad : 0f;
            dy[j + w] = at == 2 ? grad : 0f;
            dy[j + w + 1] = at == 3 ? grad : 0f;
        }
    }
}
