/**
 * Weight storage and quantizers: where the project's question lives. Measurements and the history of
 * these designs are in {@code docs/decisions.md}.
 *
 * <p><b>Storages.</b> {@link octoquant.engine.storage.FloatStorage} (fp32);
 * {@link octoquant.engine.storage.QuantizedStorage} (integer codes packed by
 * {@link octoquant.engine.storage.BitPacker}, a step per tensor or per output channel, policies
 * {@link octoquant.engine.storage.ScalePolicy}, rounding {@link octoquant.engine.storage.RoundingMode});
 * {@link octoquant.engine.storage.OctalStorage} (the seed's octization: sign + base-8 digits of 3 bits). Every
 * storage's {@code sizeInBytes()} counts the packed words it holds (the last word's padding included),
 * fp32 scales, int32 zero points and 8-byte overflow entries — never a working copy.
 *
 * <p><b>One job per class.</b> A {@link octoquant.engine.storage.QuantizedStorage} is assembled from: the
 * packed codes and their overflow table ({@code PackedCodes}, fields laid out by {@code CodeLayout}, decoded
 * by {@code FieldDecoding}); the map between codes and weights ({@code CodeGrid}), whose steps and zero
 * points {@code StepCalibration} fits to weights; the storage training mode's update and its statistics
 * ({@code StorageUpdate}); and, while it trains, an unpacked working copy ({@code DecodedCopy}). QAT's
 * fake-quantized view of a storage is {@link octoquant.engine.storage.FakeQuantView}.
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
 * <p><b>Working copies.</b> Two training modes give the layers fp32 weights to read in place
 * ({@code floatView()}) instead of decoding packed codes tile by tile in the forward and again in the
 * backward pass. QAT's {@link octoquant.engine.storage.FakeQuantView}: each step one fused pass over the
 * fp32 master calibrates, rounds (stochastic draws in index order from the storage's seeded stream), clamps
 * and dequantizes every weight into an fp32 array and records its int code and STE mask bit. The storage
 * mode's decoded view ({@link octoquant.engine.storage.QuantizedStorage#enableDecodedView()}): every code
 * as an int and its fp32 decode, which each update rewrites where a code changed. Both are bit-identical
 * to decoding the packed codes ({@code FakeQuantViewTest}, {@code StorageUpdateProperties}); both cost
 * 8 bytes per weight not counted in {@code sizeInBytes()}; the packed words and overflow table are rebuilt
 * from their codes only when the packed form is read (byte counts, overflow counts, checkpoints), and
 * {@link octoquant.engine.quant.Quantization#finish} hands over packed storages without them, so inference
 * reads the stored codes. Checkpoints save the packed form; restore rebuilds a working copy from it.
 * Passes whose elements depend only on their own weight split over
 * {@link octoquant.engine.kernels.Parallel}'s threads; sums are kept so that no result depends on the split.
 *
 * <p><b>Storage-mode headroom.</b> In {@code storage} mode a maxabs/minmax step is calibrated once, on the
 * initial weights, and then frozen (a moving step would re-round every weight of a row whenever its extreme
 * moved). Training grows weights past their initial extremes, so the range is widened by
 * {@link octoquant.engine.storage.QuantScheme#storageHeadroom} (default 2, one bit of resolution for room
 * to double; {@code -h<F>} in the scheme name chooses another, {@code -h1} is the plain calibration).
 * Clips are still counted.
 *
 * <p><b>Decoding.</b> {@code decodeRows} reads 64-bit windows of packed fields and maps them with no
 * per-element branch ({@code FieldDecoding}); octal fields are sign-magnitude binary (3-bit digits most
 * significant first), so they decode through the same fixed-grid table.
 *
 * <p><b>Vector API.</b> {@code kernels.QuantKernels} holds the loops that have a Vector API
 * form ({@code VectorQuantKernels}, in this package; {@code kernels.VectorizationProvider} hands out one of
 * the two, so {@code -Doctoquant.kernels=scalar} and a JVM without {@code jdk.incubator.vector} run the
 * scalar loops):
 * QAT's fused quantize→dequantize pass, the storage mode's update ({@code VectorUpdateLoops}, in double
 * lanes), the calibration's min/max, the decoding of 4-, 8- and 16-bit offset-binary fields and
 * {@code integer.IntGemm}'s dot products. Each is bit-identical to its scalar loop ({@code QuantKernelsTest},
 * {@code FakeQuantViewTest}, {@code StorageUpdateProperties}, {@code FastDecodeTest}, {@code IntGemmTest});
 * they work on a prefix or on whole vectors and the scalar loop finishes, so tails, non-finite values
 * (and their messages) and values out of the vector loop's exact range stay the reference's.
 */
package octoquant.engine.storage;
