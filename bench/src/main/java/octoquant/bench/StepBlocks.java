package octoquant.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A training epoch's pace in blocks of consecutive steps, for the race's contestants: milliseconds per
 * step over each full block, and the fastest block after the first (which holds what is left of the
 * JIT's work and the first touches of the epoch's memory). An epoch's time includes every slow spell the
 * host imposed; its fastest block is what the contestant did while the host let it be.
 */
public final class StepBlocks {
    /** Steps per block in the race's epochs, on every side (octoquant's, DJL's, and {@code train_epoch.py}'s). */
    public static final int RACE_STEPS = 100;

    private final int steps;
    private final LongSupplier clock;
    private final List<Double> blockMs = new ArrayList<>();
    private long blockStart;
    private int inBlock;

    /** Blocks of {@code steps} steps timed by {@code clock} (ns), from now. */
    public StepBlocks(int steps, LongSupplier clock) {
        if (steps < 1) throw new IllegalArgumentException("a block needs at least one step, got " + steps);
        this.steps = steps;
        this.clock = clock;
        this.blockStart = clock.getAsLong();
    }

    /** Blocks of {@code steps} steps on {@link System#nanoTime}, from now. */
    public StepBlocks(int steps) {
        this(steps, System::nanoTime);
    }

    /** One more step done; closes a block every {@code steps} steps (a last partial block is dropped). */
    public void stepDone() {
        if (++inBlock < steps) return;
        long now = clock.getAsLong();
        blockMs.add((now - blockStart) / 1e6 / steps);
        blockStart = now;
        inBlock = 0;
    }

    /** The race's comment line: {@code # epoch, ms per step in blocks of N steps: a b c ...}, or "" for no block. */
    public String line() {
        if (blockMs.isEmpty()) return "";
        StringBuilder b = new StringBuilder("# epoch, ms per step in blocks of " + steps + " steps:");
        for (double ms : blockMs) b.append(String.format(Locale.ROOT, " %.2f", ms));
        return b.toString();
    }

    /** The lowest ms per step of the full blocks after the first, or NaN with fewer than two full blocks. */
    public double fastestAfterFirstMs() {
        double best = Double.NaN;
        for (int i = 1; i < blockMs.size(); i++) {
            if (Double.isNaN(best) || blockMs.get(i) < best) best = blockMs.get(i);
        }
        return best;
    }
}
