package octoquant.engine.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed pool of worker threads for data-parallel loops. Work is split into contiguous ranges of an
 * index space; callers must make every output element depend on one index only, so results are
 * bit-identical whatever the thread count. Nested calls from a worker run inline.
 */
public final class Parallel {
    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static volatile int threads = defaultThreads();
    private static ExecutorService pool;

    private Parallel() {}

    /** A range body: handles indices {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static int defaultThreads() {
        String prop = System.getProperty("octoquant.threads");
        if (prop != null) {
            try {
                int n = Integer.parseInt(prop.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the machine's count
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public static int threads() {
        return threads;
    }

    /** Sets the number of threads used from now on (1 = run on the caller only). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
        if (n != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = n;
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(() -> {
                    IN_WORKER.set(Boolean.TRUE);
                    r.run();
                }, "octoquant-worker");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous ranges of at
     * least {@code minChunk} indices. Returns when all ranges are done.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        if (n <= 0) return;
        int t = threads;
        int chunks = Math.min(t, Math.max(1, n / Math.max(1, minChunk)));
        if (chunks <= 1 || IN_WORKER.get()) {
            body.run(0, n);
            return;
        }
        ExecutorService ex = pool();
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        int base = n / chunks, extra = n % chunks;
        int start = 0;
        int firstEnd = base + (extra > 0 ? 1 : 0);
        start = firstEnd;
        for (int c = 1; c < chunks; c++) {
            int len = base + (c < extra ? 1 : 0);
            int s = start, e = start + len;
            futures.add(ex.submit(() -> body.run(s, e)));
            start = e;
        }
        body.run(0, firstEnd);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for worker threads", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) throw re;
                if (cause instanceof Error err) throw err;
                throw new IllegalStateException(cause);
            }
        }
    }
}
