package octoquant.engine.integer;

import octoquant.engine.storage.WeightStorage;

import octoquant.engine.kernels.Parallel;

/**
 * Integer inference of a 2-d convolution over NCHW input (square kernel, stride, zero padding): the int8
 * input is unfolded (im2col) with the input's zero point as padding — so padding is the real 0 — and
 * multiplied by the int8 filters {@code CO × (CI·K·K)} in {@link IntGemm}. Output NCHW, float or int8
 * as in {@link IntegerLinear}.
 */
public final class IntegerConv2d {
    private final IntWeights w;
    private final float[] bias;
    private final ActivationQuant in;
    private final int inChannels, kernel, stride, padding;

    public IntegerConv2d(WeightStorage weight, float[] bias, ActivationQuant in, int inChannels, int kernel,
                         int stride, int padding) {
        this.w = IntWeights.of(weight, "IntegerConv2d");
        if (w.cols() != inChannels * kernel * kernel) {
            throw new IllegalArgumentException("IntegerConv2d: weight " + w.rows() + "x" + w.cols() + " is not "
                    + "outChannels x " + inChannels + "·" + kernel + "·" + kernel);
        }
        if (bias != null && bias.length != w.rows()) {
            throw new IllegalArgumentException("IntegerConv2d: bias has " + bias.length + " values for " + w.rows() + " filters");
        }
        this.bias = bias;
        this.in = in;
        this.inChannels = inChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    public int outputSize(int size) {
        return (size + 2 * padding - kernel) / stride + 1;
    }

    /** Float output {@code [batch, CO, OH, OW]} from float input {@code [batch, CI, H, W]}. */
    public float[] forward(float[] x, int batch, int height, int width) {
        return forwardQuantized(in.quantize(x), batch, height, width);
    }

    public ActivationQuant inputQuant() {
        return in;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return w.rows();
    }

    /** The step of filter {@code c}'s weights (its accumulator step is {@code inputQuant().scale()} times it). */
    public float weightScale(int c) {
        return w.scale(c);
    }

    public float[] forwardQuantized(byte[] xq, int batch, int height, int width) {
        int positions = outputSize(height) * outputSize(width), co = w.rows();
        float[] y = new float[batch * co * positions];
        accumulate(xq, batch, height, width, (b, acc) -> {
            for (int c = 0; c < co; c++) {
                float s = in.scale() * w.scale(c);
                float bc = bias == null ? 0f : bias[c];
                int outBase = (b * co + c) * positions;
                for (int p = 0; p < positions; p++) y[outBase + p] = acc[p * co + c] * s + bc;
            }
        });
        return y;
    }

    /**
     * int8 output NCHW at {@code out}'s scale, optionally through ReLU (clamped at out's zero point), as
     * {@link IntegerLinear#forwardInt8}: the bias is added in int32 at the accumulator step and the sum is
     * requantized with integer arithmetic ({@link Requantizer}).
     */
    public byte[] forwardInt8(byte[] xq, int batch, int height, int width, ActivationQuant out, boolean relu) {
        int positions = outputSize(height) * outputSize(width), co = w.rows();
        Requantizer[] rq = new Requantizer[co];
        int[] biasInt = new int[co];
        for (int c = 0; c < co; c++) {
            double accScale = (double) in.scale() * w.scale(c);
            rq[c] = new Requantizer(accScale / out.scale());
            biasInt[c] = bias == null ? 0 : (int) Math.round(bias[c] / accScale);
        }
        int lo = relu ? Math.max(ActivationQuant.QMIN, out.zeroPoint()) : ActivationQuant.QMIN;
        byte[] y = new byte[batch * co * positions];
        accumulate(xq, batch, height, width, (b, acc) -> {
            for (int c = 0; c < co; c++) {
                int outBase = (b * co + c) * positions;
                for (int p = 0; p < positions; p++) {
                    int q = rq[c].apply(acc[p * co + c] + biasInt[c]) + out.zeroPoint();
                    y[outBase + p] = (byte) Math.max(lo, Math.min(ActivationQuant.QMAX, q));
                }
            }
        });
        return y;
    }

    /** Receives one image's int32 accumulators, {@code positions × CO}; called from several threads at once. */
    private interface ImageAccumulators {
        void accept(int image, int[] acc);
    }

    private void accumulate(byte[] xq, int batch, int height, int width, ImageAccumulators sink) {
        if (xq.length != batch * inChannels * height * width) {
            throw new IllegalArgumentException("IntegerConv2d: input of " + xq.length + " values is not "
                    + batch + "x" + inChannels + "x" + height + "x" + width);
        }
        int oh = outputSize(height), ow = outputSize(width), positions = oh * ow;
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("IntegerConv2d: input " + height + "x" + width + " is smaller than the "
                    + kernel + "x" + kernel + " kernel with padding " + padding);
        }
        int co = w.rows(), k = w.cols();
        // images are independent and each writes its own output, so splitting the batch over threads
        // changes no bit; each chunk of images has its own column and accumulator buffers
        Parallel.forRange(batch, 1, (first, end) -> {
            byte[] col = new byte[positions * k];
            int[] acc = new int[positions * co];
            for (int b = first; b < end; b++) {
                im2col(xq, b * inChannels * height * width, height, width, oh, ow, col);
                IntGemm.gemm(positions, co, k, col, in.zeroPoint(), w.codes(), w.zeroPoints(), acc);
                sink.accept(b, acc);
            }
        });
    }

    /** Rows = output positions, columns = {@code ci·K·K + ky·K + kx}, the filters' flattening order. */
    private void im2col(byte[] x, int xOff, int height, int width, int oh, int ow, byte[] col) {
        int k = inChannels * kernel * kernel;
        byte pad = (byte) in.zeroPoint();
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int row = (oy * ow + ox) * k;
                int t = 0;
                for (int ci = 0; ci < inChannels; ci++) {
                    for (int ky = 0; ky < kernel; ky++) {
                        int iy = oy * stride - padding + ky;
                        for (int kx = 0; kx < kernel; kx++) {
                            int ix = ox * stride - padding + kx;
                            boolean inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
                            col[row + t++] = inside ? x[xOff + (ci * height + iy) * width + ix] : pad;
                        }
                    }
                }
            }
        }
    }
}
