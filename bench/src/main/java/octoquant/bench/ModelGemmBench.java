package octoquant.bench;

import java.util.concurrent.TimeUnit;
import octoquant.engine.kernels.Parallel;
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

/**
 * The GEMMs the two reference models really run at batch 64 (forward, weight gradient, input
 * gradient), named {@code layer_pass_VARIANT_MxNxK}. Conv2d via im2col is {@code W[co, ci·9] · col[ci·9, H·W]}
 * per image ({@code _img}) or with the batch's columns side by side ({@code _batch}). The {@code flop}
 * secondary result is GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ModelGemmBench {
    @Param({
        "mlp1_fwd_NT_64x128x784", "mlp1_dW_TN_128x784x64", "mlp2_fwd_NT_64x10x128", "mlp2_dX_NN_64x128x10",
        "conv1_fwd_img_NN_32x1024x27", "conv1_dW_img_NT_32x27x1024", "conv1_fwd_batch_NN_32x65536x27",
        "conv2_fwd_img_NN_64x256x288", "conv2_dW_img_NT_64x288x256", "conv2_dcol_img_TN_288x256x64",
        "conv2_fwd_batch_NN_64x16384x288",
        "fc1_fwd_NT_64x64x4096", "fc1_dW_TN_64x4096x64", "fc1_dX_NN_64x4096x64",
    })
    public String shape;

    @Param({"vector", "ejml"})
    public String backend;

    @Param({"1"})
    public int threads;

    private GemmOperands op;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        String[] parts = shape.split("_");
        String variant = parts[parts.length - 2];
        String[] mnk = parts[parts.length - 1].split("x");
        op = GemmOperands.of(backend, variant, Integer.parseInt(mnk[0]), Integer.parseInt(mnk[1]), Integer.parseInt(mnk[2]));
    }

    @Benchmark
    public float[] gemm(FlopCounter counter) {
        op.multiply();
        counter.flop += op.flops();
        return op.c;
    }
}
