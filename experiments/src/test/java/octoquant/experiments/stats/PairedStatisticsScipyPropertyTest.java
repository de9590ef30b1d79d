package octoquant.experiments.stats;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import static octoquant.experiments.stats.PairedStatisticsReferenceTest.close;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every paired statistic against a live SciPy on random paired samples: n = 2 to 14 (which reaches every
 * Wilcoxon method), integers with many ties and zeros, multiples of 1/8, and Gaussian values on a 2⁻²⁰ grid.
 * All values lie on binary grids, so every difference and every sign-pattern sum is exact in doubles: ties
 * are real ties for both sides, and the two must agree to the last count. Skipped with the reason when no
 * python3 with SciPy is found, failed instead under CI ({@code CI=true}, set by {@code .ci/run}), where
 * {@code scripts/test.sh} installs it. Passes against SciPy 1.10.1 (Debian 12) and 1.17.1.
 */
@AddLifecycleHook(PairedStatisticsScipyPropertyTest.SkipWithoutScipy.class)
class PairedStatisticsScipyPropertyTest {

    private static LiveScipy scipy;

    enum Kind { INTEGERS, EIGHTHS, GAUSSIAN_GRID }

    record Sample(Kind kind, double[] x, double[] y) {
        @Override
        public String toString() {
            return kind + " x=" + Arrays.toString(x) + " y=" + Arrays.toString(y);
        }
    }

    @Property(tries = 300)
    void matchesScipy(@ForAll("pairedSamples") Sample s) throws IOException {
        double[] expected = scipy().values(s.x(), s.y());
        PairedComparison pc = PairedComparison.of(s.x(), s.y());
        String where = " (SciPy " + scipy().version + ") for " + s;
        close(expected[0], pc.difference(), 1e-13, "mean difference" + where);
        // The interval's half-width relatively: Debian's SciPy 1.10.1 gives t.ppf(0.975, 7) = 2.3646242510102993,
        // 2.5e-10 below the true 2.3646242515927853 (30-digit root of the t CDF); SciPy 1.17 and this code agree
        // with the true value to 1e-15.
        relative((expected[2] - expected[1]) / 2, (pc.ciHigh() - pc.ciLow()) / 2, 1e-9, "CI half-width" + where);
        relative(expected[3], pc.tP(), 1e-9, "paired t p" + where);
        assertEquals(expected[4], pc.permutationP(), 1e-15, "sign-flip p" + where);
        relative(expected[5], pc.wilcoxonP(), 1e-10, "Wilcoxon p" + where);
        close(expected[6], pc.effectSizeDz(), 1e-12, "Cohen's d_z" + where);
    }

    /** |expected − actual| ≤ rel · |expected| (p-values far in the tail are compared relatively). */
    private static void relative(double expected, double actual, double rel, String what) {
        if (Double.isNaN(expected)) {
            assertEquals(expected, actual, what);
            return;
        }
        assertEquals(expected, actual, rel * Math.abs(expected), what);
    }

    @Provide
    Arbitrary<Sample> pairedSamples() {
        return Combinators.combine(Arbitraries.integers().between(2, 14), Arbitraries.of(Kind.class), Arbitraries.randoms())
                .as(PairedStatisticsScipyPropertyTest::sample);
    }

    private static Sample sample(int n, Kind kind, Random random) {
        double[] x = new double[n], y = new double[n];
        int shift = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            switch (kind) {
                case INTEGERS -> {
                    y[i] = random.nextInt(101) - 50;
                    x[i] = y[i] + random.nextInt(9) - 4 + shift;
                }
                case EIGHTHS -> {
                    y[i] = (random.nextInt(401) - 200) / 8.0;
                    x[i] = y[i] + (random.nextInt(25) - 12 + 4 * shift) / 8.0;
                }
                case GAUSSIAN_GRID -> {
                    y[i] = onGrid(10 + 3 * random.nextGaussian());
                    x[i] = onGrid(y[i] + random.nextGaussian() + 0.5 * shift);
                }
            }
        }
        return new Sample(kind, x, y);
    }

    private static double onGrid(double v) {
        return Math.rint(v * 0x1p20) / 0x1p20;
    }

    private static synchronized LiveScipy scipy() throws IOException {
        if (scipy == null) {
            String python = LiveScipy.python();
            if (python == null) throw new AssertionError("CI=true and " + LiveScipy.missingReason()
                    + ": the SciPy comparison must not be skipped under CI");
            scipy = new LiveScipy(python);
        }
        return scipy;
    }

    @AfterContainer
    static synchronized void stopScipy() throws IOException {
        if (scipy != null) scipy.close();
        scipy = null;
    }

    /** Skips the container when no python3 with SciPy is found, except under CI, where the property then fails. */
    public static class SkipWithoutScipy implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            if (LiveScipy.python() != null || LiveScipy.underCi()) return SkipResult.doNotSkip();
            return SkipResult.skip(LiveScipy.missingReason());
        }
    }
}
