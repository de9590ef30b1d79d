package octoquant.engine.ops;

import octoquant.engine.kernels.Gemm;
import octoquant.engine.kernels.Kernels;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.param.Parameter;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.tensor.Shape;
import octoquant.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * The fully connected op {@code y = x · Wᵀ + b} with {@code x [N, in]}, a weight parameter {@code [out, in]}
 * and an optional bias {@code [out]}. The weights are read through {@link Parameter#computeWeights()},
 * tile by tile ({@link WeightTiles}), in the forward pass and again for the input gradient, so a packed
 * storage takes part in training directly.
 */
public final class LinearOp {
    private LinearOp() {}

    public static Tensor forward(Tensor x, Parameter weight, Parameter bias) {
        return forward(x, weight, bias, new WeightTiles());
    }

    public static Tensor forward(Tensor x, Parameter weight, Parameter bias, WeightTiles tiles) {
        return forward(x, weight, bias, tiles, false);
    }

    /**
     * {@code relu(x · Wᵀ + b)} as one op: the bias and the ReLU in one pass over the product, so the
     * pre-activation output and its gradient never exist. The same values and gradients as
     * {@link #forward} followed by {@link Activations#relu}: the ReLU's gradient mask {@code z > 0} is
     * {@code relu(z) > 0}, and the masked gradient is formed the way the ReLU's backward forms it.
     */
    public static Tensor forwardRelu(Tensor x, Parameter weight, Parameter bias, WeightTiles tiles) {
        return forward(x, weight, bias, tiles, true);
    }

    private static Tensor forward(Tensor x, Parameter weight, Parameter bias, WeightTiles tiles, boolean relu) {
        int[] ws = weight.shape();
        if (ws.length != 2) throw new IllegalArgumentException("linear: weight " + weight.name() + " must be [out, in], got " + Arrays.toString(ws));
        int out = ws[0], in = ws[1];
        if (x.rank() != 2 || x.dim(1) != in) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " does not fit weight "
                    + Arrays.toString(ws) + " (expected [N, " + in + "])");
        }
        if (bias != null && bias.size() != out) {
            throw new IllegalArgumentException("linear: bias " + Arrays.toString(bias.shape()) + " does not fit weight " + Arrays.toString(ws));
        }
        int n = x.dim(0);
        float[] xs = x.data();
        // The same computed weights serve the forward pass and the input gradient.
        WeightStorage w = weight.computeWeights();
        WeightStorage b = bias == null ? null : bias.computeWeights();
        float[] y = new float[n * out];
        float[] view = w.floatView();
        Gemm.PackedB packed = view == null ? null : tiles.transposed.lookup(w, view, out, in);
        if (packed != null) {
            // The same floats as the tile below: one tile, the view itself, with Wᵀ already packed.
            Gemm.gemm(false, n, xs, 0, in, view, 0, in, packed, y, 0, out, false);
        } else {
            tiles.forEach(w, (wt, wOff, r0, rows) ->
                    Gemm.gemm(false, true, n, rows, in, xs, 0, in, wt, wOff, in, y, r0, out, false));
        }
        float[] bv = b == null ? null : WeightTiles.smallVector(b);
        Kernels kern = VectorizationProvider.get().kernels();
        if (relu) biasRelu(kern, y, n, out, bv);
        else if (bv != null) addBias(y, n, out, bv);
        boolean paramsNeedGrad = weight.trainable() || (bias != null && bias.trainable());
        return Tensor.fromOp(relu ? "linearRelu" : "linear", y, Shape.of(n, out), paramsNeedGrad, g -> {
            // The gradient with respect to the product: the ReLU's backward on a zeroed buffer, as the
            // separate ReLU op would leave it in its input's gradient.
            float[] gz = g;
            if (relu) {
                gz = new float[g.length];
                kern.reluBackward(y, g, gz, g.length);
            }
            backward(gz, x, xs, n, in, out, weight, bias, w, tiles);
        }, x);
    }

    private static void backward(float[] g, Tensor x, float[] xs, int n, int in, int out, Parameter weight,
                                 Parameter bias, WeightStorage w, WeightTiles tiles) {
        if (weight.trainable()) {
            // dW[out×in] += dYᵀ · X: one GEMM over the whole batch, so the batch sum has a fixed order.
            Gemm.gemm(true, false, out, in, n, g, 0, out, xs, 0, in, weight.grad(), 0, in, true);
        }
        if (bias != null && bias.trainable()) BiasAdd.addChannelSums(g, n, out, 1, bias.grad());
        if (x.requiresGrad()) {
            float[] gx = x.gradBuffer();
            // dX[N×in] += dY[:, tile] · W[tile, :], tile by tile in row order.
            tiles.forEach(w, (wt, wOff, r0, rows) ->
                    Gemm.gemm(false, false, n, in, rows, g, r0, out, wt, wOff, in, gx, 0, in, true));
        }
    }

    private static void addBias(float[] y, int n, int out, float[] bv) {
        for (int i = 0; i < n; i++) {
            int row = i * out;
            for (int j = 0; j < out; j++) y[row + j] += bv[j];
        }
    }

    /** {@code y = max(y + b, 0)} row by row (no bias: the ReLU alone), the kernels' ReLU on each row. */
    private static void biasRelu(Kernels kern, float[] y, int n, int out, float[] bv) {
        if (bv != null) addBias(y, n, out, bv);
        kern.relu(y, y, y.length);
    }
}
