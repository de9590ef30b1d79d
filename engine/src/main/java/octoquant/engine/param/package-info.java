/**
 * Trainable parameters: a {@link octoquant.engine.param.Parameter} holds its weights in a
 * {@link octoquant.engine.storage.WeightStorage}, an fp32 gradient, and a
 * {@link octoquant.engine.param.ParameterMode} that decides what the kernels read and how the gradient reaches
 * what the optimizer updates. Layers, ops and optimizers all see parameters through this package, which
 * depends only on the storages.
 */
package octoquant.engine.param;
