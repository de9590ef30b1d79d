package octoquant.bench;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.nn.Conv2d;
import octoquant.engine.nn.MaxPool2d;
import octoquant.engine.nn.ReLU;
import octoquant.engine.nn.Sequential;
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
 * The seed CNN's two convolutions and its max-pool at batch 64, as the training step runs them:
 * {@code conv1} 3→32 on 32×32, {@code conv2} 32→64 on 16×16 (3×3, padding 1), max-pool 2×2 on
 * conv1's output 64×32×32×32. Forward with a graph recorded (training), forward without (inference),
 * and forward plus backward (backward alone = the difference); and the fused conv → ReLU → pool block
 * the CNN really runs ({@code block*}). Run e.g.
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ConvBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConvBenchmark {
    @Param({"conv1", "conv2"})
    public String layer;

    @Param({"2"})
    public int threads;

    private Conv2d conv;
    /** conv → ReLU → max-pool as the CNN runs it: one fused op (ConvReluPoolOp). */
    private Sequential block;
    private float[] blockSeed;
    private MaxPool2d pool;
    private Tensor input;
    private Tensor poolInput;
    private float[] seed;
    private float[] poolSeed;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        Rng rng = new Rng(7);
        boolean first = layer.equals("conv1");
        int ci = first ? 3 : 32, co = first ? 32 : 64, size = first ? 32 : 16;
        conv = Conv2d.builder().in(ci).out(co).kernel(3).stride(1).padding(1).init(rng).build();
        input = Tensor.randn(rng, 64, ci, size, size);
        seed = Tensor.randn(rng, 64 * co * size * size).data();
        pool = new MaxPool2d(2);
        block = new Sequential(Conv2d.builder().in(ci).out(co).kernel(3).stride(1).padding(1).init(new Rng(8)).build(), new ReLU(), new MaxPool2d(2));
        blockSeed = Tensor.randn(rng, 64 * co * size * size / 4).data();
        poolInput = Tensor.randn(rng, 64, co, size, size).requireGrad();
        poolSeed = Tensor.randn(rng, 64 * co * size * size / 4).data();
    }

    @Benchmark
    public Tensor convForwardTraining() {
        Tensor y = conv.forward(input);
        y.backward(seed); // gives the layer's buffers back, as a training step does
        return y;
    }

    @Benchmark
    public Tensor convForwardInference() {
        try (Grad.Scope off = Grad.disabled()) {
            return conv.forward(input);
        }
    }

    /** Forward and backward with the input gradient too (conv2 needs it in the CNN; conv1 does not). */
    @Benchmark
    public float[] convForwardBackwardWithInputGradient() {
        Tensor x = Tensor.of(input.data(), input.shape()).requireGrad();
        conv.forward(x).backward(seed);
        return x.grad();
    }

    /** The fused block forward without a graph: what CNN inference runs per layer. */
    @Benchmark
    public Tensor blockForwardInference() {
        try (Grad.Scope off = Grad.disabled()) {
            return block.forward(input);
        }
    }

    /** The fused block forward and backward (conv1 without, conv2 with the input gradient, as in the CNN). */
    @Benchmark
    public Tensor blockForwardBackward() {
        Tensor x = layer.equals("conv1") ? input : Tensor.of(input.data(), input.shape()).requireGrad();
        Tensor y = block.forward(x);
        y.backward(blockSeed);
        return y;
    }

    @Benchmark
    public Tensor maxPoolForward() {
        try (Grad.Scope off = Grad.disabled()) {
            return pool.forward(poolInput);
        }
    }

    @Benchmark
    public float[] maxPoolForwardBackward() {
        Tensor x = Tensor.of(poolInput.data(), poolInput.shape()).requireGrad();
        pool.forward(x).backward(poolSeed);
        return x.grad();
    }
}
