package octoquant.bench;

import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;

/** A body run on several new threads released at the same moment (the FMA peak and the host-noise probes). */
final class Together {
    private Together() {}

    /**
     * Runs {@code body.accept(id)} for ids {@code 0 .. threads-1}, each on its own thread, all released at
     * once; returns the wall seconds from the release until the last one ends.
     */
    static double run(int threads, IntConsumer body) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        Thread[] team = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            team[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                body.accept(id);
            });
            team[t].start();
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : team) t.join();
        return (System.nanoTime() - t0) / 1e9;
    }
}
