package octoquant.experiments.audit;

/**
 * One row of a claim: one interpretation (a mode on a data set and model, or an exact check) and one comparison.
 * Statistical fields are NaN (null in JSON) where they do not apply.
 *
 * @param interpretation what the row reads the claim as: {@code qat}, {@code storage}, {@code ptq}, {@code
 *                       parameter count}, {@code bytes as stored}, …
 * @param setup          the data set and model, e.g. {@code Fashion-MNIST CNN (closest set-up available)}
 * @param runSet         the run set the numbers come from ("" for exact checks without runs)
 * @param epochs         the runs' epochs (0 when none)
 * @param measure        what is compared, in words
 * @param comparison     e.g. {@code octal8 − quant8}
 * @param n              seed pairs
 * @param difference     mean paired difference
 * @param p              paired t p (two-sided)
 * @param permutationP   exact sign-flip permutation p
 * @param wilcoxonP      Wilcoxon signed-rank p
 * @param adjustedP      the paired t p after Holm–Bonferroni over every comparison of the audit that has at least
 *                       {@value Verdicts#MIN_PAIRS} pairs
 * @param effectSize     Cohen's d_z
 * @param seedValue      the seed's number for this comparison
 * @param verdict        holds, does not hold, reversed, not testable here (…), not run here: …
 * @param detail         the numbers and reasons in words
 */
public record VerdictRow(int claim, String interpretation, String setup, String experiment, String model, String mode,
                         String runSet, int epochs, String measure, String comparison, int n, double difference,
                         double ciLow, double ciHigh, double p, double permutationP, double wilcoxonP, double adjustedP,
                         double effectSize, double seedValue, String verdict, String detail) {

    public static final String HOLDS = "holds";
    public static final String DOES_NOT_HOLD = "does not hold";
    public static final String REVERSED = "reversed";

    /** True when the row took part in the verdict (it is not "not testable" or "not run"). */
    public boolean testable() {
        return verdict.equals(HOLDS) || verdict.equals(DOES_NOT_HOLD) || verdict.equals(REVERSED);
    }

    /** The interpretation and set-up, as listed in a verdict: {@code storage on Fashion-MNIST CNN}. */
    public String where() {
        return setup.isEmpty() ? interpretation : interpretation + " on " + setup;
    }

    VerdictRow withVerdict(double adjusted, String v, String d) {
        return new VerdictRow(claim, interpretation, setup, experiment, model, mode, runSet, epochs, measure, comparison, n,
                difference, ciLow, ciHigh, p, permutationP, wilcoxonP, adjusted, effectSize, seedValue, v, d);
    }

    static VerdictRow exact(int claim, String interpretation, String setup, String runSet, String measure, boolean holds,
                            String detail) {
        double nan = Double.NaN;
        return new VerdictRow(claim, interpretation, setup, "", "", "", runSet, 0, measure, "", 0, nan, nan, nan, nan, nan,
                nan, nan, nan, nan, holds ? HOLDS : DOES_NOT_HOLD, detail);
    }

    static VerdictRow untestable(int claim, String interpretation, Target t, String mode, String measure, String verdict,
                                 String detail) {
        double nan = Double.NaN;
        return new VerdictRow(claim, interpretation, t == null ? "" : t.shortName(), t == null ? "" : t.experiment(),
                t == null ? "" : t.model(), mode, "", 0, measure, "", 0, nan, nan, nan, nan, nan, nan, nan, nan, nan, verdict, detail);
    }
}
