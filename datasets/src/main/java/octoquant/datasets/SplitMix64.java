package octoquant.datasets;

/**
 * Seeded random numbers for shuffling, augmentation and the synthetic regression.
 *
 * <p>This is the same SplitMix64 algorithm as the engine's {@code octoquant.engine.util.Rng}, written out
 * again here on purpose: the datasets module must not depend on the engine, and the sequence must be fixed
 * by this code alone (not by the JDK version) so that a seed gives the same batches on JDK 17 and JDK 25.
 * Only the few methods this module needs are present.
 */
public final class SplitMix64 {
    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** A generator for one named stream (e.g. an epoch) of a seed, independent of how far others advanced. */
    public static SplitMix64 stream(long seed, long streamIndex) {
        SplitMix64 mixer = new SplitMix64(seed ^ (streamIndex * 0xD1B54A32D192ED03L));
        return new SplitMix64(mixer.nextLong() + streamIndex);
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound), without modulo bias (Lemire's multiply-shift on 31 bits, as in the engine). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long r = nextLong() >>> 33;
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

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal (Marsaglia polar method, as in the engine). */
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

    /** Fisher–Yates shuffle in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
