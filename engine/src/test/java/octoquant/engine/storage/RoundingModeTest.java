package octoquant.engine.storage;

import net.jqwik.api.*;
import net.jqwik.api.constraints.DoubleRange;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RoundingModeTest {
    @Property(tries = 1000)
    void nearestIsWithinHalfAndTiesGoToEven(@ForAll @DoubleRange(min = -1e6, max = 1e6) double x) {
        long q = RoundingMode.NEAREST_EVEN.round(x, null);
        assertTrue(Math.abs(q - x) <= 0.5, q + " vs " + x);
        if (Math.abs(q - x) == 0.5) assertEquals(0, q % 2, "tie " + x + " went to odd " + q);
    }

    @Property(tries = 1000)
    void towardZeroNeverGrowsTheMagnitude(@ForAll @DoubleRange(min = -1e6, max = 1e6) double x) {
        long q = RoundingMode.TOWARD_ZERO.round(x, null);
        assertTrue(Math.abs(q) <= Math.abs(x) && Math.abs(x - q) < 1, q + " vs " + x);
        assertTrue(q == 0 || Long.signum(q) == (int) Math.signum(x));
    }

    @Property(tries = 1000)
    void floorNeverOverestimates(@ForAll @DoubleRange(min = -1e6, max = 1e6) double x) {
        long q = RoundingMode.FLOOR.round(x, null);
        assertTrue(q <= x && x - q < 1, q + " vs " + x);
    }

    @Test
    void numpyTiesToEven() {
        assertEquals(0, RoundingMode.NEAREST_EVEN.round(0.5, null));
        assertEquals(2, RoundingMode.NEAREST_EVEN.round(1.5, null));
        assertEquals(2, RoundingMode.NEAREST_EVEN.round(2.5, null));
        assertEquals(-2, RoundingMode.NEAREST_EVEN.round(-2.5, null));
        assertEquals(-2, RoundingMode.TOWARD_ZERO.round(-2.9, null));
        assertEquals(-3, RoundingMode.FLOOR.round(-2.1, null));
    }

    @Property(tries = 50)
    void stochasticIsUnbiasedAndStaysOnTheNeighbours(@ForAll @DoubleRange(min = -50, max = 50) double x,
                                                     @ForAll long seed) {
        Rng rng = new Rng(seed);
        int n = 20000;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            long q = RoundingMode.STOCHASTIC.round(x, rng);
            assertTrue(q == Math.floor(x) || q == Math.ceil(x), q + " is not a neighbour of " + x);
            sum += q;
        }
        // Bernoulli(frac) mean: standard error ≤ 0.5/sqrt(n) ≈ 0.0035; 5 standard errors
        assertEquals(x, sum / n, 0.018);
    }

    @Property(tries = 50)
    void sameSeedSameDraws(@ForAll long seed) {
        Rng a = new Rng(seed), b = new Rng(seed);
        for (int i = 0; i < 200; i++) {
            double x = i * 0.37 - 30;
            assertEquals(RoundingMode.STOCHASTIC.round(x, a), RoundingMode.STOCHASTIC.round(x, b));
        }
    }
}
