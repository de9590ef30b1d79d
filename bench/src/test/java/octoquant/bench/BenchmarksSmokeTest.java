package octoquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark once, in this JVM, with minimal time: proves each one sets up, runs and reports a
 * positive score (GFLOP/s for the GEMM ones). Not a measurement (no fork, no warm-up); CI runs it in a
 * few seconds.
 */
class BenchmarksSmokeTest {
    private static Collection<RunResult> run(String benchmarkClass, String param, String... values) throws Exception {
        // JMH takes a machine-wide lock (/tmp/jmh.lock) so two measurements never overlap; this smoke run
        // measures nothing, so it must not fail (or wait) because someone is benchmarking on the machine.
        System.setProperty("jmh.ignoreLock", "true");
        OptionsBuilder opts = new OptionsBuilder();
        opts.include("\\." + benchmarkClass + "\\.")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(10))
                .shouldFailOnError(true)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT);
        if (param != null) opts.param(param, values);
        Options built = opts.build();
        return new Runner(built).run();
    }

    private static void assertAllPositive(Collection<RunResult> results, int expected) {
        assertEquals(expected, results.size(), "benchmark combinations run");
        for (RunResult r : results) {
            Result<?> flop = r.getSecondaryResults().get("flop");
            String what = r.getParams().getBenchmark() + " " + r.getParams();
            assertTrue(flop != null && flop.getScore() > 0, what + ": no GFLOP/s reported");
        }
    }

    @Test
    void gemmBenchRunsEveryVariantAndBackend() throws Exception {
        assertAllPositive(run("GemmBench", "size", "64"), 4 * 3);
    }

    @Test
    void modelGemmBenchRunsEveryShape() throws Exception {
        assertAllPositive(run("ModelGemmBench", "backend", "vector"), 14);
    }

    @Test
    void convAndTrainingStepBenchmarksRunOnce() throws Exception {
        for (String bench : new String[] {"ConvBenchmark", "TrainStepBenchmark"}) {
            Collection<RunResult> results = run(bench, null);
            assertTrue(results.size() >= 2, bench + ": " + results.size() + " results");
            for (RunResult r : results) {
                double score = r.getPrimaryResult().getScore();
                assertTrue(score > 0 && Double.isFinite(score), r.getParams().getBenchmark() + " scored " + score);
            }
        }
    }
}
