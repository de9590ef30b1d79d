package octoquant.experiments.stats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.*;

/** Reference values from SciPy 1.17 (scipy.stats.t.ppf, scipy.special.betainc, scipy.stats.norm.sf, scipy.special.gammaincc). */
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

    @ParameterizedTest
    @CsvSource({
        "0.0, 0.5", "0.5, 0.3085375387259869", "1.0, 0.15865525393145707", "1.959963984540054, 0.025",
        "3.0, 0.0013498980316300933", "5.0, 2.866515718791933e-07", "8.0, 6.22096057427174e-16",
        "12.0, 1.776482112077653e-33", "20.0, 2.7536241186061556e-89", "-1.5, 0.9331927987311419"})
    void normalTailMatchesScipyFarOut(double z, double expected) {
        assertEquals(expected, StandardNormal.upperTail(z), 1e-13 * expected, "norm.sf(" + z + ")");
        assertEquals(Math.min(1, 2 * StandardNormal.upperTail(Math.abs(z))), StandardNormal.twoSidedP(z));
    }

    @ParameterizedTest
    @CsvSource({
        "0.5, 0.1, 0.6547208460185768", "0.5, 2.0, 0.04550026389635857", "0.5, 30.0, 9.485737571073857e-15",
        "2.5, 1.0, 0.8491450360846096", "10.0, 12.0, 0.24239216167051245", "3.0, 0.01, 0.9999998345783472"})
    void upperIncompleteGammaMatchesScipy(double a, double x, double expected) {
        assertEquals(expected, SpecialFunctions.regularizedGammaQ(a, x), 1e-13 * expected, "gammaincc(" + a + ", " + x + ")");
    }
}
