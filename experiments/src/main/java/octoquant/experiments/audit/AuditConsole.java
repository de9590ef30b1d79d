package octoquant.experiments.audit;

import java.util.List;
import java.util.Locale;

/** The verdict table the console ends with: each claim, its verdict and the numbers it rests on. */
public final class AuditConsole {
    private AuditConsole() {}

    public static String render(List<ClaimVerdict> verdicts) {
        StringBuilder sb = new StringBuilder("verdicts (paired by seed; Holm–Bonferroni over every comparison; at least "
                + Verdicts.MIN_PAIRS + " seed pairs)\n");
        for (ClaimVerdict v : verdicts) {
            sb.append(String.format(Locale.ROOT, "%n%d. %s%n   verdict: %s%n", v.claim().id(), v.claim().title(), v.verdict()));
            if (!v.because().isEmpty()) sb.append("   because: ").append(v.because()).append('\n');
        }
        return sb.toString();
    }
}
