package octoquant.bench;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.nn.Models;
import octoquant.engine.nn.Sequential;
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
 * Weight-only quantized inference: one batch-64 forward pass (no graph) of a reference model whose
 * weights are stored in {@code scheme} (post-training quantized, biases fp32), so every pass decodes the
 * packed weights tile by tile. Score: images per millisecond; the issue-6 goal is quantized ≥ float/1.2.
 * Run e.g. {@code java -jar bench/target/benchmarks.jar QuantInferenceBenchmark -p model=mlp}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QuantInferenceBenchmark {
    static final int BATCH = 64;

    @Param({"mlp", "cnn"})
    public String model;

    @Param({"float", "quant8", "octal8", "int8-pc", "int4-pc"})
    public String scheme;

    @Param({"2"})
    public int threads;

    private Sequential net;
    private Tensor input;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        Rng rng = new Rng(3);
        boolean mlp = model.equals("mlp");
        net = mlp ? Models.mlp(rng) : Models.seedCnn(rng, 3, 32, 32);
        input = mlp ? Tensor.randn(rng, BATCH, 1, 28, 28) : Tensor.randn(rng, BATCH, 3, 32, 32);
        Quantization.ptq(net.parameters(), QuantScheme.parse(scheme));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Tensor forward() {
        try (Grad.Scope off = Grad.disabled()) {
            return net.forward(input);
        }
    }
}
