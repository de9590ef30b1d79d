package octoquant.experiments.report;

import octoquant.experiments.result.RunResults;
import octoquant.experiments.stats.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table printed at the end of a run: per-method summaries, then the pairwise comparisons paired by seed
 * (mean difference, 95% interval, Cohen's d_z, paired-t p and its Holm-adjusted value across the rows, the
 * sign-flip p), then one sentence per comparison.
 */
public final class ConsoleTable {
    private ConsoleTable() {}

    public static String render(RunResults r) {
        boolean acc = r.hasAccuracy();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"method", "runs", acc ? "test acc % (95% CI)" : "", "test loss (95% CI)",
                "images/s", "params", "weight bytes"});
        for (Comparison.MethodRow m : Comparison.methodRows(r)) {
            String runs = m.runs() + (m.diverged() > 0 ? " (" + m.diverged() + " diverged)" : "");
            rows.add(new String[] {m.method(), runs, acc ? meanCi(m.accuracy(), 2) : "", meanCi(m.loss(), 4),
                    m.imagesPerSecond().n() == 0 ? "-" : String.format(Locale.ROOT, "%,.0f", m.imagesPerSecond().mean()),
                    String.format(Locale.ROOT, "%,d", m.parameters()), String.format(Locale.ROOT, "%,d", m.weightBytes())});
        }
        StringBuilder sb = new StringBuilder();
        table(sb, rows, acc);
        List<Comparison.PairRow> pairs = Comparison.pairRows(r);
        if (!pairs.isEmpty()) {
            sb.append('\n');
            List<String[]> prow = new ArrayList<>();
            prow.add(new String[] {"comparison (paired by seed)", "metric", "pairs", "mean difference", "95% CI",
                    "d_z", "t p", "Holm t p", "sign-flip p"});
            for (Comparison.PairRow p : pairs) {
                var t = p.test();
                prow.add(new String[] {p.a() + " - " + p.b(), p.metric(), Integer.toString(t.n()),
                        Double.isNaN(t.difference()) ? "n/a" : String.format(Locale.ROOT, "%+.4f", t.difference()),
                        Double.isNaN(t.ciLow()) ? "n/a" : String.format(Locale.ROOT, "%+.4f .. %+.4f", t.ciLow(), t.ciHigh()),
                        Double.isNaN(t.effectSizeDz()) ? "n/a" : String.format(Locale.ROOT, "%+.2f", t.effectSizeDz()),
                        Comparison.formatP(t.tP()), Comparison.formatP(t.holmP()), Comparison.formatP(t.permutationP())});
            }
            table(sb, prow, true);
            sb.append('\n');
            for (Comparison.PairRow p : pairs) sb.append("  ").append(p.verdict()).append('\n');
        }
        return sb.toString();
    }

    static String meanCi(Summary s, int decimals) {
        if (s.n() == 0) return "-";
        String f = "%." + decimals + "f";
        if (s.n() == 1) return String.format(Locale.ROOT, f + " (1 seed)", s.mean());
        return String.format(Locale.ROOT, f + " ± " + f, s.mean(), s.halfWidth());
    }

    private static void table(StringBuilder sb, List<String[]> rows, boolean keepAll) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int c = 0; c < cols; c++) w[c] = Math.max(w[c], r[c].length());
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            StringBuilder line = new StringBuilder(" ");
            for (int c = 0; c < cols; c++) {
                if (w[c] == 0) continue;
                line.append(' ');
                line.append(c == 0 ? pad(r[c], w[c], false) : pad(r[c], w[c], true));
                line.append(' ');
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (i == 0) {
                StringBuilder rule = new StringBuilder(" ");
                for (int c = 0; c < cols; c++) if (w[c] > 0) rule.append(' ').append("-".repeat(w[c])).append(' ');
                sb.append(rule.toString().stripTrailing()).append('\n');
            }
        }
    }

    private static String pad(String s, int w, boolean right) {
        String sp = " ".repeat(w - s.length());
        return right ? sp + s : s + sp;
    }
}
