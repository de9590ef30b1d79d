package octoquant.engine.ops;

import octoquant.engine.kernels.Gemm;
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
        tiles.forEach(w, (wt, wOff, r0, rows) ->
                Gemm.gemm(false, true, n, rows, in, xs, 0, in, wt, wOff, in, y, r0, out, false));
        if (b != null) {
            float[] bv = WeightTiles.smallVector(b);
            for (int i = 0; i < n; i++) {
                int row = i * out;
                for (int j = 0; j < out; j++) y[row + j] += bv[j];
            }
        }
        boolean paramsNeedGrad = weight.trainable() || (bias != null && bias.trainable());
        return Tensor.fromOp("linear", y, Shape.of(n, out), paramsNeedGrad, g -> {
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
        }, x);
    }
}
