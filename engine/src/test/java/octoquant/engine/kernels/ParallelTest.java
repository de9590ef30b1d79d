package octoquant.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
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
        Parallel.forRange(3, 1, (s, e) -> {
            Thread me = Thread.currentThread();
            outer.add(me);
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
