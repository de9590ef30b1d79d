/**
 * Integer inference (Jacob et al. 2018): int8 activations ({@link octoquant.engine.integer.ActivationQuant}),
 * integer weights taken from a quantized storage ({@link octoquant.engine.integer.IntWeights}), int32
 * accumulation ({@link octoquant.engine.integer.IntGemm}) and fixed-point requantization
 * ({@link octoquant.engine.integer.Requantizer}). {@link octoquant.engine.integer.IntegerSequential} converts a
 * trained MLP or seed CNN layer by layer; its outputs stay within one activation step of the fake-quantized
 * float path.
 */
package octoquant.engine.integer;
