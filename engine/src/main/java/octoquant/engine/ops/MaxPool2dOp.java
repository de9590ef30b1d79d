package octoquant.engine.ops;

import octoquant.engine.kernels.Parallel;
import octoquant.engine.tensor.Shape;
import octoquant.engine.tensor.Tensor;

/**
 * 2-d max pooling over NCHW input (no padding, floor of the output size, as PyTorch's default). Within
 * a window the first maximum in row-major order wins, and a NaN wins over numbers, as in PyTorch; the
 * gradient goes to that one input.
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
        int[] argmax = new int[y.length]; // absolute index into x of each output's winner
        Parallel.forRange(planes, 1, (s, e) -> {
            for (int pl = s; pl < e; pl++) {
                int base = pl * inPlane;
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        int best = base + oh * stride * w + ow * stride;
                        float max = xs[best];
                        for (int i = 0; i < kernel; i++) {
                            int row = base + (oh * stride + i) * w + ow * stride;
                            for (int j = 0; j < kernel; j++) {
                                float v = xs[row + j];
                                if (v > max || (Float.isNaN(v) && !Float.isNaN(max))) {
                                    max = v;
                                    best = row + j;
                                }
                            }
                        }
                        int o = pl * outPlane + oh * outW + ow;
                        y[o] = max;
                        argmax[o] = best;
                    }
                }
            }
        });
        return Tensor.fromOp("maxPool2d", y, Shape.of(n, c, outH, outW), false, g -> {
            float[] gx = x.gradBuffer();
            // Each plane's outputs only reach that plane's inputs: parallel over planes is race-free.
            Parallel.forRange(planes, 1, (s, e) -> {
                for (int o = s * outPlane; o < e * outPlane; o++) gx[argmax[o]] += g[o];
            });
        }, x);
    }
}
