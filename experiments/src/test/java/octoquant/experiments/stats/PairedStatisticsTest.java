package octoquant.experiments.stats;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Edge cases and invariances of the paired statistics that SciPy's numbers do not cover. */
class PairedStatisticsTest {

    @Test
    void fewerThanTwoPairsGiveNaNAndSaySo() {
        PairedComparison one = PairedComparison.of(new double[] {97.1}, new double[] {96.9});
        assertEquals(1, one.n());
        assertEquals(97.1 - 96.9, one.difference(), 0);
        for (double v : new double[] {one.ciLow(), one.ciHigh(), one.tP(), one.permutationP(), one.wilcoxonP(), one.effectSizeDz()}) {
            assertTrue(Double.isNaN(v));
        }
        assertTrue(one.note().startsWith("not enough pairs: 1"), one.note());
        PairedComparison none = PairedComparison.of(new double[0], new double[0]);
        assertEquals(0, none.n());
        assertTrue(Double.isNaN(none.difference()));
        assertFalse(PairedComparison.holm(List.of(none, one)).get(0).distinguishable());
        assertTrue(Double.isNaN(SignFlipTest.of(new double[] {1}, new double[] {0}).p()));
    }

    @Test
    void unequalLengthsAndMissingValuesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> PairedComparison.of(new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("equal lengths"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PairedTTest.of(new double[] {1, Double.NaN}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("pair 1 is not finite"), e.getMessage());
    }

    @Test
    void equalDifferencesUpToRoundOffHaveNoSpread() {
        // 0.3 − 0.2, 0.7 − 0.6 and 1.1 − 1.0 are 0.1 up to the subtraction's round-off. SciPy's ttest_rel gives
        // t ≈ 1e16 and p ≈ 1e-33 for such data from the round-off; here the spread is 0 and the note says so.
        PairedTTest t = PairedTTest.of(new double[] {0.3, 0.7, 1.1}, new double[] {0.2, 0.6, 1.0});
        assertEquals(0, t.sdDifference());
        assertEquals(0, t.p());
        assertTrue(Double.isNaN(t.t()));
        assertEquals(t.ciLow(), t.ciHigh());
        assertEquals(0.1, t.meanDifference(), 1e-15);
        assertTrue(t.note().startsWith("every paired difference is +0.100000"), t.note());
        assertTrue(Double.isNaN(CohenDz.of(new double[] {0.3, 0.7, 1.1}, new double[] {0.2, 0.6, 1.0})));
        PairedTTest zero = PairedTTest.of(new double[] {1, 2}, new double[] {1, 2});
        assertTrue(Double.isNaN(zero.p()));
        assertEquals(0, zero.ciLow());
        assertEquals(0, zero.ciHigh());
        assertTrue(zero.note().contains("identical"), zero.note());
    }

    /**
     * Accuracy differences that are equal in exact arithmetic come out of the subtraction a few ulps apart
     * (97.82 − 97.69 ≠ 98.01 − 97.88 in doubles). The tests must see them as the ties they are: the decimal
     * data give what the same differences in exact integer hundredths give.
     */
    @Test
    void roundOffOfTheSubtractionDoesNotSplitTrueTies() {
        double[] x = {97.82, 98.01, 96.91, 97.15, 98.03, 96.50, 97.44};
        double[] y = {97.69, 97.88, 97.01, 97.35, 97.63, 96.70, 97.31};
        long[] hundredths = {13, 13, -10, -20, 40, -20, 13};
        double[] exact = new double[hundredths.length];
        for (int i = 0; i < exact.length; i++) exact[i] = hundredths[i];
        assertNotEquals(x[0] - y[0], x[1] - y[1], "the doubles differ, or this test shows nothing");
        assertNotEquals(-(x[3] - y[3]), -(x[5] - y[5]));

        WilcoxonSignedRank w = WilcoxonSignedRank.of(x, y);
        WilcoxonSignedRank wExact = WilcoxonSignedRank.ofDifferences(exact);
        assertEquals(WilcoxonSignedRank.Method.PERMUTATION, w.method(), "ties seen");
        assertEquals(wExact.rPlus(), w.rPlus());
        assertEquals(wExact.p(), w.p());

        assertEquals(bruteForceSignFlipP(hundredths), SignFlipTest.of(x, y).p(), 0);
        assertEquals(PairedTTest.ofDifferences(exact).p(), PairedTTest.of(x, y).p(), 1e-10);
    }

    /** The sign-flip p by enumeration in integer arithmetic: no rounding anywhere. */
    private static double bruteForceSignFlipP(long[] d) {
        long observed = 0;
        for (long v : d) observed += v;
        long hits = 0;
        for (long mask = 0; mask < 1L << d.length; mask++) {
            long s = 0;
            for (int i = 0; i < d.length; i++) s += ((mask >>> i) & 1) != 0 ? -d[i] : d[i];
            if (Math.abs(s) >= Math.abs(observed)) hits++;
        }
        return (double) hits / (1L << d.length);
    }

    @Test
    void beyondTwentyPairsTheSignFlipTestSamplesDeterministically() {
        long[] d = new long[21];
        for (int i = 0; i < d.length; i++) d[i] = (i * 37 % 11) - 3;
        double[] dd = new double[d.length];
        for (int i = 0; i < d.length; i++) dd[i] = d[i];
        double exact = bruteForceSignFlipP(d);
        SignFlipTest mc = SignFlipTest.ofDifferences(dd);
        assertFalse(mc.exact());
        assertEquals(SignFlipTest.MONTE_CARLO_PATTERNS, mc.patterns());
        double se = Math.sqrt(exact * (1 - exact) / SignFlipTest.MONTE_CARLO_PATTERNS);
        assertEquals(exact, mc.p(), 5 * se + 1.0 / SignFlipTest.MONTE_CARLO_PATTERNS, "exact p " + exact);
        assertEquals(mc, SignFlipTest.ofDifferences(dd), "the same p every time");

        double[] twenty = java.util.Arrays.copyOf(dd, 20);
        SignFlipTest full = SignFlipTest.ofDifferences(twenty);
        assertTrue(full.exact());
        assertEquals(1L << 20, full.patterns());
        assertEquals(bruteForceSignFlipP(java.util.Arrays.copyOf(d, 20)), full.p(), 0);
    }

    @Test
    void smallestSignFlipPIsTwoOverTwoToTheN() {
        assertEquals(0.25, SignFlipTest.smallestP(3));
        assertEquals(0.0625, SignFlipTest.smallestP(5));
        assertEquals(0.03125, SignFlipTest.smallestP(6));
        double[] allUp = {1, 2, 3, 4, 5, 6};
        assertEquals(SignFlipTest.smallestP(6), SignFlipTest.ofDifferences(allUp).p());
    }

    @Test
    void allZeroDifferencesGiveWilcoxonAndSignFlipPOfOne() {
        WilcoxonSignedRank w = WilcoxonSignedRank.ofDifferences(new double[20]);
        assertEquals(1, w.p());
        assertEquals(WilcoxonSignedRank.Method.NONE, w.method());
        assertEquals(1, SignFlipTest.ofDifferences(new double[5]).p());
    }

    /** Swapping the two samples turns every difference around and changes no p-value. */
    @Property(tries = 200)
    void swappingTheSamplesNegatesTheDifferenceAndKeepsThePValues(
            @ForAll @Size(min = 2, max = 14) List<@IntRange(min = -6, max = 6) Integer> diffs,
            @ForAll @IntRange(min = -3, max = 3) int shift) {
        double[] x = new double[diffs.size()], y = new double[diffs.size()];
        for (int i = 0; i < x.length; i++) {
            y[i] = 10 + i;
            x[i] = y[i] + diffs.get(i) + shift;
        }
        PairedComparison ab = PairedComparison.of(x, y), ba = PairedComparison.of(y, x);
        assertEquals(-ab.difference(), ba.difference(), 1e-12);
        assertEquals(-ab.ciHigh(), ba.ciLow(), 1e-12);
        assertEquals(ab.tP(), ba.tP(), 1e-12);
        assertEquals(ab.permutationP(), ba.permutationP());
        assertEquals(ab.wilcoxonP(), ba.wilcoxonP());
        if (!Double.isNaN(ab.effectSizeDz())) assertEquals(-ab.effectSizeDz(), ba.effectSizeDz(), 1e-12);
    }

    /** The p-values do not depend on the unit: differences times 2^k (exact in doubles) give the same p. */
    @Property(tries = 200)
    void pValuesDoNotDependOnTheUnit(
            @ForAll @Size(min = 2, max = 14) List<@IntRange(min = -6, max = 6) Integer> diffs,
            @ForAll @IntRange(min = -20, max = 20) int k) {
        double[] d = diffs.stream().mapToDouble(Integer::doubleValue).toArray();
        double[] scaled = java.util.Arrays.stream(d).map(v -> Math.scalb(v, k)).toArray();
        assertEquals(SignFlipTest.ofDifferences(d).p(), SignFlipTest.ofDifferences(scaled).p());
        assertEquals(WilcoxonSignedRank.ofDifferences(d).p(), WilcoxonSignedRank.ofDifferences(scaled).p());
        double tp = PairedTTest.ofDifferences(d).p();
        if (Double.isNaN(tp)) assertTrue(Double.isNaN(PairedTTest.ofDifferences(scaled).p()));
        else assertEquals(tp, PairedTTest.ofDifferences(scaled).p(), 1e-12);
    }
}
