package octoquant.engine.ops;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.tensor.Shape;
import octoquant.engine.tensor.Tensor;

/**
 * 2-d max pooling over NCHW input (no padding, floor of the output size, as PyTorch's default). Within
 * a window the first maximum in row-major order wins, and a NaN wins over numbers, as in PyTorch; the
 * gradient goes to that one input.
 *
 * <p>The winner of each window is remembered only when a backward pass will need it, as its position
 * inside the window (one byte) for windows of up to 127 inputs, else as an index into the input. The
 * common 2×2, stride-2 window has its own loop. Planes run in parallel; each plane's outputs reach only
 * that plane's inputs, so results do not depend on the thread count.
 */
public final class MaxPool2dOp {
    private MaxPool2dOp() {}

    public static Tensor forward(Tensor x, int kernel, int stride) {
        if (x.rank() != 4) throw new IllegalArgumentException("maxPool2d: input must be [N, C, H, W], got " + x.shape());
        if (kernel < 1 || stride < 1) throw new IllegalArgumentException("maxPool2d: kernel and stride must be ≥ 1, got " + kernel + ", " + stride);
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        if (h < kernel || w < kernel) {
            throw new IllegalArgumentException("maxPool2d: input " + x.shape() + " is smaller than the kernel " + kernel + "x" + kernel);
        }
        int outH = (h - kernel) / stride + 1, outW = (w - kernel) / stride + 1;
        int planes = n * c, inPlane = h * w, outPlane = outH * outW;
        float[] xs = x.data();
        float[] y = new float[planes * outPlane];
        boolean recording = Grad.isEnabled() && x.requiresGrad();
        if (kernel * kernel > Byte.MAX_VALUE) return generic(x, kernel, stride, outH, outW, y, recording);
        // Winner of each output: its position in the window, row-major.
        byte[] where = recording ? new byte[y.length] : null;
        Parallel.forRange(planes, 1, (s, e) -> {
            for (int pl = s; pl < e; pl++) {
                if (kernel == 2 && stride == 2) pool2x2(xs, pl * inPlane, w, outH, outW, y, pl * outPlane, where);
                else poolPlane(xs, pl * inPlane, w, kernel, stride, outH, outW, y, pl * outPlane, where);
            }
        });
        return Tensor.fromOp("maxPool2d", y, Shape.of(n, c, outH, outW), false, g -> {
            float[] gx = x.gradBuffer();
            Parallel.forRange(planes, 1, (s, e) -> {
                for (int pl = s; pl < e; pl++) {
                    int in = pl * inPlane;
                    for (int oh = 0, o = pl * outPlane; oh < outH; oh++) {
                        for (int ow = 0; ow < outW; ow++, o++) {
                            int at = where[o];
                            gx[in + (oh * stride + at / kernel) * w + ow * stride + at % kernel] += g[o];
                        }
                    }
                }
            });
        }, x);
    }

    /** True when {@code v} beats the current maximum: larger, or the first NaN. */
    static boolean beats(float v, float max) {
        return v > max || (v != v && max == max);
    }

    /**
     * One plane of a 2×2, stride-2 pool: {@code y[out + oh·outW + ow]} is the window's first maximum and,
     * when {@code where} is given, {@code where[same index]} its position 0..3 (row-major) in the window.
     */
    static void pool2x2(float[] xs, int in, int w, int outH, int outW, float[] y, int out, byte[] where) {
        for (int oh = 0; oh < outH; oh++) {
            int r0 = in + 2 * oh * w, r1 = r0 + w, o = out + oh * outW;
            for (int ow = 0; ow < outW; ow++) {
                // Without branches (the winner is data-dependent and would defeat the branch predictor):
                // the first maximum of a, b, then of c, d, then of the two, with beats() as the rule.
                int j = 2 * ow;
                float a = xs[r0 + j], b = xs[r0 + j + 1], c = xs[r1 + j], d = xs[r1 + j + 1];
                boolean bWins = beatsNoBranch(b, a), dWins = beatsNoBranch(d, c);
                float top = bWins ? b : a, bottom = dWins ? d : c;
                boolean bottomWins = beatsNoBranch(bottom, top);
                y[o + ow] = bottomWins ? bottom : top;
                if (where != null) where[o + ow] = (byte) (bottomWins ? (dWins ? 3 : 2) : (bWins ? 1 : 0));
            }
        }
    }

    /** {@link #beats} with non-short-circuit operators. */
    private static boolean beatsNoBranch(float v, float max) {
        return v > max | (v != v & max == max);
    }

    static void poolPlane(float[] xs, int in, int w, int kernel, int stride, int outH, int outW,
                                  float[] y, int out, byte[] where) {
        for (int oh = 0, o = out; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++, o++) {
                int corner = in + oh * stride * w + ow * stride;
                float max = xs[corner];
                int at = 0;
                for (int i = 0; i < kernel; i++) {
                    for (int j = 0; j < kernel; j++) {
                        float v = xs[corner + i * w + j];
                        if (beats(v, max)) {
                            max = v;
                            at = i * kernel + j;
                        }
                    }
                }
                y[o] = max;
                if (where != null) where[o] = (byte) at;
            }
        }
    }

    /** Windows too large for a byte position: remember the winner's index into the input. */
    private static Tensor generic(Tensor x, int kernel, int stride, int outH, int outW, float[] y, boolean recording) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int planes = n * c, inPlane = h * w, outPlane = outH * outW;
        float[] xs = x.data();
        int[] argmax = recording ? new int[y.length] : null;
        Parallel.forRange(planes, 1, (s, e) -> {
            for (int pl = s; pl < e; pl++) {
                for (int oh = 0, o = pl * outPlane; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++, o++) {
                        int best = pl * inPlane + oh * stride * w + ow * stride;
                        float max = xs[best];
                        for (int i = 0; i < kernel; i++) {
                            int row = pl * inPlane + (oh * stride + i) * w + ow * stride;
                            for (int j = 0; j < kernel; j++) {
                                if (beats(xs[row + j], max)) {
                                    max = xs[row + j];
                                    best = row + j;
                                }
                            }
                        }
                        y[o] = max;
                        if (argmax != null) argmax[o] = best;
                    }
                }
            }
        });
        return Tensor.fromOp("maxPool2d", y, Shape.of(n, c, outH, outW), false, g -> {
            float[] gx = x.gradBuffer();
            Parallel.forRange(planes, 1, (s, e) -> {
                for (int o = s * outPlane; o < e * outPlane; o++) gx[argmax[o]] += g[o];
            });
        }, x);
    }
}
