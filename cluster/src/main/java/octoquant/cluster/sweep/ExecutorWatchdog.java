package octoquant.cluster.sweep;

import org.apache.spark.SparkContext;

/**
 * Cancels the sweep's job when it has had no executor for a time limit: before the first one registered (a
 * cluster without free cores or memory would otherwise leave the job waiting forever: "Initial job has not
 * accepted any resources"), or after the last one was lost and none came back.
 */
final class ExecutorWatchdog implements AutoCloseable {
    private final Thread thread;
    private volatile boolean gaveUp;
    private volatile boolean hadExecutors;

    ExecutorWatchdog(SparkContext sc, long timeoutMillis) {
        thread = new Thread(() -> watch(sc, timeoutMillis), "octoquant-executor-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(SparkContext sc, long timeoutMillis) {
        long since = System.nanoTime();
        try {
            while (!sc.isStopped()) {
                // The list includes the driver; anything more is an executor.
                if (sc.statusTracker().getExecutorInfos().length > 1) {
                    hadExecutors = true;
                    since = System.nanoTime();
                } else if (System.nanoTime() - since > timeoutMillis * 1_000_000L) {
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

    /** True when the job was cancelled for want of executors. */
    boolean gaveUp() {
        return gaveUp;
    }

    /** True when at least one executor had registered before it gave up. */
    boolean hadExecutors() {
        return hadExecutors;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
