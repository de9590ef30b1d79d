/**
 * The differentiable ops, one file per op or family, each with its forward and backward pass side by
 * side: {@link octoquant.engine.ops.Elementwise} (add, sub, mul with broadcasting),
 * {@link octoquant.engine.ops.MatMul}, {@link octoquant.engine.ops.BiasAdd},
 * {@link octoquant.engine.ops.Reductions}, {@link octoquant.engine.ops.Shapes},
 * {@link octoquant.engine.ops.Activations}, {@link octoquant.engine.ops.LinearOp},
 * {@link octoquant.engine.ops.Conv2dOp}, {@link octoquant.engine.ops.MaxPool2dOp},
 * {@link octoquant.engine.ops.ConvReluPoolOp} (conv → ReLU → 2×2 max-pool fused per image, which
 * {@link octoquant.engine.nn.Sequential} uses for such runs of layers) and {@link octoquant.engine.ops.Losses}.
 * Buffers an op keeps from forward to backward are reused from step to step through a layer's
 * {@link octoquant.engine.ops.ScratchPool}; per-image scratch is per thread.
 *
 * <p>Ops that read trainable weights take {@link octoquant.engine.param.Parameter}s and read them through
 * {@link octoquant.engine.param.Parameter#computeWeights()} a tile at a time
 * ({@link octoquant.engine.ops.WeightTiles}), so quantized storages take part in both passes without
 * an fp32 copy. Matrix products go through {@link octoquant.engine.kernels.Gemm}; batch loops through
 * {@link octoquant.engine.kernels.Parallel}, arranged so that every result is bit-identical for any
 * thread count. Bad shapes or labels throw an IllegalArgumentException naming the op and the shapes; a
 * non-finite loss throws an ArithmeticException.
 */
package octoquant.engine.ops;
