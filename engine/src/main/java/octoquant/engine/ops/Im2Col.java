package octoquant.engine.ops;

import java.util.Arrays;

/**
 * Unfolds one NCHW image into the column matrix a convolution multiplies by its filters, and folds a
 * column gradient back. Row {@code (c·kh + i)·kw + j} of the {@code [C·KH·KW, OH·OW]} matrix holds the
 * input pixel under filter tap (c, i, j) for each output position; taps over the zero padding hold 0.
 *
 * <p>For each tap and output row the output columns whose input column lies inside the image form one
 * contiguous range, computed up front, so the inner loops have no bounds tests: a plain copy (stride 1)
 * or strided gather, with the padding columns on either side set to 0.
 *
 * <p>Public so that benchmarks outside the engine (the im2col baseline {@code WinogradBenchmark} races
 * Winograd against) run exactly the unfolding the convolution ops run.
 */
public final class Im2Col {
    private Im2Col() {}

    /**
     * Geometry of a 2-d window op: input {@code channels × height × width}, kernel {@code kh × kw},
     * stride, zero padding on every side, and the output size {@code outH × outW} it gives.
     */
    public record Geometry(int channels, int height, int width, int kh, int kw, int stride, int pad, int outH, int outW) {
        /** Rows of the column matrix: {@code channels·kh·kw}. */
        public int rows() {
            return channels * kh * kw;
        }

        /** Columns of the column matrix: output positions {@code outH·outW}. */
        public int positions() {
            return outH * outW;
        }

        /** First output column whose input column {@code ow·stride − pad + j} is ≥ 0. */
        int firstValidColumn(int j) {
            int need = pad - j; // ow·stride ≥ need
            return need <= 0 ? 0 : Math.min(outW, (need + stride - 1) / stride);
        }

        /** One past the last output column whose input column is < width. */
        int endValidColumn(int j) {
            int limit = width + pad - j; // ow·stride < limit
            return limit <= 0 ? 0 : Math.min(outW, (limit + stride - 1) / stride);
        }
    }

