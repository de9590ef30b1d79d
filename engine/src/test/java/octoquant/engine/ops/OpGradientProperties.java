package octoquant.engine.ops;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.param.Parameter;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.util.List;

import static octoquant.engine.ops.TestTensors.assertGradients;
import static octoquant.engine.ops.TestTensors.assertPiecewiseGradients;
import static octoquant.engine.ops.TestTensors.distinct;
import static octoquant.engine.ops.TestTensors.param;
import static octoquant.engine.ops.TestTensors.randn;

/** Every op's backward pass against double-precision central differences, over random shapes with 1s and odd sizes. */
class OpGradientProperties {

    @Property(tries = 30)
    void addSubMulSameShape(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 1, max = 7) int c,
                            @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a = randn(rng, n, c), b = randn(rng, n, c);
        assertGradients(() -> Elementwise.add(a, b), List.of(a, b), List.of(), rng);
        assertGradients(() -> Elementwise.sub(a, b), List.of(a, b), List.of(), rng);
        assertGradients(() -> Elementwise.mul(a, b), List.of(a, b), List.of(), rng);
    }

    @Property(tries = 30)
    void broadcastTrailingAndSizeOne(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 5) int c,
                                     @ForAll @IntRange(min = 1, max = 3) int h, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = randn(rng, n, c, h), row = randn(rng, h), col = randn(rng, n, 1, 1), mid = randn(rng, c, 1);
        assertGradients(() -> Elementwise.add(x, row), List.of(x, row), List.of(), rng);
        assertGradients(() -> Elementwise.sub(col, x), List.of(col, x), List.of(), rng);
        assertGradients(() -> Elementwise.mul(x, mid), List.of(x, mid), List.of(), rng);
        Tensor outer1 = randn(rng, n, 1), outer2 = randn(rng, 1, c);
        assertGradients(() -> Elementwise.mul(outer1, outer2), List.of(outer1, outer2), List.of(), rng);
        Tensor s = randn(rng, n, c);
        assertGradients(() -> Elementwise.scale(s, -1.5f), List.of(s), List.of(), rng);
    }

    @Property(tries = 30)
    void matmulAllTransposes(@ForAll @IntRange(min = 1, max = 6) int m, @ForAll @IntRange(min = 1, max = 7) int k,
                             @ForAll @IntRange(min = 1, max = 5) int n, @ForAll boolean transA, @ForAll boolean transB,
                             @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor a = transA ? randn(rng, k, m) : randn(rng, m, k);
        Tensor b = transB ? randn(rng, n, k) : randn(rng, k, n);
        assertGradients(() -> MatMul.matmul(a, transA, b, transB), List.of(a, b), List.of(), rng);
    }

    @Property(tries = 30)
    void biasAddSumMeanReshapeFlatten(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 5) int c,
                                      @ForAll @IntRange(min = 1, max = 3) int h, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = randn(rng, n, c, h, 2), b = randn(rng, c);
        assertGradients(() -> BiasAdd.addBias(x, b), List.of(x, b), List.of(), rng);
        assertGradients(() -> Reductions.sum(x), List.of(x), List.of(), rng);
        assertGradients(() -> Reductions.mean(x), List.of(x), List.of(), rng);
        Tensor w = randn(rng, c * h * 2, 3);
        // Flatten then a matmul, so the gradient flowing back through the reshape is not uniform.
        assertGradients(() -> MatMul.matmul(Shapes.flatten(x), w), List.of(x, w), List.of(), rng);
        assertGradients(() -> Shapes.reshape(x, -1, n), List.of(x), List.of(), rng);
    }

    @Property(tries = 30)
    void relu(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 9) int c, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = distinct(rng, 0.1f, n, c); // values well away from the kink at 0
        assertPiecewiseGradients(() -> Activations.relu(x), List.of(x), rng);
    }

    @Property(tries = 30)
    void linearOp(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 1, max = 7) int in,
                  @ForAll @IntRange(min = 1, max = 6) int out, @ForAll boolean withBias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = randn(rng, n, in);
        Parameter w = param(rng, "weight", out, in, out, in);
        Parameter b = withBias ? param(rng, "bias", 1, out, out) : null;
        List<Parameter> ps = withBias ? List.of(w, b) : List.of(w);
        assertGradients(() -> LinearOp.forward(x, w, b), List.of(x), ps, rng);
    }

    @Property(tries = 25)
    void conv2d(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int ci,
                @ForAll @IntRange(min = 1, max = 3) int co, @ForAll @IntRange(min = 1, max = 3) int kh,
                @ForAll @IntRange(min = 1, max = 3) int kw, @ForAll @IntRange(min = 1, max = 2) int stride,
                @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 0, max = 3) int extraH,
                @ForAll @IntRange(min = 0, max = 4) int extraW, @ForAll boolean withBias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int h = Math.max(1, kh - 2 * pad) + extraH, w = Math.max(1, kw - 2 * pad) + extraW;
        Tensor x = randn(rng, n, ci, h, w);
        Parameter wt = param(rng, "weight", co, ci * kh * kw, co, ci, kh, kw);
        Parameter b = withBias ? param(rng, "bias", 1, co, co) : null;
        List<Parameter> ps = withBias ? List.of(wt, b) : List.of(wt);
        assertGradients(() -> Conv2dOp.forward(x, wt, b, stride, pad), List.of(x), ps, rng);
    }

    @Property(tries = 30)
    void maxPool2d(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                   @ForAll @IntRange(min = 1, max = 3) int kernel, @ForAll @IntRange(min = 1, max = 3) int stride,
                   @ForAll @IntRange(min = 0, max = 4) int extraH, @ForAll @IntRange(min = 0, max = 3) int extraW,
                   @ForAll long seed) {
        Rng rng = new Rng(seed);
        // Distinct values 0.1 apart: the winner of a window never changes within a finite-difference step.
        Tensor x = distinct(rng, 0.1f, n, c, kernel + extraH, kernel + extraW);
        assertPiecewiseGradients(() -> MaxPool2dOp.forward(x, kernel, stride), List.of(x), rng);
    }

    @Property(tries = 30)
    void softmaxCrossEntropyAndMse(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 7) int c,
                                   @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor logits = randn(rng, n, c);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = rng.nextInt(c);
        assertGradients(() -> Losses.softmaxCrossEntropy(logits, labels), List.of(logits), List.of(), rng);
        Tensor p = randn(rng, n, c), t = randn(rng, n, c);
        assertGradients(() -> Losses.mse(p, t), List.of(p, t), List.of(), rng);
    }
}
