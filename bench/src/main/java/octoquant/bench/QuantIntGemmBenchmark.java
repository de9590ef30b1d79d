package octoquant.bench;

import octoquant.engine.integer.IntGemm;
import octoquant.engine.util.Rng;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * {@link IntGemm} (int8 × int8 → int32, zero points folded in) at the shapes integer inference runs:
 * {@code mlp1} = batch 64 × the MLP's first layer (M 64, N 128, K 784); {@code conv1}/{@code conv2} = one
 * image of the seed CNN's convolutions as im2col rows (M 1024, N 32, K 27 and M 256, N 64, K 288).
 * Score: microseconds per call; GOP/s = 2·M·N·K / time. Single thread (IntGemm is not parallel).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QuantIntGemmBenchmark {
    @Param({"mlp1", "conv1", "conv2"})
    public String shape;

    private int m, n, k;
    private byte[] a, w;
    private int[] wZero, acc;

    @Setup
    public void setUp() {
        switch (shape) {
            case "mlp1": m = 64; n = 128; k = 784; break;
            case "conv1": m = 1024; n = 32; k = 27; break;
            case "conv2": m = 256; n = 64; k = 288; break;
            default: throw new IllegalArgumentException("shape must be mlp1, conv1 or conv2, got " + shape);
        }
        Rng rng = new Rng(5);
        a = new byte[m * k];
        w = new byte[n * k];
        for (int i = 0; i < a.length; i++) a[i] = (byte) rng.nextInt(256);
        for (int i = 0; i < w.length; i++) w[i] = (byte) rng.nextInt(256);
        wZero = new int[n];
        for (int j = 0; j < n; j++) wZero[j] = rng.nextInt(16) - 8;
        acc = new int[m * n];
    }

    @Benchmark
    public int[] gemm() {
        IntGemm.gemm(m, n, k, a, 3, w, wZero, acc);
        return acc;
    }
}
