package octoquant.engine.kernels;

/**
 * How long a thread of {@link Parallel} waiting for work (a worker) or for the last ranges of a job (the
 * caller) spins before it parks, learned from the waits it has had. A wake-up from park is slow on a VM
 * (an idle virtual CPU is halted), and a training step pays it at every serial gap longer than the spin;
 * spinning through long idle spells costs other processes a core instead. So a thread starts at
 * {@link #max}, and:
 * <ul>
 *   <li>a wait that ended while spinning leaves the budget as it is;</li>
 *   <li>a wait that needed a park but ended within {@code max} raises it to twice that wait, up to
 *       {@code max}: the next such gap is caught by the spin;</li>
 *   <li>a wait longer than {@link #IDLE_NANOS} halves it, down to {@link #min}: the engine was idle, or
 *       the caller's own work between products is long enough that a wake-up does not matter. So the spin
 *       that an idle spell wastes settles near twice the gaps inside the bursts of work around it;</li>
 *   <li>a wait between {@code max} and {@code IDLE_NANOS} (a collector's pause, a slow serial pass)
 *       leaves it as it is.</li>
 * </ul>
 * With {@code min == max} the budget is fixed. Only timing depends on it, never a result.
 */
final class SpinBudget {
    /** The default shortest spin. */
    static final long DEFAULT_MIN_NANOS = 20_000;
    /** The default longest spin: covers the serial gaps of a training step (bias, loss, flatten). */
    static final long DEFAULT_MAX_NANOS = 500_000;
    /** A wait longer than this is idleness, not a gap between products. */
    static final long IDLE_NANOS = 10_000_000;

    final long min, max;

    SpinBudget(long min, long max) {
        if (min < 0 || max < min) throw new IllegalArgumentException("spin budget [" + min + ", " + max + "] ns");
        this.min = min;
        this.max = max;
    }

    /** The budget for the next wait, after one that took {@code waitedNanos} and had to park. */
    long afterPark(long current, long waitedNanos) {
        if (waitedNanos <= max) {
            long longer = Math.max(current, waitedNanos);
            return longer >= max / 2 ? max : Math.max(min, 2 * longer);
        }
        return waitedNanos > IDLE_NANOS ? Math.max(min, current / 2) : current;
    }
}
