package octoquant.bench;

import octoquant.engine.kernels.Parallel;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One full training step of each reference model at batch 64 (zero grad, forward, cross-entropy,
 * backward, Adam step: {@link TrainStepFixture#step}), and one inference batch. An epoch is 938 (mlp)
 * or 782 (cnn) such steps. {@code scheme} trains in {@code qat} mode with that weight scheme. Run e.g.
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar TrainStepBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TrainStepBenchmark {
    @Param({"mlp", "cnn"})
    public String model;

    @Param({"2"})
    public int threads;

    /** Weight scheme trained in {@code qat} mode ({@code float}: plain training), e.g. {@code -p scheme=float,int8,int4-pc}. */
    @Param({"float"})
    public String scheme;

    private TrainStepFixture fixture;
    private Tensor batch;
    private int[] labels;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        fixture = new TrainStepFixture(model, 1, octoquant.engine.storage.QuantScheme.parse(scheme));
        Rng rng = new Rng(2);
        float[] x = new float[64 * fixture.imageSize()];
        TrainStepFixture.fillGaussian(rng, x);
        batch = fixture.batch(x, 64);
        labels = TrainStepFixture.randomLabels(rng, 64);
    }

    @Benchmark
    public float trainStep() {
        return fixture.step(batch, labels);
    }

    @Benchmark
    public Tensor inferBatch() {
        try (octoquant.engine.autograd.Grad.Scope off = octoquant.engine.autograd.Grad.disabled()) {
            return fixture.net.forward(batch);
        }
    }
}
