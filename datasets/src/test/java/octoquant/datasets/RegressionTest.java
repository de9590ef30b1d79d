package octoquant.datasets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegressionTest {
    @Test
    void sameSeedSameData() {
        Regression.Split a = Regression.generate(1), b = Regression.generate(1), c = Regression.generate(2);
        assertArrayEquals(a.train().x(), b.train().x());
        assertArrayEquals(a.test().y(), b.test().y());
        assertFalse(java.util.Arrays.equals(a.train().y(), c.train().y()));
        assertEquals(1000, a.train().n());
        assertEquals(200, a.test().n());
        assertEquals(10_000, a.train().x().length);
    }

    /** The zero predictor's MSE is in the seed's "hundreds"; least squares recovers W_TRUE and leaves the noise, 9. */
    @Test
    void scaleAndRecoverableStructure() {
        Regression.Data d = Regression.generate(3, 20_000, 0).train();
        double mse0 = 0;
        for (float y : d.y()) mse0 += y * y;
        mse0 /= d.n();
        assertEquals(343.75 + 4 + 9, mse0, 15, "initial MSE of a zero predictor");

        // Normal equations in double precision, with a bias column.
        int p = d.features() + 1;
        double[][] a = new double[p][p + 1];
        for (int i = 0; i < d.n(); i++) {
            double[] row = new double[p];
            for (int j = 0; j < d.features(); j++) row[j] = d.x()[i * d.features() + j];
            row[p - 1] = 1;
            for (int r = 0; r < p; r++) {
                for (int s = 0; s < p; s++) a[r][s] += row[r] * row[s];
                a[r][p] += row[r] * d.y()[i];
            }
        }
        double[] w = solve(a);
        double[] wTrue = Regression.trueWeights();
        for (int j = 0; j < wTrue.length; j++) assertEquals(wTrue[j], w[j], 0.1, "weight " + j);
        assertEquals(Regression.TRUE_BIAS, w[p - 1], 0.1);
        double res = 0;
        for (int i = 0; i < d.n(); i++) {
            double pred = w[p - 1];
            for (int j = 0; j < d.features(); j++) pred += w[j] * d.x()[i * d.features() + j];
            res += (pred - d.y()[i]) * (pred - d.y()[i]);
        }
        res /= d.n();
        assertEquals(Regression.NOISE_STD * Regression.NOISE_STD, res, 0.4, "residual = noise variance");
        assertTrue(res < mse0 / 30);
    }

    private static double[] solve(double[][] a) {
        int n = a.length;
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
            double[] t = a[c]; a[c] = a[piv]; a[piv] = t;
            for (int r = 0; r < n; r++) {
                if (r == c) continue;
                double f = a[r][c] / a[c][c];
                for (int s = c; s <= n; s++) a[r][s] -= f * a[c][s];
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = a[i][n] / a[i][i];
        return x;
    }
}