    /** Unfolds image {@code x[xOff ..]} ({@code [C][H][W]}) into {@code col[colOff ..]} ({@code [C·KH·KW][OH·OW]}). */
    public static void im2col(float[] x, int xOff, Geometry g, float[] col, int colOff) {
        int outW = g.outW(), stride = g.stride(), pad = g.pad(), h = g.height(), w = g.width();
        int row = 0;
        for (int c = 0; c < g.channels(); c++) {
            int plane = xOff + c * h * w;
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int lo = g.firstValidColumn(j), hi = Math.max(lo, g.endValidColumn(j));
                    int dst = colOff + row * g.positions();
                    for (int oh = 0; oh < g.outH(); oh++, dst += outW) {
                        int ih = oh * stride - pad + i;
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(col, dst, dst + outW, 0f);
                            continue;
                        }
                        // Input column of output column ow: ow·stride + shift.
                        int src = plane + ih * w, shift = j - pad;
                        for (int ow = 0; ow < lo; ow++) col[dst + ow] = 0f;
                        if (stride == 1) {
                            System.arraycopy(x, src + lo + shift, col, dst + lo, hi - lo);
                        } else {
                            for (int ow = lo; ow < hi; ow++) col[dst + ow] = x[src + ow * stride + shift];
                        }
                        for (int ow = hi; ow < outW; ow++) col[dst + ow] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Whether {@link #im2colPoolOrder} applies: stride 1 and an output of at least 2 × 2.
     */
    public static boolean poolOrderApplies(Geometry g) {
        return g.stride() == 1 && g.outH() >= 2 && g.outW() >= 2;
    }

    /** Floats of the scratch {@link #im2colPoolOrder} needs for an image of geometry {@code g}. */
    public static int poolOrderScratch(Geometry g) {
        return g.channels() * 4 * shifts(g) * phaseRows(g) * (g.outW() / 2);
    }

    /** Column shifts of a phase plane: output column 2b + dc under tap j reads phase column b + (dc + j) / 2. */
    private static int shifts(Geometry g) {
        return g.kw() / 2 + 1;
    }

    /** Rows of a phase plane: window row a under tap i reads phase row a + (dr + i) / 2. */
    private static int phaseRows(Geometry g) {
        return g.outH() / 2 + g.kh() / 2;
    }

    /**
     * {@link #im2col} restricted to the positions a 2×2 stride-2 max-pool reads, in pool order: output
     * position {@code (2a + dr, 2b + dc)} goes to column {@code (2·dr + dc)·ph·pw + a·pw + b} (ph = outH / 2,
     * pw = outW / 2), so the four members of a window sit {@code ph·pw} columns apart and a last odd output
     * row or column is left out; rows and values as in {@link #im2col}. Only where {@link #poolOrderApplies}.
     *
     * <p>{@code phases} is scratch of at least {@link #poolOrderScratch} floats. The padded input is first cut
     * into phase planes, {@code P[c][rp][cp][s][r][b] = padded(2r + rp, 2(b + s) + cp)}, pw columns wide;
     * then each member's block of a row of the result ({@code ph·pw} values) is one copy of a phase plane
     * from row {@code (dr + i) / 2}, with rp = (dr + i) mod 2, cp = (dc + j) mod 2 and s = (dc + j) / 2.
     */
    public static void im2colPoolOrder(float[] x, int xOff, Geometry g, float[] col, int colOff, float[] phases) {
        poolOrderPhases(x, xOff, g, phases);
        int windows = (g.outH() / 2) * (g.outW() / 2), rows = g.rows();
        for (int row = 0; row < rows; row++) {
            for (int member = 0; member < 4; member++) {
                System.arraycopy(phases, poolOrderSource(g, row, member), col, colOff + (row * 4 + member) * windows, windows);
            }
        }
    }

    /**
     * The phase planes of {@link #im2colPoolOrder} for image {@code x[xOff ..]}, into {@code phases} (at least
     * {@link #poolOrderScratch} floats): each member's block of a column row is then {@code ph·pw}
     * consecutive floats of it, from {@link #poolOrderSources}. Only where {@link #poolOrderApplies}.
     */
    public static void poolOrderPhases(float[] x, int xOff, Geometry g, float[] phases) {
        if (!poolOrderApplies(g)) {
            throw new IllegalArgumentException("im2colPoolOrder: needs stride 1 and an output of at least 2x2, got " + g);
        }
        int h = g.height(), w = g.width(), pad = g.pad(), shifts = shifts(g), rows = phaseRows(g);
        int pw = g.outW() / 2, plane = rows * pw;
        int at = 0;
        for (int c = 0; c < g.channels(); c++) {
            for (int rp = 0; rp < 2; rp++) {
                for (int cp = 0; cp < 2; cp++) {
                    for (int s = 0; s < shifts; s++, at += plane) {
                        // Phase column b is input column 2(b + s) + cp − pad: inside the image for b in [lo, hi).
                        int first = 2 * s + cp - pad;
                        int lo = Math.min(pw, first >= 0 ? 0 : (1 - first) / 2);
                        int hi = Math.max(lo, Math.min(pw, first >= w ? 0 : (w - first + 1) / 2));
                        for (int r = 0; r < rows; r++) {
                            int ih = 2 * r + rp - pad, dst = at + r * pw;
                            if (ih < 0 || ih >= h) {
                                Arrays.fill(phases, dst, dst + pw, 0f);
                                continue;
                            }
                            int src = xOff + (c * h + ih) * w + first;
                            for (int b = 0; b < lo; b++) phases[dst + b] = 0f;
                            for (int b = lo; b < hi; b++) phases[dst + b] = x[src + 2 * b];
                            for (int b = hi; b < pw; b++) phases[dst + b] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * Where in {@link #poolOrderPhases}' planes each member's block of each column row starts:
     * {@code sources[row·4 + member]}, row = (c·kh + i)·kw + j as in {@link #im2col}, member = 2·dr + dc.
     */
    public static int[] poolOrderSources(Geometry g) {
        int[] sources = new int[g.rows() * 4];
        for (int row = 0; row < g.rows(); row++) {
            for (int member = 0; member < 4; member++) sources[row * 4 + member] = poolOrderSource(g, row, member);
        }
        return sources;
    }

    private static int poolOrderSource(Geometry g, int row, int member) {
        int taps = g.kh() * g.kw(), c = row / taps, i = (row % taps) / g.kw(), j = row % g.kw();
        int dr = member >> 1, dc = member & 1, pw = g.outW() / 2, plane = phaseRows(g) * pw;
        int p = (((c * 2 + ((dr + i) & 1)) * 2 + ((dc + j) & 1)) * shifts(g) + ((dc + j) >> 1)) * plane;
        return p + ((dr + i) >> 1) * pw;
    }

    /** Width of {@link #paddedChannelsLast}'s plane: {@code width + 2·pad}. */
    public static int paddedWidth(Geometry g) {
        return g.width() + 2 * g.pad();
    }

    /** Floats of {@link #paddedChannelsLast}'s result: {@code (height + 2·pad)·(width + 2·pad)·channels}. */
    public static int paddedChannelsLastSize(Geometry g) {
        return (g.height() + 2 * g.pad()) * paddedWidth(g) * g.channels();
    }

    /**
     * Image {@code x[xOff ..]} ({@code [C][H][W]}) zero-padded on every side and channels last:
     * {@code xp[(r·wp + q)·C + c]} = the pixel of channel c at row r − pad, column q − pad (0 in the
     * padding), wp = {@link #paddedWidth}.
     */
    public static void paddedChannelsLast(float[] x, int xOff, Geometry g, float[] xp) {
        int h = g.height(), w = g.width(), pad = g.pad(), ci = g.channels(), wp = paddedWidth(g);
        Arrays.fill(xp, 0, pad * wp * ci, 0f);
        Arrays.fill(xp, (pad + h) * wp * ci, paddedChannelsLastSize(g), 0f);
        for (int r = 0; r < h; r++) {
            int row = (r + pad) * wp * ci;
            Arrays.fill(xp, row, row + pad * ci, 0f);
            Arrays.fill(xp, row + (pad + w) * ci, row + wp * ci, 0f);
            for (int c = 0; c < ci; c++) {
                int src = xOff + (c * h + r) * w, dst = row + pad * ci + c;
                for (int q = 0; q < w; q++) xp[dst + q * ci] = x[src + q];
            }
        }
    }

    /** Adds the column gradient back onto the image gradient (the adjoint of {@link #im2col}). */
    public static void col2imAdd(float[] col, int colOff, Geometry g, float[] dx, int dxOff) {
        int outW = g.outW(), stride = g.stride(), pad = g.pad(), h = g.height(), w = g.width();
        int row = 0;
        for (int c = 0; c < g.channels(); c++) {
            int plane = dxOff + c * h * w;
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int lo = g.firstValidColumn(j), hi = Math.max(lo, g.endValidColumn(j));
                    int src = colOff + row * g.positions();
                    for (int oh = 0; oh < g.outH(); oh++, src += outW) {
                        int ih = oh * stride - pad + i;
                        if (ih < 0 || ih >= h) continue;
                        int dst = plane + ih * w + j - pad;
                        if (stride == 1) {
                            for (int ow = lo; ow < hi; ow++) dx[dst + ow] += col[src + ow];
                        } else {
                            for (int ow = lo; ow < hi; ow++) dx[dst + ow * stride] += col[src + ow];
                        }
                    }
                }
            }
        }
    }
}
