package octoquant.experiments.audit;

import java.util.List;
import java.util.Locale;


/**
 * The audit's {@code report.html}: the verdict table first, then one section per claim with its rows, the
 * controls, the table of the seed's numbers beside the closest interpretation, the learning-rate sweep, and the
 * mechanism section — plots from the per-epoch records and the "why" generated from them.
 */
public final class AuditReport {
    private AuditReport() {}

    public static String render(AuditConfig config, List<ClaimVerdict> verdicts, List<ClosestTable.Row> closest,
                                List<String> why, List<AuditPlots.Figure> mechanism, List<AuditPlots.Figure> sweep,
                                List<SweepPoint> sweepPoints, List<ControlsTable.Row> controls) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>octoquant: audit of the seed's claims</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:0.92em}td,th{border:1px solid #ccc;padding:4px 6px;")
                .append("vertical-align:top;text-align:left}th{background:#f4f4f4}figure{margin:1.5em 0}")
                .append("figcaption{font-size:0.92em;color:#333;max-width:800px}.small{font-size:0.85em;color:#555}")
                .append(".holds{color:#1a7f37;font-weight:bold}.neg{color:#b00;font-weight:bold}.nt{color:#777}")
                .append(octoquant.experiments.report.StyleKey.CSS).append("</style></head><body>\n");
        h.append("<h1>Audit of the seed's claims</h1>\n");
        h.append(String.format(Locale.ROOT, "<p>Budget <b>%s</b>, %d seeds per comparison, %d run sets (%d not run here). Runs "
                        + "are paired by seed: the same seed gives every method the same initial weights and batches. A verdict "
                        + "needs at least %d seed pairs; p-values are Holm–Bonferroni adjusted over every comparison of this "
                        + "audit (%d). Raw numbers: <code>verdicts.json</code>, each run set's <code>results.json</code>.</p>\n",
                esc(config.budget().token()), config.seeds(), config.runSets().size(), config.notRun().size(), Verdicts.MIN_PAIRS,
                verdicts.stream().flatMap(v -> v.rows().stream()).filter(r -> Double.isFinite(r.adjustedP())).count()));
        h.append("<h2>Verdicts</h2>\n<table>\n<tr><th>claim</th><th>the seed says</th><th>verdict</th><th>the numbers</th></tr>\n");
        for (ClaimVerdict v : verdicts) {
            h.append("<tr><td><a href=\"#claim").append(v.claim().id()).append("\">").append(v.claim().id()).append(". ")
                    .append(esc(v.claim().title())).append("</a></td><td>").append(esc(v.claim().seedWords())).append("</td><td class=\"")
                    .append(cls(v.verdict())).append("\">").append(esc(v.verdict())).append("</td><td class=\"small\">")
                    .append(esc(v.because())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (ClaimVerdict v : verdicts) claimSection(h, v);
        closestSection(h, closest);
        if (!controls.isEmpty()) {
            h.append("<h2>Controls</h2>\n<p>Storage mode beside fp32 and the bias-only control, per data set and model "
                    + "(mean test accuracy over seeds). int8-fixed-zero is the 1/255 grid stored as integers with octal8's "
                    + "rounding: claim 8's rows check it equals octal8 bit for bit.</p>\n<table>\n<tr><th>set-up</th><th>run set</th>"
                    + "<th>what</th><th>runs</th><th>test accuracy %</th></tr>\n");
            for (ControlsTable.Row c : controls) {
                h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%s</td></tr>%n",
                        esc(c.setup()), esc(c.runSet()), esc(c.what()), c.n(), Fmt.num(c.accuracy())));
            }
            h.append("</table>\n");
        }
        if (!sweep.isEmpty()) {
            h.append("<h2>Control: the learning rate across the half-step threshold</h2>\n<table>\n<tr><th>method</th><th>learning rate</th>")
                    .append("<th>runs</th><th>test accuracy %</th><th>updates lost</th></tr>\n");
            for (SweepPoint p : sweepPoints) {
                h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%s</td></tr>%n", esc(p.method()),
                        AuditPlan.lrToken(p.lr()), p.n(), Fmt.num(p.accuracy()), Fmt.pct(p.lost())));
            }
            h.append("</table>\n");
            for (AuditPlots.Figure f : sweep) figure(h, f);
        }
        h.append("<h2>Mechanism: what rounding does to the updates</h2>\n");
        h.append("<h3>Why (generated from the numbers below)</h3>\n");
        for (String p : why) h.append("<p>").append(esc(p)).append("</p>\n");
        for (AuditPlots.Figure f : mechanism) figure(h, f);
        if (!config.notRun().isEmpty()) {
            h.append("<h2>Not run here</h2>\n<ul>\n");
            for (NotRun n : config.notRun()) {
                h.append("<li><b>").append(esc(n.set().name())).append("</b>: ").append(esc(n.reason())).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("<h2>Run sets</h2>\n<ul>\n");
        for (PlannedSet s : config.runSets()) {
            h.append("<li><a href=\"").append(esc(s.name())).append("/report.html\">").append(esc(s.name())).append("</a> (")
                    .append(esc(s.role().token())).append("): ").append(esc(s.config().canonicalJson())).append("</li>\n");
        }
        h.append("</ul>\n<p class=\"small\">Written by experiments.jar audit.</p>\n</body></html>\n");
        return h.toString();
    }

    private static void claimSection(StringBuilder h, ClaimVerdict v) {
        h.append("<h2 id=\"claim").append(v.claim().id()).append("\">Claim ").append(v.claim().id()).append(": ")
                .append(esc(v.claim().title())).append("</h2>\n");
        h.append("<p>The seed: <i>").append(esc(v.claim().seedWords())).append("</i></p>\n");
        h.append("<p>Verdict: <span class=\"").append(cls(v.verdict())).append("\">").append(esc(v.verdict())).append("</span>")
                .append(v.because().isEmpty() ? "" : " — " + esc(v.because())).append("</p>\n");
        h.append("<p class=\"small\">Rule: ").append(esc(v.claim().rule().text())).append(".</p>\n");
        h.append("<table>\n<tr><th>interpretation</th><th>set-up</th><th>epochs</th><th>comparison</th><th>n</th><th>difference (95% CI)</th>")
                .append("<th>d_z</th><th>p (t)</th><th>Holm p</th><th>sign-flip p</th><th>verdict</th><th>detail</th></tr>\n");
        for (VerdictRow r : v.rows()) {
            String diff = Double.isFinite(r.difference()) ? Fmt.signed(r.difference()) + (Double.isFinite(r.ciLow())
                    ? " (" + Fmt.signed(r.ciLow()) + " to " + Fmt.signed(r.ciHigh()) + ")" : "") : "";
            h.append("<tr><td>").append(esc(r.interpretation())).append("</td><td>").append(esc(r.setup())).append("</td><td>")
                    .append(r.epochs() == 0 ? "" : r.epochs()).append("</td><td>").append(esc(r.measure())).append("</td><td>")
                    .append(r.n() == 0 ? "" : r.n()).append("</td><td>").append(diff).append("</td><td>").append(opt(r.effectSize()))
                    .append("</td><td>").append(optP(r.p())).append("</td><td>").append(optP(r.adjustedP())).append("</td><td>")
                    .append(optP(r.permutationP())).append("</td><td class=\"").append(cls(r.verdict())).append("\">")
                    .append(esc(r.verdict())).append("</td><td class=\"small\">").append(esc(r.detail())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void closestSection(StringBuilder h, List<ClosestTable.Row> rows) {
        h.append("<h2>The seed's numbers beside the closest interpretation</h2>\n<p>For each number the seed reports, the "
                + "measured mean over seeds under each mode, and the mode that comes closest. Epoch-indexed numbers are read at "
                + "the seed's epoch, or at the runs' last epoch when they are shorter (column \"epoch used\"); under ptq the "
                + "training curves are the fp32 model's.</p>\n<table>\n<tr><th>the seed's number</th><th>the seed</th>"
                + "<th>epoch used</th><th>qat</th><th>storage</th><th>ptq</th><th>closest</th></tr>\n");
        for (ClosestTable.Row r : rows) {
            h.append("<tr><td>").append(esc(r.number().label())).append("</td><td>").append(Fmt.num(r.number().seedValue()))
                    .append("</td>");
            if (!r.note().isEmpty()) {
                h.append("<td colspan=\"5\" class=\"nt\">").append(esc(r.note())).append("</td></tr>\n");
                continue;
            }
            h.append("<td>").append(r.epochUsed() == 0 ? "final" : r.epochUsed()).append("</td>");
            for (String m : List.of("qat", "storage", "ptq")) {
                Double v = r.measured().get(m);
                h.append("<td").append(m.equals(r.closest()) ? " class=\"holds\"" : "").append(">").append(v == null ? "–" : Fmt.num(v))
                        .append("</td>");
            }
            h.append("<td>").append(esc(r.closest())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void figure(StringBuilder h, AuditPlots.Figure f) {
        h.append("<figure>\n").append(f.svg()).append("<figcaption>").append(esc(f.caption())).append("</figcaption>\n</figure>\n");
    }

    private static String cls(String verdict) {
        if (verdict.startsWith(VerdictRow.HOLDS)) return "holds";
        if (verdict.startsWith("does not") || verdict.startsWith(VerdictRow.REVERSED)) return "neg";
        return "nt";
    }

    private static String opt(double v) {
        return Double.isFinite(v) ? Fmt.num(v) : "";
    }

    private static String optP(double v) {
        return Double.isFinite(v) ? Fmt.p(v) : "";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

}
