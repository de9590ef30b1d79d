package octoquant.experiments.memory;

import octoquant.experiments.grid.RunSetConfig;

import java.util.Locale;

/**
 * Refuses, before anything is loaded or written, a run set whose {@link MemoryEstimate} exceeds the heap this
 * JVM may grow to ({@link Runtime#maxMemory()}). Off with {@code -Doctoquant.memoryCheck=false} or
 * {@code OCTOQUANT_NO_MEMORY_CHECK=1} (the run then meets its real limit, reported by {@link OutOfMemory}).
 */
public final class HeapCheck {
    private HeapCheck() {}

    /** Thrown when the run set cannot fit: its message is the one line the user sees (exit code 2). */
    public static final class TooLittleHeap extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLittleHeap(String message) {
            super(message);
        }
    }

    /** Checks {@code config} against this JVM's heap (a task this check has no estimate for passes). */
    public static void require(RunSetConfig config) {
        if (disabled()) return;
        MemoryEstimate estimate;
        try {
            estimate = MemoryEstimate.of(config);
        } catch (IllegalArgumentException unknownTask) {
            return;
        }
        require(estimate, Runtime.getRuntime().maxMemory());
    }

    /** Checks {@code estimate} against {@code heapBytes}. */
    static void require(MemoryEstimate estimate, long heapBytes) {
        if (estimate.totalBytes() <= heapBytes) return;
        StringBuilder sb = new StringBuilder();
        sb.append(estimate.run()).append(" needs ").append(estimate.describe()).append(", more than this JVM's heap of ")
                .append(MemoryEstimate.size(heapBytes)).append(" (-Xmx); ");
        int fits = estimate.largestBatchFitting(heapBytes);
        if (fits > 0 && fits < estimate.trainBatch()) {
            sb.append("use --batch-size ").append(String.format(Locale.ROOT, "%,d", fits)).append(" or smaller, or ");
        }
        sb.append("give the JVM more: java -Xmx").append(OutOfMemory.suggestedHeap(estimate.totalBytes()))
                .append(" -jar experiments.jar … (the relaunch passes JVM options on to its child JVM); "
                        + "-Doctoquant.memoryCheck=false skips this check");
        throw new TooLittleHeap(sb.toString());
    }

    static boolean disabled() {
        return "false".equalsIgnoreCase(System.getProperty("octoquant.memoryCheck"))
                || System.getenv("OCTOQUANT_NO_MEMORY_CHECK") != null;
    }
}
