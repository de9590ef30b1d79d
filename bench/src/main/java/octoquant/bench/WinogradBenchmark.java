package octoquant.bench;

import octoquant.engine.kernels.Parallel;
import octoquant.engine.ops.Winograd3x3;
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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Winograd F(4×4, 3×3) against im2col + GEMM (per image, as the conv ops run it) on the seed CNN's two
 * convolutions at batch 64: {@code conv1} 3→32 on 32×32, {@code conv2} 32→64 on 16×16, 3×3, padding 1.
 * {@code path} picks the algorithm, so both run in one JMH run under the same load. Forward includes the
 * filter transform (done once per forward call in training: the weights change every step);
 * {@code gradients} is the input and weight gradients together, added into zeroed buffers as backward
 * does (Winograd: its filter transform and the input transform the forward pass would have kept; im2col:
 * the images unfolded again, as the conv ops do when they keep no columns).
 * Run e.g. {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar WinogradBenchmark
 * -f 1 -wi 3 -i 5 -p threads=1,2}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WinogradBenchmark {
    private static final int BATCH = 64;

    @Param({"conv1", "conv2"})
    public String layer;

    @Param({"im2col", "winograd"})
    public String path;

    @Param({"2"})
    public int threads;

    private int ci, co, size;
    private float[] x, w, y, dy, dx, dw, u;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        boolean first = layer.equals("conv1");
        ci = first ? 3 : 32;
        co = first ? 32 : 64;
        size = first ? 32 : 16;
        Rng rng = new Rng(7);
        x = gaussian(rng, BATCH * ci * size * size);
        w = gaussian(rng, co * ci * 9);
        dy = gaussian(rng, BATCH * co * size * size);
        y = new float[BATCH * co * size * size];
        dx = new float[BATCH * ci * size * size];
        u = new float[Winograd3x3.filterLength(co, ci)];
        dw = new float[co * ci * 9];
    }

    private static float[] gaussian(Rng rng, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = (float) rng.nextGaussian();
        return v;
    }

    @Benchmark
    public float[] forward() {
        if (path.equals("winograd")) {
            Winograd3x3.transformFilters(w, 0, co, ci, u, 0);
            Winograd3x3.convolve(x, 0, BATCH, ci, size, size, 1, u, 0, co, y, 0, false);
        } else {
            WinogradBaseline.convolve(x, BATCH, ci, size, size, 1, w, co, y);
        }
        return y;
    }

    @Benchmark
    public float[] gradients() {
        Arrays.fill(dx, 0f);
        Arrays.fill(dw, 0f);
        if (path.equals("winograd")) {
            Winograd3x3.gradients(x, BATCH, ci, size, size, 1, w, co, dy, dw, dx);
        } else {
            WinogradBaseline.inputGradient(dy, BATCH, co, ci, size, size, 1, w, dx);
            WinogradBaseline.weightGradient(x, dy, BATCH, ci, size, size, 1, co, dw);
        }
        return dx;
    }
}
