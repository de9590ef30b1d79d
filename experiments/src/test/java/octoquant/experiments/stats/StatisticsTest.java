package octoquant.experiments.stats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.*;

/** Reference values from SciPy 1.17 (scipy.stats.t.ppf, scipy.special.betainc, ttest_ind(equal_var=False)). */
class StatisticsTest {

    @ParameterizedTest
    @CsvSource({
        "1, 12.706204736174694", "2, 4.302652729749462", "3, 3.1824463052837078", "4, 2.7764451051977934",
        "5, 2.5705818356363146", "9, 2.262157162798205", "10, 2.228138851986274", "29, 2.045229642132703",
        "30, 2.0422724563012378", "100, 1.9839715185235518"})
    void tQuantilesMatchScipy(int df, double expected) {
        assertEquals(expected, StudentT.quantile(0.975, df), 1e-9 * expected);
        assertEquals(-expected, StudentT.quantile(0.025, df), 1e-9 * expected);
    }

    @Test
    void cdfMatchesClosedFormsForOneAndTwoDegreesOfFreedom() {
        for (double t = -30; t <= 30; t += 0.37) {
            assertEquals(0.5 + Math.atan(t) / Math.PI, StudentT.cdf(t, 1), 1e-12, "Cauchy at " + t);
            assertEquals(0.5 + t / (2 * Math.sqrt(2 + t * t)), StudentT.cdf(t, 2), 1e-12, "df=2 at " + t);
        }
    }

    @Test
    void incompleteBetaMatchesScipy() {
        assertEquals(0.018927124071945658, SpecialFunctions.regularizedIncompleteBeta(0.3, 2.5, 0.5), 1e-13);
        assertEquals(0.889130022255, SpecialFunctions.regularizedIncompleteBeta(0.9, 10, 3), 1e-12);
        assertEquals(0.06376856085851985, SpecialFunctions.regularizedIncompleteBeta(0.01, 0.5, 0.5), 1e-13);
    }

    @Test
    void logGammaMatchesFactorials() {
        double f = 1;
        for (int n = 1; n < 20; n++) {
            assertEquals(Math.log(f), SpecialFunctions.logGamma(n), 1e-12 * Math.max(1, Math.log(f)));
            f *= n;
        }
        assertEquals(0.5 * Math.log(Math.PI), SpecialFunctions.logGamma(0.5), 1e-13);
    }

    @Test
    void summaryOfThreeSeeds() {
        Summary s = Summary.of(new double[] {97.1, 97.4, 96.9});
        assertEquals(3, s.n());
        assertEquals(97.13333333333334, s.mean(), 1e-12);
        assertEquals(0.2516611478423591, s.std(), 1e-12);
        assertEquals(4.302652729749462 * 0.2516611478423591 / Math.sqrt(3), s.halfWidth(), 1e-9);
    }

    @Test
    void summarySkipsNaNAndHandlesOneValue() {
        Summary s = Summary.of(new double[] {1.0, Double.NaN});
        assertEquals(1, s.n());
        assertEquals(1.0, s.mean());
        assertTrue(Double.isNaN(s.halfWidth()));
        assertEquals(0, Summary.of(new double[0]).n());
    }

    @Test
    void welchMatchesScipy() {
        WelchTest w = WelchTest.of(new double[] {97.1, 97.4, 96.9}, new double[] {96.2, 96.8, 96.5});
        assertEquals(2.801397166943024, w.t(), 1e-10);
        assertEquals(0.050424936815930764, w.p(), 1e-10);
        assertFalse(w.distinguishable());

        WelchTest w2 = WelchTest.of(new double[] {0.51, 0.49, 0.55, 0.50, 0.47}, new double[] {0.33, 0.36, 0.30});
        assertEquals(7.9752769241454295, w2.t(), 1e-10);
        assertEquals(0.0009886047050998417, w2.p(), 1e-12);
        assertTrue(w2.distinguishable());
        // The interval uses the same df: its half-width divided by the standard error is t(0.975, df).
        double se = w2.difference() / w2.t();
        assertEquals(StudentT.quantile(0.975, w2.df()), w2.halfWidth() / se, 1e-9);
    }

    @Test
    void welchWithConstantGroups() {
        assertEquals(1.0, WelchTest.of(new double[] {1, 1}, new double[] {1, 1}).p());
        assertEquals(0.0, WelchTest.of(new double[] {1, 1}, new double[] {2, 2}).p());
        assertTrue(Double.isNaN(WelchTest.of(new double[] {1}, new double[] {2, 3}).p()));
    }
}
