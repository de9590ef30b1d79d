package octoquant.engine.util;

import octoquant.engine.state.StateReader;
import octoquant.engine.state.StateWriter;
import octoquant.engine.state.Stateful;

/**
 * A small seeded random generator (SplitMix64) whose sequence is fixed by this code alone, not by the
 * JDK version: experiments must give the same numbers on JDK 17 and JDK 25.
 */
public final class Rng implements Stateful {
    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    public Rng(long seed) {
        this.state = seed;
    }

    /** SplitMix64's increment: the counter advances by it at every draw. */
    public static final long GAMMA = 0x9E3779B97F4A7C15L;
    /** The multipliers of SplitMix64's output function {@link #mix} (for vectorised forms of it). */
    public static final long MIX1 = 0xBF58476D1CE4E5B9L, MIX2 = 0x94D049BB133111EBL;

    public long nextLong() {
        return mix(state += GAMMA);
    }

    /** SplitMix64's output function: the draw of counter value {@code z}. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * MIX1;
        z = (z ^ (z >>> 27)) * MIX2;
        return z ^ (z >>> 31);
    }

    /**
     * The counter. SplitMix64 is counter-based: the draw {@code k} places ahead (k = 0: the next one) is
     * {@code mix(counter() + (k + 1)·GAMMA)}, so a loop split over threads can still consume one stream in
     * index order ({@link #doubleAt}, then {@link #skip}).
     */
    public long counter() {
        return state;
    }

    /** Advances the stream by {@code draws} draws of {@link #nextLong}, as that many calls would. */
    public void skip(long draws) {
        state += draws * GAMMA;
    }

    /** The {@link #nextDouble()} that a generator at counter {@code counter} returns {@code k} draws later. */
    public static double doubleAt(long counter, long k) {
        return (mix(counter + (k + 1) * GAMMA) >>> 11) * 0x1.0p-53;
    }

    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    /** Uniform in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long r = nextLong() >>> 33; // 31 random bits
        long m = r * bound;
        int low = (int) (m & 0x7FFFFFFFL);
        if (low < bound) {
            int threshold = (int) ((0x80000000L - bound) % bound);
            while (low < threshold) {
                r = nextLong() >>> 33;
                m = r * bound;
                low = (int) (m & 0x7FFFFFFFL);
            }
        }
        return (int) (m >>> 31);
    }

    /** Uniform in [0, 1) with 24 random bits: every value is exactly representable as a float. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    public float uniform(float lo, float hi) {
        return lo + (hi - lo) * nextFloat();
    }

    /** Standard normal (Marsaglia polar method). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double mul = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * mul;
        hasSpare = true;
        return u * mul;
    }

    /** An independent generator derived from this one's next output: for per-seed or per-layer streams. */
    public Rng fork() {
        return new Rng(nextLong());
    }

    /** Fisher–Yates shuffle of the given indices, in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    // ------------------------------------------------------------------ state
    // All three fields are state: the SplitMix64 counter and the Gaussian pair's unused half. The seed
    // is not kept apart: it is only the counter's starting value.

    @Override
    public void saveState(StateWriter out) {
        out.putLong("state", state);
        out.putDouble("spareGaussian", spareGaussian);
        out.putBoolean("hasSpare", hasSpare);
    }

    @Override
    public void restoreState(StateReader in) {
        state = in.longValue("state");
        spareGaussian = in.doubleValue("spareGaussian");
        hasSpare = in.booleanValue("hasSpare");
    }
}
