package octoquant.engine.ops;

import octoquant.engine.tensor.Tensor;

/**
 * Adds a per-channel bias {@code [C]} along dimension 1 of {@code [N, C, ...]}: the Linear bias for
 * {@code [N, C]} and the convolution bias for NCHW alike. (Trailing-dimension broadcasting in
 * {@link Elementwise#add} covers [N, C] too; this op is the channel-axis form NCHW needs.)
 */
public final class BiasAdd {
    private BiasAdd() {}

    public static Tensor addBias(Tensor x, Tensor bias) {
        if (x.rank() < 2 || bias.rank() != 1 || bias.dim(0) != x.dim(1)) {
            throw new IllegalArgumentException("addBias: input " + x.shape() + " needs a bias of shape [" +
                    (x.rank() >= 2 ? x.dim(1) : "C") + "] for dimension 1, got " + bias.shape());
        }
        int n = x.dim(0), c = x.dim(1), inner = x.size() / Math.max(1, n * c);
        float[] xs = x.data(), b = bias.data();
        float[] out = new float[xs.length];
        for (int i = 0, o = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                float bc = b[ch];
                for (int k = 0; k < inner; k++, o++) out[o] = xs[o] + bc;
            }
        }
        return Tensor.fromOp("addBias", out, x.shape(), false, g -> {
            if (x.requiresGrad()) {
                float[] gx = x.gradBuffer();
                for (int i = 0; i < g.length; i++) gx[i] += g[i];
            }
            if (bias.requiresGrad()) addChannelSums(g, n, c, inner, bias.gradBuffer());
        }, x, bias);
    }

    /** {@code dst[ch] += Σ_{i,k} g[i, ch, k]}, summed in a fixed order. */
    static void addChannelSums(float[] g, int n, int c, int inner, float[] dst) {
        for (int ch = 0; ch < c; ch++) {
            float s = 0f;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * inner;
                for (int k = 0; k < inner; k++) s += g[base + k];
            }
            dst[ch] += s;
        }
    }
}
