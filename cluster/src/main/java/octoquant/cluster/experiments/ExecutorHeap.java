package octoquant.cluster.experiments;

import octoquant.experiments.UserError;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.memory.MemoryEstimate;

/**
 * The experiments' heap check ({@code HeapCheck}) for a run on an executor: a run whose memory estimate exceeds
 * the executor's heap fails at once with one line naming the Spark setting to raise, instead of running out of
 * memory (which would take the executor, and Spark's retries, with it). Off, as there, with
 * {@code -Doctoquant.memoryCheck=false} or {@code OCTOQUANT_NO_MEMORY_CHECK=1}.
 */
final class ExecutorHeap {
    private ExecutorHeap() {}

    static void require(RunSpec spec) {
        if ("false".equalsIgnoreCase(System.getProperty("octoquant.memoryCheck"))
                || System.getenv("OCTOQUANT_NO_MEMORY_CHECK") != null) {
            return;
        }
        MemoryEstimate estimate;
        try {
            estimate = MemoryEstimate.of(spec.config());
        } catch (IllegalArgumentException noEstimate) {
            return;
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (estimate.totalBytes() <= heap) return;
        long mb = ((estimate.totalBytes() >> 20) + 255) / 256 * 256;
        throw new UserError(spec.label() + " needs " + estimate.describe() + ", more than this executor's heap of "
                + MemoryEstimate.size(heap) + "; give executors more: --conf spark.executor.memory=" + mb + "m (with "
                + "local[N] the runs share the driver's heap: java -Xmx… -jar octoquant-cluster.jar)");
    }
}
