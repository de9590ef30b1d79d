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
