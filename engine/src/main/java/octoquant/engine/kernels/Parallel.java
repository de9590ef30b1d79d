package octoquant.engine.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed pool of daemon worker threads for data-parallel loops. Work is split into contiguous ranges
 * of an index space; callers must make every output element depend on one index only (or, like
 * {@link Gemm}, compute each element the same way whichever range holds it), so results are
 * bit-identical whatever the thread count.
 *
 * <p>Nested calls run inline on the current thread: from a worker, and from the caller while it runs
 * its own chunk. So an op may parallelise over the batch and call {@link Gemm} inside without
 * oversubscribing the cores or waiting on a busy pool.
 */
public final class Parallel {
    /** True on a thread that is inside a parallel body (a worker, or the caller running its chunk). */
    private static final ThreadLocal<boolean[]> IN_BODY = ThreadLocal.withInitial(() -> new boolean[1]);
    private static volatile int threads = defaultThreads();
    private static ExecutorService pool;
    private static int poolSize;

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
            System.err.println("octoquant: WARNING -Doctoquant.threads=" + prop
                    + " is not a positive integer; using all " + Runtime.getRuntime().availableProcessors() + " cores");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Threads used by {@link #forRange} (the caller counts as one). */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads used from now on (1 = run on the caller only). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
        threads = n;
    }

    /** True when called from inside a {@link #forRange} body (where nested calls run inline). */
    public static boolean inParallelBody() {
        return IN_BODY.get()[0];
    }

    /** The pool, with one worker fewer than the thread count since the caller runs a chunk itself. */
    private static synchronized ExecutorService pool(int workers) {
        if (pool == null || poolSize != workers) {
            if (pool != null) pool.shutdown(); // running tasks finish; idle workers exit
            pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(() -> {
                    IN_BODY.get()[0] = true;
                    r.run();
                }, "octoquant-worker");
                t.setDaemon(true);
                return t;
            });
            poolSize = workers;
        }
        return pool;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous ranges of at
     * least {@code minChunk} indices (the split depends only on n, minChunk and the thread count).
     * Returns when all ranges are done; if any range throws, waits for the others, then rethrows the
     * first failure.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        if (n <= 0) return;
        boolean[] inBody = IN_BODY.get();
        int t = threads;
        int chunks = Math.min(t, Math.max(1, n / Math.max(1, minChunk)));
        if (chunks <= 1 || inBody[0]) {
            body.run(0, n);
            return;
        }
        ExecutorService ex = pool(t - 1);
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        int base = n / chunks, extra = n % chunks;
        int firstEnd = base + (extra > 0 ? 1 : 0);
        int start = firstEnd;
        for (int c = 1; c < chunks; c++) {
            int len = base + (c < extra ? 1 : 0);
            int s = start, e = start + len;
            futures.add(ex.submit(() -> body.run(s, e)));
            start = e;
        }
        Throwable failure = null;
        inBody[0] = true;
        try {
            body.run(0, firstEnd);
        } catch (Throwable e) {
            failure = e;
        } finally {
            inBody[0] = false;
        }
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: the workers still write into the caller's arrays
                } catch (ExecutionException e) {
                    if (failure == null) failure = e.getCause();
                    break;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new IllegalStateException("parallel body failed", failure);
    }
}
