package octoquant.engine.ops;

/**
 * Unfolds one NCHW image into the column matrix a convolution multiplies by its filters, and folds a
 * column gradient back. Row {@code (c·kh + i)·kw + j} of the {@code [C·KH·KW, OH·OW]} matrix holds the
 * input pixel under filter tap (c, i, j) for each output position; taps over the zero padding hold 0.
 */
final class Im2Col {
    private Im2Col() {}

    /** Geometry of a 2-d window op. */
    record Geometry(int channels, int height, int width, int kh, int kw, int stride, int pad, int outH, int outW) {
        int rows() {
            return channels * kh * kw;
        }

        int positions() {
            return outH * outW;
        }
    }

    static void im2col(float[] x, int xOff, Geometry g, float[] col, int colOff) {
        int p = g.positions();
        int row = 0;
        for (int c = 0; c < g.channels(); c++) {
            int plane = xOff + c * g.height() * g.width();
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int dst = colOff + row * p;
                    for (int oh = 0; oh < g.outH(); oh++) {
                        int ih = oh * g.stride() - g.pad() + i;
                        if (ih < 0 || ih >= g.height()) {
                            java.util.Arrays.fill(col, dst, dst + g.outW(), 0f);
                            dst += g.outW();
                            continue;
                        }
                        int src = plane + ih * g.width();
                        for (int ow = 0; ow < g.outW(); ow++, dst++) {
                            int iw = ow * g.stride() - g.pad() + j;
                            col[dst] = iw < 0 || iw >= g.width() ? 0f : x[src + iw];
                        }
                    }
                }
            }
        }
    }

    /** Adds the column gradient back onto the image gradient (the adjoint of {@link #im2col}). */
    static void col2imAdd(float[] col, int colOff, Geometry g, float[] dx, int dxOff) {
        int p = g.positions();
        int row = 0;
        for (int c = 0; c < g.channels(); c++) {
            int plane = dxOff + c * g.height() * g.width();
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int src = colOff + row * p;
                    for (int oh = 0; oh < g.outH(); oh++) {
                        int ih = oh * g.stride() - g.pad() + i;
                        if (ih < 0 || ih >= g.height()) {
                            src += g.outW();
                            continue;
                        }
                        int dst = plane + ih * g.width();
                        for (int ow = 0; ow < g.outW(); ow++, src++) {
                            int iw = ow * g.stride() - g.pad() + j;
                            if (iw >= 0 && iw < g.width()) dx[dst + iw] += col[src];
                        }
                    }
                }
            }
        }
    }
}
