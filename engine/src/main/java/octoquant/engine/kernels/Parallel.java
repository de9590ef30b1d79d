package octoquant.engine.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent team of daemon worker threads for data-parallel loops. Work is split into contiguous
 * ranges of an index space; callers must make every output element depend on one index only (or, like
 * {@link Gemm}, compute each element the same way whichever range holds it), so results are
 * bit-identical whatever the thread count.
 *
 * <p>The split into ranges is deterministic (it depends only on the sizes and the thread count); which
 * thread runs which range is not. The caller publishes a job; each thread of the team (the caller first,
 * then the workers in order) owns a contiguous share of the ranges and runs it from the front, and a
 * thread done with its share takes ranges from the back of the others'. So consecutive loops over the
 * same index space (an op's forward and backward, one layer and the next) mostly give an index to the
 * same thread, which finds its data in its own core's caches, while a worker that the OS deschedules
 * holds up only the range it is running, not its share. The hand-off is a volatile job slot plus a
 * generation counter: idle workers spin ({@link Thread#onSpinWait}) for as long as their recent waits
 * call for, up to 500 µs ({@link SpinBudget}), and then park, so back-to-back small products (a
 * training step) pay no thread wake-up, while an idle engine soon uses no CPU.
 *
 * <p>Nested calls run inline on the current thread: from a worker, and from the caller while it runs
 * its ranges. So an op may parallelise over the batch and call {@link Gemm} inside without
 * oversubscribing the cores. A second application thread that calls in while the team is busy runs
 * its loop inline too (same results, by the contract above).
 */
public final class Parallel {
    /** True on a thread that is inside a parallel body (a worker, or the caller running its chunk). */
    private static final ThreadLocal<boolean[]> IN_BODY = ThreadLocal.withInitial(() -> new boolean[1]);
    /**
     * How long an idle worker, or a caller waiting for the last range, spins before parking: learned from
     * its waits ({@link SpinBudget}), or fixed by {@code -Doctoquant.spinMicros}.
     */
    private static final SpinBudget SPIN = spinBudget();
    private static volatile int threads = defaultThreads();
    /** Held by the thread whose job the team is running (and while the team is rebuilt). */
    private static final AtomicBoolean TEAM_BUSY = new AtomicBoolean();
    private static Team team; // guarded by TEAM_BUSY
    /** Test hook: run by a worker before each range it claims (null in production). */
    static volatile Runnable workerRangeHook;

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

    private static SpinBudget spinBudget() {
        String prop = System.getProperty("octoquant.spinMicros");
        if (prop != null) {
            try {
                long us = Long.parseLong(prop.trim());
                if (us >= 0 && us <= Long.MAX_VALUE / 1000) return new SpinBudget(us * 1000, us * 1000);
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
            System.err.println("octoquant: WARNING -Doctoquant.spinMicros=" + prop
                    + " is not a number of microseconds >= 0; spinning " + SpinBudget.DEFAULT_MIN_NANOS / 1000
                    + "-" + SpinBudget.DEFAULT_MAX_NANOS / 1000 + " us as learned");
        }
        return new SpinBudget(SpinBudget.DEFAULT_MIN_NANOS, SpinBudget.DEFAULT_MAX_NANOS);
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

    /** The current team's workers' spin budgets in ns (tests), or an empty array when there is no team. */
    static long[] workerSpinNanos() {
        Team tm = team;
        if (tm == null) return new long[0];
        long[] out = new long[tm.workers.length];
        for (int i = 0; i < out.length; i++) out[i] = tm.workers[i].spin;
        return out;
    }

    /** Whether the spin budget is learned (the default) rather than fixed by {@code -Doctoquant.spinMicros}. */
    static boolean spinIsLearned() {
        return SPIN.min < SPIN.max;
    }

    /** True when called from inside a {@link #forRange} body (where nested calls run inline). */
    public static boolean inParallelBody() {
        return IN_BODY.get()[0];
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous ranges of at
     * least {@code minChunk} indices (the split depends only on n, minChunk and the thread count).
     * Returns when all ranges are done; if any range throws, waits for the others, then rethrows the
     * first failure.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
        forChunks(n, chunks, body);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into exactly {@code min(chunks, n)} contiguous ranges of
     * near-equal length (the first {@code n % chunks} one longer), which the team's threads claim one at a
     * time, each its own share first (see the class comment). More ranges than threads balance the load
     * when a thread is slowed down; the split itself depends only on n and chunks. Failure handling as in
     * {@link #forRange}.
     */
    public static void forChunks(int n, int chunks, RangeBody body) {
        if (n <= 0) return;
        chunks = Math.max(1, Math.min(chunks, n));
        boolean[] inBody = IN_BODY.get();
        int t = threads;
        if (chunks == 1 || t == 1 || inBody[0] || !TEAM_BUSY.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        Job job;
        try {
            Team tm = team;
            if (tm == null || tm.workers.length != t - 1) {
                if (tm != null) tm.stop();
                tm = new Team(t - 1);
                team = tm;
            }
            job = new Job(body, n, chunks, Thread.currentThread(), t);
            tm.publish(job);
            inBody[0] = true;
            try {
                job.work(0);
            } finally {
                inBody[0] = false;
            }
            tm.callerSpin = job.awaitDone(tm.callerSpin);
        } finally {
            TEAM_BUSY.set(false);
        }
        Throwable failure = job.failure.get();
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new IllegalStateException("parallel body failed", failure);
    }

    /** One parallel loop: its ranges, each team member's share of them and the count not yet finished. */
    private static final class Job {
        final RangeBody body;
        final int base, extra;
        final Thread caller;
        /** Member k's ranges not yet claimed, {@code [front, end)} packed as {@code front << 32 | end}. */
        final AtomicLong[] shares;
        final AtomicInteger pending;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        /** The test hook as it was when the job was published: one volatile read per job, not per range. */
        final Runnable rangeHook = workerRangeHook;

        Job(RangeBody body, int n, int chunks, Thread caller, int members) {
            this.body = body;
            this.base = n / chunks;
            this.extra = n % chunks;
            this.caller = caller;
            this.pending = new AtomicInteger(chunks);
            shares = new AtomicLong[members];
            for (int k = 0; k < members; k++) {
                long front = (long) k * chunks / members, end = (long) (k + 1) * chunks / members;
                shares[k] = new AtomicLong(front << 32 | end);
            }
        }

        int start(int chunk) {
            return chunk * base + Math.min(chunk, extra);
        }

        /** Member {@code self}'s share from the front, then the others' from the back, until none is left. */
        void work(int self) {
            for (int c; (c = claim(shares[self], true)) >= 0; ) run(c, self != 0);
            for (int k = 1; k < shares.length; k++) {
                AtomicLong other = shares[(self + k) % shares.length];
                for (int c; (c = claim(other, false)) >= 0; ) run(c, self != 0);
            }
        }

        /** Takes the first (or the last) unclaimed range of a share; -1 when none is left. */
        private static int claim(AtomicLong share, boolean fromFront) {
            while (true) {
                long s = share.get();
                int front = (int) (s >>> 32), end = (int) s;
                if (front >= end) return -1;
                long rest = fromFront ? (long) (front + 1) << 32 | end : (long) front << 32 | (end - 1);
                if (share.compareAndSet(s, rest)) return fromFront ? front : end - 1;
            }
        }

        private void run(int c, boolean onWorker) {
            try {
                if (onWorker && rangeHook != null) rangeHook.run();
                body.run(start(c), start(c + 1));
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                if (pending.decrementAndGet() == 0 && onWorker) LockSupport.unpark(caller);
            }
        }

        /**
         * The caller waits for the ranges other threads still run: spins up to {@code spin} ns, then parks.
         * Returns the spin budget for the caller's next wait.
         */
        long awaitDone(long spin) {
            if (pending.get() == 0) return spin;
            long start = System.nanoTime(), now = start;
            while (pending.get() != 0 && now - start < spin) {
                Thread.onSpinWait();
                now = System.nanoTime();
            }
            if (pending.get() == 0) return spin;
            boolean interrupted = false;
            while (pending.get() != 0) {
                // Keep waiting through interrupts: the workers still write into the caller's arrays.
                LockSupport.park(this);
                if (Thread.interrupted()) interrupted = true;
            }
            if (interrupted) Thread.currentThread().interrupt();
            return SPIN.afterPark(spin, System.nanoTime() - start);
        }
    }

    /** The worker threads and the slot through which jobs are handed to them. */
    private static final class Team {
        final Worker[] workers;
        /** The current job; written before {@link #generation} is bumped, read after it is seen. */
        volatile Job job;
        volatile long generation;
        volatile boolean stopped;
        /** The spin budget of the thread waiting for a job's last ranges (guarded by TEAM_BUSY). */
        long callerSpin = SPIN.max;

        Team(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(this, i);
                workers[i].start();
            }
        }

        void publish(Job j) {
            job = j;
            generation++; // only the TEAM_BUSY holder writes, so this read-modify-write does not race
            wakeParked();
        }

        void stop() {
            stopped = true;
            generation++;
            wakeParked();
        }

        private void wakeParked() {
            for (Worker w : workers) if (w.parked) LockSupport.unpark(w);
        }
    }

    private static final class Worker extends Thread {
        final Team team;
        /** This worker's place in the team: its share of every job (the caller's is 0). */
        final int member;
        /** Set before parking and re-checked against the generation, so a publisher sees it or the worker sees the job. */
        volatile boolean parked;
        /** How long this worker spins for the next job before parking (written by the worker only). */
        private volatile long spin = SPIN.max;

        Worker(Team team, int index) {
            super("octoquant-worker-" + index);
            this.team = team;
            this.member = index + 1;
            setDaemon(true);
        }

        @Override
        public void run() {
            IN_BODY.get()[0] = true;
            long seen = 0; // the team's starting generation: a job published before this thread ran is still new to it
            while (true) {
                long g = awaitGeneration(seen);
                seen = g;
                if (team.stopped) return;
                Job j = team.job;
                if (j != null) j.work(member);
            }
        }

        private long awaitGeneration(long seen) {
            long g = team.generation;
            if (g != seen) return g;
            long start = System.nanoTime(), now = start;
            while ((g = team.generation) == seen && now - start < spin) {
                Thread.onSpinWait();
                now = System.nanoTime();
            }
            if ((g = team.generation) != seen) return g;
            while (g == seen) {
                parked = true;
                if ((g = team.generation) == seen) LockSupport.park(this);
                parked = false;
                // A worker has nothing to cancel; clearing the flag keeps park from returning at once.
                Thread.interrupted();
                g = team.generation;
            }
            if (!team.stopped) spin = SPIN.afterPark(spin, System.nanoTime() - start);
            return g;
        }
    }
}
