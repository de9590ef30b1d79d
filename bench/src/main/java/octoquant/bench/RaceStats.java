package octoquant.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The summary lines of {@link QatStepRace} and {@link QuantInferenceRace}: per variant the median wall
 * time per step/pass, the median over rounds of its ratio to float's time <em>in the same round</em> (on a
 * loaded machine the load changes between rounds, and a per-round ratio cancels what hits both alike), and
 * the same for the process CPU time, which counts only the work done.
 */
final class RaceStats {
    private RaceStats() {}

    /** Prints one line per variant; variant 0 is float. {@code wallNs[s][r]}, {@code cpuNs[s][r]}: per step/pass. */
    static void print(String model, String[] names, String unit, double[][] wallNs, double[][] cpuNs) {
        int rounds = wallNs[0].length;
        for (int s = 0; s < names.length; s++) {
            double[] wallRatio = new double[rounds], cpuRatio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                wallRatio[r] = wallNs[s][r] / wallNs[0][r];
                cpuRatio[r] = cpuNs[s][r] / cpuNs[0][r];
            }
            System.out.printf(Locale.ROOT, "%-4s %-9s %9.3f ms/%s  time %.2f x float (per-round median %.2f)  CPU %.3f ms  %.2f x float (per-round median %.2f)%n",
                    model, names[s], median(wallNs[s]) / 1e6, unit, median(wallNs[s]) / median(wallNs[0]), median(wallRatio),
                    median(cpuNs[s]) / 1e6, median(cpuNs[s]) / median(cpuNs[0]), median(cpuRatio));
        }
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : 0.5 * (c[c.length / 2 - 1] + c[c.length / 2]);
    }
}
