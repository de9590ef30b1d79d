/**
 * Optimizers with PyTorch's semantics: {@link octoquant.engine.optim.Sgd} (momentum, dampening, weight
 * decay, Nesterov) and {@link octoquant.engine.optim.Adam} (bias-corrected; L2 or decoupled AdamW weight
 * decay). Each step calls the parameter's gradient hook, computes a delta and lets the storage apply it,
 * so quantized storages re-quantize their own updates.
 */
package octoquant.engine.optim;
