package octoquant.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
        Parallel.workerRangeHook = null;
    }

    @Test
    void forChunksSplitsDeterministicallyAndRunsEachRangeOnce() {
        for (int t = 1; t <= 4; t++) {
            Parallel.setThreads(t);
            for (int n : new int[] {1, 5, 64, 1001}) {
                for (int chunks : new int[] {1, 3, 8, 5000}) {
                    Set<String> ranges = ConcurrentHashMap.newKeySet();
                    AtomicInteger[] hits = new AtomicInteger[n];
                    for (int i = 0; i < n; i++) hits[i] = new AtomicInteger();
                    Parallel.forChunks(n, chunks, (s, e) -> {
                        ranges.add(s + ":" + e);
                        for (int i = s; i < e; i++) hits[i].incrementAndGet();
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, hits[i].get(), "t=" + t + " n=" + n + " index " + i);
                    int expected = Math.min(chunks, n);
                    // With one thread (or one chunk) the loop runs inline as one range.
                    if (t > 1 && expected > 1) {
                        assertEquals(expected, ranges.size(), "t=" + t + " n=" + n + " chunks=" + chunks);
                        int base = n / expected, extra = n % expected;
                        for (int c = 0, s = 0; c < expected; c++) {
                            int len = base + (c < extra ? 1 : 0);
                            assertTrue(ranges.contains(s + ":" + (s + len)), "range " + c + " of " + ranges);
                            s += len;
                        }
                    }
                }
            }
        }
    }

    @Test
    void eachThreadStartsWithTheFrontOfItsOwnShare() throws Exception {
        Parallel.setThreads(2);
        Thread caller = Thread.currentThread();
        CountDownLatch bothStarted = new CountDownLatch(2);
        Map<Thread, Integer> first = new ConcurrentHashMap<>();
        Parallel.forChunks(16, 16, (s, e) -> {
            if (first.putIfAbsent(Thread.currentThread(), s) == null) {
                bothStarted.countDown();
                try {
                    // No range ends before both threads hold one, so neither can reach the other's share first.
                    assertTrue(bothStarted.await(10, TimeUnit.SECONDS), "the worker never started");
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertEquals(2, first.size());
        for (Map.Entry<Thread, Integer> e : first.entrySet()) {
            // The caller's share is ranges 0..7, the worker's 8..15.
            assertEquals(e.getKey() == caller ? 0 : 8, e.getValue(), e.getKey().getName());
        }
    }

    @Test
    void aSlowWorkerDoesNotHoldUpTheRangesOthersCanTake() {
        Parallel.setThreads(2);
        Parallel.workerRangeHook = () -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Set<Thread> ranThere = ConcurrentHashMap.newKeySet();
        AtomicInteger onCaller = new AtomicInteger();
        Thread caller = Thread.currentThread();
        Parallel.forChunks(16, 16, (s, e) -> {
            ranThere.add(Thread.currentThread());
            if (Thread.currentThread() == caller) onCaller.incrementAndGet();
        });
        // The worker sleeps 200 ms before each range it claims, so the caller takes all but at most one.
        assertTrue(onCaller.get() >= 15, "caller ran " + onCaller.get() + " of 16 ranges");
    }

    @Test
    void idleSpellsCutAWorkersSpinToTheShortest() throws InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Parallel.spinIsLearned(), "-Doctoquant.spinMicros fixes the spin");
        Parallel.setThreads(2);
        AtomicInteger ran = new AtomicInteger();
        Parallel.forChunks(2, 2, (s, e) -> ran.incrementAndGet());
        // Each job after a 15 ms pause ends a worker wait longer than SpinBudget.IDLE_NANOS: 500 µs is
        // halved to 250, 125, 62.5, 31.25, then 20 µs, where it stays.
        for (int i = 0; i < 8; i++) {
            Thread.sleep(15);
            Parallel.forChunks(2, 2, (s, e) -> ran.incrementAndGet());
        }
        Thread.sleep(50); // the last wake-up's budget update, after the caller has already returned
        assertEquals(18, ran.get());
        long[] spins = Parallel.workerSpinNanos();
        assertEquals(1, spins.length);
        assertEquals(SpinBudget.DEFAULT_MIN_NANOS, spins[0]);
    }

    @Test
    void manyBackToBackJobsAndThreadChangesComplete() {
        long sum = 0;
        for (int round = 0; round < 2000; round++) {
            if (round % 500 == 0) Parallel.setThreads(1 + round / 500);
            long[] part = new long[8];
            Parallel.forChunks(8, 8, (s, e) -> {
                for (int i = s; i < e; i++) part[i] = i + 1;
            });
            for (long p : part) sum += p;
        }
        assertEquals(2000L * 36, sum);
    }

    @Test
    void everyIndexRunsExactlyOnceForAnyThreadCount() {
        for (int t = 1; t <= 5; t++) {
            Parallel.setThreads(t);
            for (int n : new int[] {1, 2, 3, 7, 100, 1001}) {
                for (int minChunk : new int[] {1, 4, 1000}) {
                    AtomicInteger[] hits = new AtomicInteger[n];
                    for (int i = 0; i < n; i++) hits[i] = new AtomicInteger();
                    Parallel.forRange(n, minChunk, (s, e) -> {
                        for (int i = s; i < e; i++) hits[i].incrementAndGet();
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, hits[i].get(), "t=" + t + " n=" + n + " index " + i);
                }
            }
        }
    }

    @Test
    void usesOtherThreadsAndNestedCallsRunInlineOnTheCallingThread() {
        Parallel.setThreads(3);
        Set<Thread> outer = ConcurrentHashMap.newKeySet();
        AtomicInteger nestedOnOtherThread = new AtomicInteger();
        // Each range waits until all three have started: ranges are claimed dynamically, so this is what
        // makes three threads take one each (and shows the team really runs them at the same time).
        CountDownLatch allStarted = new CountDownLatch(3);
        Parallel.forRange(3, 1, (s, e) -> {
            Thread me = Thread.currentThread();
            outer.add(me);
            allStarted.countDown();
            try {
                allStarted.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            assertTrue(Parallel.inParallelBody());
            Parallel.forRange(100, 1, (s2, e2) -> {
                if (Thread.currentThread() != me || s2 != 0 || e2 != 100) nestedOnOtherThread.incrementAndGet();
            });
        });
        assertEquals(3, outer.size(), "three chunks on three threads");
        assertEquals(0, nestedOnOtherThread.get(), "nested calls must run inline, in one range");
        assertFalse(Parallel.inParallelBody(), "the caller's flag is cleared after its chunk");
    }

    @Test
    void aFailingChunkIsRethrownAfterTheOthersFinish() {
        Parallel.setThreads(2);
        AtomicInteger finished = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.forRange(2, 1, (s, e) -> {
            if (s == 0) throw boom;
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            finished.incrementAndGet();
        }));
        assertSame(boom, thrown);
        assertEquals(1, finished.get(), "the worker's chunk completed before the failure surfaced");
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    }
}
