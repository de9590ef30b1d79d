/**
 * Weight storage and quantizers: where the project's question lives.
 *
 * <p><b>Storages.</b> {@link octoquant.engine.quant.FloatStorage} (fp32);
 * {@link octoquant.engine.quant.QuantizedStorage} (integer codes packed by
 * {@link octoquant.engine.quant.BitPacker}, a step per tensor or per output channel, policies
 * {@link octoquant.engine.quant.ScalePolicy}, rounding {@link octoquant.engine.quant.RoundingMode});
 * {@link octoquant.engine.quant.OctalStorage} (the seed's octization: sign + base-8 digits of 3 bits). Every
 * storage's {@code sizeInBytes()} counts the packed words it holds (the last word's padding included),
 * fp32 scales, int32 zero points and 8-byte overflow entries.
 *
 * <p><b>The seed's unbounded grid.</b> The seed quantizes to {@code round(w·(2^b − 1))} with no clipping.
 * Codes are stored sign-magnitude in b+1 bits (b+1 because ±(2^b − 1), every w in [−1, 1], must fit —
 * the seed's weights are signed); a code beyond that is written as the escape "−0" and kept in a sparse
 * (index, int32) overflow table, reported by {@code overflowCount()}. Octal codes take 1 + 3·ceil(b/3)
 * bits (10 at 8 bits) and overflow past ±(8^digits − 1).
 *
 * <p><b>Training modes</b> ({@link octoquant.engine.quant.TrainingMode}, applied by
 * {@link octoquant.engine.quant.Quantization}): {@code qat} through {@link octoquant.engine.quant.QatMode};
 * {@code storage} replaces the parameter's storage, so optimizer updates re-quantize the codes and are
 * counted ({@link octoquant.engine.quant.UpdateStats}); {@code ptq} quantizes after training. Only weights
 * are quantized by default; biases stay fp32.
 *
 * <p><b>Integer inference</b>: {@link octoquant.engine.quant.IntegerLinear} and
 * {@link octoquant.engine.quant.IntegerConv2d} (Jacob et al. 2018) on int8 activations
 * ({@link octoquant.engine.quant.ActivationQuant}), {@link octoquant.engine.quant.IntGemm} and
 * {@link octoquant.engine.quant.Requantizer}.
 */
package octoquant.engine.quant;
