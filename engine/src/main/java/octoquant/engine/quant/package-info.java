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
 * <p><b>Storage-mode headroom.</b> In {@code storage} mode a maxabs/minmax step is calibrated once, on the
 * initial weights, and then frozen (a moving step would re-round every weight of a row whenever its extreme
 * moved). Training grows weights far past their initial extremes — on the MNIST MLP (3 epochs, float) a
 * row's largest |w| grows 5.5× (median; up to 13.7×) in the first layer — so a step fitted to the initial
 * range clips them: int8-pc, nearest, clipped 15.3 million times and reached 94.91% (float 97.25%). The
 * range is therefore widened by {@link octoquant.engine.quant.QuantScheme#storageHeadroom} (default 2, one
 * bit of resolution for room to double; {@code -h<F>} in the scheme name chooses another, {@code -h1} is
 * the old calibration). Clips are still counted. Measured (MNIST MLP, Adam 1e-3, batch 64, 3 epochs,
 * seed 11; {@code StorageHeadroomFigures}), test accuracy by headroom 1 / 2 / 4 / 8:
 * int8-pc nearest 94.91 / 95.73 / 94.05 / 87.28 (a coarser step loses more updates under nearest);
 * int8-pc-stochastic 95.04 / 96.64 / 97.37 / 97.37 (unbiased rounding keeps the small updates, so room
 * wins); int4-pc-stochastic 94.75 / 96.52 / 95.99 / -; int4-pc nearest stays near 33% at any headroom
 * (every Adam step is below half a 4-bit step). Default 2 is the best for nearest; stochastic int8 wants 4.
 *
 * <p><b>Integer inference</b>: {@link octoquant.engine.quant.IntegerLinear} and
 * {@link octoquant.engine.quant.IntegerConv2d} (Jacob et al. 2018) on int8 activations
 * ({@link octoquant.engine.quant.ActivationQuant}), {@link octoquant.engine.quant.IntGemm},
 * {@link octoquant.engine.quant.Requantizer} and {@link octoquant.engine.quant.IntegerMaxPool};
 * {@link octoquant.engine.quant.IntegerSequential} runs a whole MLP or seed CNN.
 *
 * <p><b>Decoding.</b> {@code decodeRows} reads 64-bit windows of packed fields and maps them with no
 * per-element branch ({@link octoquant.engine.quant.FieldDecoding}); octal fields are sign-magnitude binary
 * (3-bit digits most significant first), so they decode through the same fixed-grid table.
 */
package octoquant.engine.quant;
