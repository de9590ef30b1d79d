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
 * Square GEMM, every transpose variant, our Vector API and scalar backends against EJML. The
 * {@code flop} secondary result is GFLOP/s (flop per ns). Example, vector vs EJML at 512 on one thread:
 * {@code java -jar bench/target/benchmarks.jar GemmBench -p size=512 -p backend=vector,ejml -p variant=NN}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBench {
    @Param({"64", "128", "256", "512", "1024"})
    public int size;

    @Param({"NN", "NT", "TN", "TT"})
    public String variant;

    @Param({"vector", "scalar", "ejml"})
    public String backend;

    @Param({"1"})
    public int threads;

    private GemmOperands op;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        op = GemmOperands.of(backend, variant, size, size, size);
    }

    @Benchmark
    public float[] gemm(FlopCounter counter) {
        op.multiply();
        counter.flop += op.flops();
        return op.c;
    }
}
