/**
 * Training modes: how a model's weights take part in training when they are quantized.
 * {@link octoquant.engine.quant.Quantization} applies a {@link octoquant.engine.storage.QuantScheme} in a
 * {@link octoquant.engine.quant.TrainingMode} to a model's parameters: {@code qat} installs a
 * {@link octoquant.engine.quant.QatMode} (fp32 masters, a quantized shadow the kernels read, straight-through
 * gradient), {@code storage} replaces each weight's storage by its quantized encoding so the optimizer's
 * updates re-quantize the codes, {@code ptq} quantizes after training. Only weights are quantized by default;
 * biases stay fp32. The storages themselves live in {@link octoquant.engine.storage}.
 */
package octoquant.engine.quant;
