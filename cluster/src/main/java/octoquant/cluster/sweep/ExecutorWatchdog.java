package octoquant.cluster.sweep;

import org.apache.spark.SparkContext;

/**
 * Cancels the sweep's job when no executor has registered within a time limit: a cluster without free cores
 * or memory would otherwise leave the job waiting forever ("Initial job has not accepted any resources").
 */
final class ExecutorWatchdog implements AutoCloseable {
    private final Thread thread;
    private volatile boolean gaveUp;

    ExecutorWatchdog(SparkContext sc, long timeoutMillis) {
        thread = new Thread(() -> watch(sc, timeoutMillis), "octoquant-executor-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(SparkContext sc, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try {
            while (!sc.isStopped()) {
                // The list includes the driver; anything more is an executor.
                if (sc.statusTracker().getExecutorInfos().length > 1) return;
                if (System.nanoTime() > deadline) {
                    gaveUp = true;
                    sc.cancelAllJobs();
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            // closed: the job ended
        }
    }

    /** True when the job was cancelled because no executor came. */
    boolean gaveUp() {
        return gaveUp;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
