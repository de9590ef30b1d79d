package octoquant.experiments.index;

import octoquant.experiments.report.MethodStyle;
import octoquant.experiments.report.StyleKey;
import octoquant.experiments.result.GradientSeries;
import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.stats.Summary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code index.html} of a runs directory: one row per run folder (every direct subfolder holding a
 * {@code results.json}) with the experiment, the date, the command that reproduces it, its headline numbers
 * and links to its report and raw files. The page is a function of the folders alone (no clock, no host),
 * so a test can tell whether the committed page is current. No script.
 */
public final class RunsIndex {
    private RunsIndex() {}

    /** The run folders under {@code runsDir}, sorted by name. */
    static List<RunEntry> read(Path runsDir) throws IOException {
        List<RunEntry> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(runsDir)) {
            for (Path d : s.filter(p -> Files.isRegularFile(p.resolve("results.json")))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList()) {
                out.add(RunEntry.read(d));
            }
        }
        return out;
    }

    public static String render(Path runsDir) throws IOException {
        return render(read(runsDir), Files.isRegularFile(runsDir.resolve("README.md")));
    }

    static String render(List<RunEntry> runs, boolean readme) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>octoquant: committed runs</title>\n")
                .append("<style>\nbody{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0;width:100%}td,th{border:1px solid #ccc;padding:6px 8px;")
                .append("text-align:left;vertical-align:top}th{background:#f4f4f4}code{font-size:0.85em;")
                .append("overflow-wrap:anywhere}td.date{white-space:nowrap}ul.nums{margin:0;padding:0;list-style:none}.small{font-size:0.85em;color:#555}")
                .append(StyleKey.CSS).append("\n</style></head><body>\n")
                .append("<h1>octoquant: committed runs</h1>\n")
                .append("<p>Every run kept under <code>experiments/docs/runs/</code>. Each folder holds the run's ")
                .append("<code>results.json</code>; its report and plots are drawn from that file. This page is ")
                .append("generated from the folders by <code>scripts/render-runs.sh</code> (do not edit it by hand)")
                .append(readme ? "; what the runs show is written up in <a href=\"README.md\">README.md</a>" : "")
                .append(".</p>\n")
                .append("<table>\n<tr><th>run</th><th>experiment</th><th>date</th><th>command</th>")
                .append("<th>headline numbers</th></tr>\n");
        for (RunEntry e : runs) row(h, e);
        h.append("</table>\n<p class=\"small\">Date: when the run started, from the output folder its console log ")
                .append("names. Command: the options that differ from the experiment's defaults; the data location ")
                .append("(<code>--data</code>) and the thread count do not change the numbers and are left out. ")
                .append("Accuracy: mean over seeds ± the 95% confidence interval (Student t).</p>\n</body></html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, RunEntry e) {
        RunResults r = e.results();
        String f = esc(e.folder());
        h.append("<tr><td><a href=\"").append(f).append("/report.html\">").append(f).append("</a><br><span class=\"small\">")
                .append("<a href=\"").append(f).append("/results.json\">results.json</a>");
        if (e.hasConsoleLog()) h.append(" · <a href=\"").append(f).append("/console.log\">console.log</a>");
        h.append("</span></td><td>").append(esc(describe(r))).append("</td><td class=\"date\">").append(esc(e.date()))
                .append("</td><td><code>").append(esc(e.command())).append("</code></td><td>");
        headline(h, r);
        h.append("</td></tr>\n");
    }

    static String describe(RunResults r) {
        if (!r.gradients.isEmpty()) {
            return String.format(Locale.ROOT, "%s: %d configurations, one seed, %s epochs", r.experiment,
                    r.gradients.size(), num(r.config.get("epochs")));
        }
        int seeds = r.methods.stream().mapToInt(m -> m.runs.size()).max().orElse(0);
        return String.format(Locale.ROOT, "%s, model %s, mode %s: %d methods × %d seeds × %s epochs", r.experiment,
                r.config.get("model"), r.config.get("mode"), r.methods.size(), seeds, num(r.config.get("epochs")));
    }

    /** Per method the final test accuracy (or loss); for the gradients experiment the range per mode. */
    private static void headline(StringBuilder h, RunResults r) {
        h.append("<ul class=\"nums\">\n");
        Object mode = r.config.get("mode");
        boolean acc = r.hasAccuracy();
        for (MethodResult m : r.methods) {
            double[] v = acc ? m.perSeed(s -> s.finalAccuracy() * 100) : m.perSeed(SeedRun::finalLoss);
            Summary s = Summary.of(v);
            String value = s.n() == 0 ? "no finished run"
                    : s.n() == 1 ? String.format(Locale.ROOT, acc ? "%.2f%% (1 seed)" : "loss %.4f (1 seed)", s.mean())
                    : String.format(Locale.ROOT, acc ? "%.2f ± %.2f%%" : "loss %.4f ± %.4f", s.mean(), s.halfWidth());
            item(h, MethodStyle.of(m.name, mode == null ? "" : String.valueOf(mode)), m.name, value);
        }
        if (!r.gradients.isEmpty()) {
            gradientRange(h, r, "float", g -> "float".equals(g.mode), MethodStyle.of("float", ""));
            gradientRange(h, r, "storage", g -> "storage".equals(g.mode), null);
            gradientRange(h, r, "qat", g -> "qat".equals(g.mode), null);
        }
        h.append("</ul>\n");
    }

    private static void gradientRange(StringBuilder h, RunResults r, String label, Predicate<GradientSeries> which,
                                      MethodStyle style) {
        List<GradientSeries> gs = r.gradients.stream().filter(which).filter(g -> Double.isFinite(g.finalTestAccuracy)).toList();
        if (gs.isEmpty()) return;
        GradientSeries lo = gs.stream().min(Comparator.comparingDouble(g -> g.finalTestAccuracy)).orElseThrow();
        GradientSeries hi = gs.stream().max(Comparator.comparingDouble(g -> g.finalTestAccuracy)).orElseThrow();
        String value = gs.size() == 1 ? String.format(Locale.ROOT, "%.2f%%", hi.finalTestAccuracy * 100)
                : String.format(Locale.ROOT, "%.2f%% (%s) to %.2f%% (%s), %d configurations", lo.finalTestAccuracy * 100,
                        lo.name, hi.finalTestAccuracy * 100, hi.name, gs.size());
        item(h, style, label, value);
    }

    private static void item(StringBuilder h, MethodStyle style, String name, String value) {
        h.append("<li data-series=\"").append(esc(name)).append("\">").append(style == null ? "" : StyleKey.swatch(style))
                .append("<b>").append(esc(name))
                .append("</b> ").append(esc(value)).append("</li>\n");
    }

    private static String num(Object o) {
        return o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? Long.toString(n.longValue())
                : String.valueOf(o);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
