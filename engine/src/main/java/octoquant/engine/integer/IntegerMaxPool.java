package octoquant.engine.integer;

/**
 * Max pooling on int8 activation codes (NCHW, square window, no padding). Exact: dequantization
 * {@code (q − zeroPoint)·scale} with {@code scale > 0} is increasing in q, so the largest code is the code
 * of the largest value, and the output keeps the input's {@link ActivationQuant}.
 */
public final class IntegerMaxPool {
    private IntegerMaxPool() {}

    public static int outputSize(int size, int kernel, int stride) {
        return (size - kernel) / stride + 1;
    }

    public static byte[] forward(byte[] x, int batch, int channels, int height, int width, int kernel, int stride) {
        if (x.length != batch * channels * height * width) {
            throw new IllegalArgumentException("IntegerMaxPool: input of " + x.length + " values is not "
                    + batch + "x" + channels + "x" + height + "x" + width);
        }
        if (kernel > height || kernel > width) {
            throw new IllegalArgumentException("IntegerMaxPool: window " + kernel + " larger than input " + height + "x" + width);
        }
        int oh = outputSize(height, kernel, stride), ow = outputSize(width, kernel, stride);
        byte[] y = new byte[batch * channels * oh * ow];
        for (int plane = 0; plane < batch * channels; plane++) {
            int in = plane * height * width, out = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int m = Byte.MIN_VALUE;
                    for (int ky = 0; ky < kernel; ky++) {
                        int row = in + (oy * stride + ky) * width + ox * stride;
                        for (int kx = 0; kx < kernel; kx++) m = Math.max(m, x[row + kx]);
                    }
                    y[out + oy * ow + ox] = (byte) m;
                }
            }
        }
        return y;
    }
}
