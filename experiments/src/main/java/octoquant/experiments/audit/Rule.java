package octoquant.experiments.audit;

/**
 * How a claim's rows become its verdict. Every rule's words are in {@link #text}, shown beside the verdict.
 *
 * <ul>
 *   <li>{@link Kind#DIRECTIONAL}: per row, "holds" when the Holm-adjusted paired t p (over every comparison of
 *       the audit) is below 0.05 and the mean paired difference has the claimed sign, "reversed" when it is
 *       below 0.05 with the other sign, "does not hold" otherwise; with fewer than {@value Verdicts#MIN_PAIRS}
 *       pairs "not testable here (n = k &lt; 5)". An interpretation holds when all its rows hold.</li>
 *   <li>{@link Kind#EQUIVALENCE}: per row, "holds" when the 95% paired-t interval of the ratio
 *       exp(mean ln(x/y)) lies inside [1 − bound, 1 + bound], else "does not hold".</li>
 *   <li>{@link Kind#EXACT}: each row is an exact check (bytes, bits, printed numbers); per row "holds" or
 *       "does not hold".</li>
 * </ul>
 * The claim's verdict, from its interpretations: "holds" when every testable one holds, "holds only under A; B"
 * when some do, else "reversed" when every testable one is reversed ("reversed under A" when some are), else
 * "does not hold"; "not testable here (reasons)" when none is testable. {@code perItem}: the claim's rows are
 * items, not interpretations (the printed numbers): it holds only when every item does.
 */
public record Rule(Kind kind, double bound, boolean perItem, String text) {
    public enum Kind { DIRECTIONAL, EQUIVALENCE, EXACT }

    static Rule directional(String text) {
        return new Rule(Kind.DIRECTIONAL, Double.NaN, false, text);
    }
}
