package octoquant.bench;

import octoquant.engine.param.Parameter;
import octoquant.engine.storage.BitPacker;
import octoquant.engine.storage.FloatStorage;
import octoquant.engine.quant.QatMode;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.util.Rng;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Decoding and encoding a quantized weight of the MNIST MLP's first layer (128 × 784 = 100,352 weights),
 * and packing/unpacking its codes, per scheme; scores are elements per microsecond (millions/s).
 * {@code decode} is what weight-only quantized inference pays per forward pass (one {@code decodeRows}
 * over all rows); {@code encode} is a full {@code encodeFrom} (calibration, rounding, packing);
 * {@code qatEncode} is {@code qat}'s per-step re-encode of the fake-quantized shadow (QatMode);
 * {@code pack}/{@code unpack} are {@link BitPacker} alone at the scheme's field width. Run e.g.
 * {@code java -jar bench/target/benchmarks.jar QuantDecodeBenchmark -p scheme=int8-pc,octal8}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QuantDecodeBenchmark {
    static final int ROWS = 128, COLS = 784, N = ROWS * COLS;

    /** Field widths: quantB = B+1, octalB = 1+3·ceil(B/3), intB-pc(-minmax) = B. */
    @Param({"int2-pc", "int3-pc", "int4-pc", "int5-pc", "int6-pc", "int7-pc", "int8-pc", "int16-pc",
            "int8-pc-minmax", "int8", "quant4", "quant8", "quant16", "octal4", "octal8", "octal16"})
    public String scheme;

    private WeightStorage storage;
    private float[] values;
    private float[] decoded;
    private int[] fields;
    private long[] packed;
    private int width;
    private QatMode qat;
    private Parameter master;

    @Setup
    public void setUp() {
        Rng rng = new Rng(11);
        values = new float[N];
        // He-like spread of a trained first layer; ~0.3% of |w| > 1 gives the fixed grids some overflow
        for (int i = 0; i < N; i++) values[i] = (float) (rng.nextGaussian() * 0.35);
        storage = QuantScheme.parse(scheme).newStorage(ROWS, COLS, 5);
        storage.encodeFrom(values);
        decoded = new float[N];
        QuantScheme s = QuantScheme.parse(scheme);
        width = s.kind() == QuantScheme.Kind.OCTAL ? 1 + 3 * ((s.bits() + 2) / 3)
                : s.policy() == octoquant.engine.storage.ScalePolicy.FIXED ? s.bits() + 1 : s.bits();
        fields = new int[N];
        for (int i = 0; i < N; i++) fields[i] = (int) ((rng.nextLong() >>> 1) & ((1L << width) - 1));
        packed = BitPacker.pack(fields, width);
        master = new Parameter("w", new int[] {ROWS, COLS}, new FloatStorage(ROWS, COLS, values.clone()));
        qat = new QatMode(QuantScheme.parse(scheme), 5);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] decode() {
        storage.decodeRows(0, ROWS, decoded, 0);
        return decoded;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public WeightStorage encode() {
        storage.encodeFrom(values);
        return storage;
    }

    /**
     * What {@code qat} training pays per step and weight matrix: one re-encode of the fake-quantized shadow
     * from the fp32 master (calibration, the fused quantize→dequantize pass, codes kept for lazy packing).
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public float[] qatEncode() {
        qat.prepareGradient(master); // marks the shadow stale, as the optimizer step does
        return qat.computeWeights(master).floatView();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long[] pack() {
        return BitPacker.pack(fields, width);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int[] unpack() {
        return BitPacker.unpack(packed, width, N);
    }
}
