package octoquant.bench;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.nn.Models;
import octoquant.engine.nn.Sequential;
import octoquant.engine.integer.IntegerSequential;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.quant.Quantization;
import octoquant.engine.tensor.Tensor;
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
 * Integer inference ({@link IntegerSequential}: int8 activations, int32 accumulation, requantization)
 * of a reference model with int8-pc weights, beside the float forward pass of the same model, batch 64.
 * Score: images per millisecond. The integer path is single-threaded; the float one uses {@code threads}.
 * Run e.g. {@code java -jar bench/target/benchmarks.jar QuantIntegerInferenceBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QuantIntegerInferenceBenchmark {
    static final int BATCH = 64;

    @Param({"mlp", "cnn"})
    public String model;

    @Param({"2"})
    public int threads;

    private Sequential net;
    private IntegerSequential integer;
    private Tensor input;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        Rng rng = new Rng(3);
        boolean mlp = model.equals("mlp");
        net = mlp ? Models.mlp(rng) : Models.seedCnn(rng, 3, 32, 32);
        input = mlp ? Tensor.randn(rng, BATCH, 1, 28, 28) : Tensor.randn(rng, BATCH, 3, 32, 32);
        Quantization.ptq(net.parameters(), QuantScheme.parse("int8-pc"));
        integer = mlp ? IntegerSequential.of(net, input.data(), BATCH)
                : IntegerSequential.of(net, input.data(), BATCH, 3, 32, 32);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] integerForward() {
        return integer.forward(input.data(), BATCH);
    }

    /** The same int8-pc weights decoded tile by tile in the float forward pass (weight-only quantized). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Tensor weightOnlyForward() {
        try (Grad.Scope off = Grad.disabled()) {
            return net.forward(input);
        }
    }
}
