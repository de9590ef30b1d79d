/**
 * Weight storage and quantizers: where the project's question lives.
 *
 * <p><b>Storages.</b> {@link octoquant.engine.storage.FloatStorage} (fp32);
 * {@link octoquant.engine.storage.QuantizedStorage} (integer codes packed by
 * {@link octoquant.engine.storage.BitPacker}, a step per tensor or per output channel, policies
 * {@link octoquant.engine.storage.ScalePolicy}, rounding {@link octoquant.engine.storage.RoundingMode});
 * {@link octoquant.engine.storage.OctalStorage} (the seed's octization: sign + base-8 digits of 3 bits). Every
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
 * counted ({@link octoquant.engine.storage.UpdateStats}); {@code ptq} quantizes after training. Only weights
 * are quantized by default; biases stay fp32.
 *
 * <p><b>QAT's compute weights.</b> {@link octoquant.engine.quant.QatMode}'s shadow is a
 * {@link octoquant.engine.storage.QuantizedStorage} (or {@link octoquant.engine.storage.OctalStorage}) of the
 * scheme in its fake-quantized mode: each step, one fused pass over the fp32 master calibrates (maxabs,
 * minmax), rounds (stochastic draws in index order from the shadow's seeded stream), clamps and dequantizes
 * each weight into an fp32 array — no packing — and records its int code and STE mask bit. The shadow's
 * {@code floatView()} returns that array, so the layers read it in place in the forward and the backward
 * pass, exactly as they read fp32 weights, with no per-tile decode. Each value is bit-identical to
 * {@code dequantize(code)} of the packed scheme ({@code FakeQuantViewTest} checks it for every family,
 * rounding mode and out-of-range weights). The packed words and overflow table are built from the recorded
 * codes only when read ({@code code}, {@code overflowCount}, {@code sizeInBytes}), and
 * {@link octoquant.engine.quant.Quantization#finish} hands over a packed storage with the view dropped, so
 * inference reads the stored codes. Checkpoints that save a storage's fields keep the view, the codes and
 * the "packing behind" flag with them. Non-stochastic passes over at least 2^14 weights split over
 * {@link octoquant.engine.kernels.Parallel}'s threads (every element depends on its own weight and its
 * group's step only, so the bits do not depend on the split). Before this the shadow was packed every step
 * and decoded tile by tile in the forward and again in the backward pass: QAT training of the MNIST MLP
 * took 3.7–5.7× the float step; see {@code bench/.../QatStepRace} for the figures now.
 *
 * <p><b>Storage-mode headroom.</b> In {@code storage} mode a maxabs/minmax step is calibrated once, on the
 * initial weights, and then frozen (a moving step would re-round every weight of a row whenever its extreme
 * moved). Training grows weights far past their initial extremes — on the MNIST MLP (3 epochs, float) a
 * row's largest |w| grows 5.5× (median; up to 13.7×) in the first layer — so a step fitted to the initial
 * range clips them: int8-pc, nearest, clipped 15.3 million times and reached 94.91% (float 97.25%). The
 * range is therefore widened by {@link octoquant.engine.storage.QuantScheme#storageHeadroom} (default 2, one
 * bit of resolution for room to double; {@code -h<F>} in the scheme name chooses another, {@code -h1} is
 * the old calibration). Clips are still counted. Measured (MNIST MLP, Adam 1e-3, batch 64, 3 epochs,
 * seed 11; {@code StorageHeadroomFigures}), test accuracy by headroom 1 / 2 / 4 / 8:
 * int8-pc nearest 94.91 / 95.73 / 94.05 / 87.28 (a coarser step loses more updates under nearest);
 * int8-pc-stochastic 95.04 / 96.64 / 97.37 / 97.37 (unbiased rounding keeps the small updates, so room
 * wins); int4-pc-stochastic 94.75 / 96.52 / 95.99 / -; int4-pc nearest stays near 33% at any headroom
 * (every Adam step is below half a 4-bit step). Default 2 is the best for nearest; stochastic int8 wants 4.
 *
 * <p><b>Decoding.</b> {@code decodeRows} reads 64-bit windows of packed fields and maps them with no
 * per-element branch ({@link octoquant.engine.storage.FieldDecoding}); octal fields are sign-magnitude binary
 * (3-bit digits most significant first), so they decode through the same fixed-grid table.
 *
 * <p><b>Vector API.</b> {@code QuantKernels} holds the loops that have a Vector API form
 * ({@code VectorQuantKernels}, loaded reflectively only when the float kernels run on the Vector API, so
 * {@code -Doctoquant.kernels=scalar} and a JVM without {@code jdk.incubator.vector} run the scalar loops):
 * QAT's fused quantize→dequantize pass (the real code in double lanes as in the reference, nearest-even by
 * the 1.5·2^52 trick; stochastic rounding stays scalar, its draws in index order), the calibration's
 * min/max, the decoding of 4-, 8- and 16-bit offset-binary fields (int8, int4, int16 schemes, per tensor or
 * per channel) and {@code integer.IntGemm}'s dot products, 4 activation × 4 weight rows in
 * registers. Each is bit-identical to its scalar loop ({@code QuantKernelsTest}, {@code FakeQuantViewTest},
 * {@code FastDecodeTest}, {@code IntGemmTest}); they work on a prefix and the scalar loop finishes, so tails,
 * non-finite weights (and their messages) and codes out of the vector loop's exact range stay the
 * reference's. The fixed grid's 9/10-bit sign-magnitude fields (quant8, octal8) keep the table: two vector
 * forms measured no faster.
 */
package octoquant.engine.storage;
