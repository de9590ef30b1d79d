package octoquant.experiments.report;

import octoquant.experiments.result.EpochMetrics;
import octoquant.experiments.result.GradientSeries;
import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.result.WeightHistogram;
import octoquant.experiments.stats.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code report.html}: one self-contained page (inline SVG and CSS, no scripts, no external files) with the
 * configuration, the summary table, the curves, the final accuracy with 95% intervals, weight histograms
 * against the grid and — for the gradients experiment — its plots, each with a caption in plain words.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static String render(RunResults r) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>octoquant: ")
                .append(Svg.esc(r.experiment)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;")
                .append("text-align:right}td:first-child,th:first-child{text-align:left}th{background:#f4f4f4}")
                .append("figure{margin:1.5em 0}figcaption{font-size:0.92em;color:#333;max-width:800px}")
                .append(".diverged{color:#b00}.small{font-size:0.85em;color:#555}pre{background:#f7f7f7;padding:8px}")
                .append(StyleKey.CSS)
                .append("\n</style></head><body>\n");
        h.append("<h1>octoquant: ").append(Svg.esc(r.experiment)).append("</h1>\n");
        configSection(h, r);
        StyleKey.append(h, seriesStyles(r));
        if (!r.methods.isEmpty()) {
            summarySection(h, r);
            curvesSection(h, r);
            finalSection(h, r);
            histogramSection(h, r);
        }
        if (!r.gradients.isEmpty()) gradientsSection(h, r);
        h.append("<p class=\"small\">Written by experiments.jar. Raw numbers: results.json and curves.csv next to this file.</p>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void configSection(StringBuilder h, RunResults r) {
        h.append("<h2>What ran</h2>\n<table>\n");
        for (Map.Entry<String, Object> e : r.config.entrySet()) row(h, e.getKey(), String.valueOf(e.getValue()));
        for (Map.Entry<String, Object> e : r.environment.entrySet()) row(h, e.getKey(), String.valueOf(e.getValue()));
        h.append("</table>\n");
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(Svg.esc(k)).append("</th><td>").append(Svg.esc(v)).append("</td></tr>\n");
    }

    private static void summarySection(StringBuilder h, RunResults r) {
        boolean acc = r.hasAccuracy();
        h.append("<h2>Results</h2>\n<table>\n<tr><th>method</th><th>runs</th>");
        if (acc) h.append("<th>test accuracy % (mean ± 95% CI)</th>");
        h.append("<th>test loss (mean ± 95% CI)</th><th>inference images/s</th><th>parameters</th><th>weight bytes</th></tr>\n");
        for (Comparison.MethodRow m : Comparison.methodRows(r)) {
            h.append("<tr><td>").append(Svg.esc(m.method())).append("</td><td>").append(m.runs());
            if (m.diverged() > 0) h.append(" <span class=\"diverged\">(").append(m.diverged()).append(" diverged)</span>");
            h.append("</td>");
            if (acc) h.append("<td>").append(ConsoleTable.meanCi(m.accuracy(), 2)).append("</td>");
            h.append("<td>").append(ConsoleTable.meanCi(m.loss(), 4)).append("</td><td>")
                    .append(m.imagesPerSecond().n() == 0 ? "-" : String.format(Locale.ROOT, "%,.0f", m.imagesPerSecond().mean()))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%,d", m.parameters())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%,d", m.weightBytes())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        List<Comparison.PairRow> pairs = Comparison.pairRows(r);
        if (!pairs.isEmpty()) {
            h.append("<h3>Differences between methods</h3>\n<ul>\n");
            for (Comparison.PairRow p : pairs) h.append("<li>").append(Svg.esc(p.verdict())).append("</li>\n");
            h.append("</ul>\n<p class=\"small\">Each difference is the mean over seeds of the first method minus the "
                    + "second, paired by seed (a seed gives both methods the same initial weights and batches; seeds "
                    + "that did not finish in both are left out). The interval comes from the paired t distribution; "
                    + "the p-values from the paired t-test and from an exact sign-flip permutation test, which assumes "
                    + "no normal distribution. A difference counts as larger than the seed-to-seed noise when its "
                    + "paired t p, Holm–Bonferroni-adjusted over the comparisons listed here, is below 0.05. The "
                    + "sign-flip p is the check that assumes nothing about the distribution; with n seeds it cannot "
                    + "go below 2/2<sup>n</sup> (0.25 for 3 seeds, 0.0625 for 5), and a verdict it does not confirm "
                    + "says so.</p>\n");
        }
        for (MethodResult m : r.methods) {
            for (SeedRun s : m.runs) {
                if (s.diverged()) {
                    h.append("<p class=\"diverged\">").append(Svg.esc(m.name)).append(", seed ").append(s.seed)
                            .append(": the loss became NaN or infinite in epoch ").append(s.divergedAtEpoch)
                            .append("; that run stopped and is left out of the means.</p>\n");
                }
            }
        }
    }

    private static void curvesSection(StringBuilder h, RunResults r) {
        h.append("<h2>Learning curves</h2>\n");
        if ("ptq".equals(r.config.get("mode"))) {
            h.append("<p>Mode ptq: the curves show the fp32 model during training; the final numbers in the table "
                    + "and below are measured after the weights were quantized.</p>\n");
        }
        int seeds = r.methods.stream().mapToInt(m -> m.runs.size()).max().orElse(0);
        String band = seeds > 1 ? " The line is the mean over " + seeds + " seeds; the shaded band spans the lowest "
                + "to the highest seed." : "";
        String loss = r.hasAccuracy() ? "cross-entropy loss (nats)" : "mean squared error";
        figure(h, curve(r, "Training loss per epoch", loss, EpochMetrics::trainLoss, 1, true),
                "Mean loss over each epoch's training batches. Lower is better." + band);
        figure(h, curve(r, "Test loss after each epoch", loss, EpochMetrics::testLoss, 1, true),
                "Loss on the held-out test set after each epoch. When it rises while the training loss falls, "
                        + "the model is over-fitting." + band);
        if (r.hasAccuracy()) {
            figure(h, curve(r, "Test accuracy after each epoch", "test accuracy (%)", EpochMetrics::testAccuracy, 100, false),
                    "Share of test images classified correctly after each epoch." + band);
            figure(h, curve(r, "Training accuracy per epoch", "training accuracy (%)", EpochMetrics::trainAccuracy, 100, false),
                    "Share of training images classified correctly during each epoch (while the weights still "
                            + "change)." + band);
        }
    }

    private static String curve(RunResults r, String title, String yLabel, ToDoubleFunction<EpochMetrics> f, double scale,
                                boolean fromZero) {
        LinePlot plot = new LinePlot(title, "epoch", yLabel).integerX().note(PlotNotes.seedsAndBand(r));
        if (fromZero) plot.yFromZero();
        for (MethodResult m : r.methods) {
            int epochs = m.runs.stream().mapToInt(s -> s.epochs.size()).max().orElse(0);
            double[] x = new double[epochs], mean = new double[epochs], lo = new double[epochs], hi = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                x[e] = e + 1;
                double sum = 0, mn = Double.POSITIVE_INFINITY, mx = Double.NEGATIVE_INFINITY;
                int n = 0;
                for (SeedRun s : m.runs) {
                    if (e >= s.epochs.size()) continue;
                    double v = f.applyAsDouble(s.epochs.get(e)) * scale;
                    if (!Double.isFinite(v)) continue;
                    sum += v;
                    n++;
                    mn = Math.min(mn, v);
                    mx = Math.max(mx, v);
                }
                mean[e] = n == 0 ? Double.NaN : sum / n;
                lo[e] = n < 2 ? Double.NaN : mn;
                hi[e] = n < 2 ? Double.NaN : mx;
            }
            plot.add(new LinePlot.Series(m.name, x, mean, lo, hi, style(r, m.name)));
        }
        return plot.svg();
    }

    private static void finalSection(StringBuilder h, RunResults r) {
        boolean acc = r.hasAccuracy();
        ErrorBarPlot p = new ErrorBarPlot(acc ? "Final test accuracy" : "Final test loss",
                acc ? "test accuracy (%)" : "test loss (mean squared error)",
                PlotNotes.finalValues(r));
        for (MethodResult m : r.methods) {
            double[] v = acc ? m.perSeed(s -> s.finalAccuracy() * 100) : m.perSeed(SeedRun::finalLoss);
            Summary s = Summary.of(v);
            p.add(new ErrorBarPlot.Item(m.name, s.mean(), s.halfWidth(), v, style(r, m.name)));
        }
        h.append("<h2>Final ").append(acc ? "accuracy" : "loss").append("</h2>\n");
        figure(h, p.svg(), "The big marker is the mean over seeds, the bar its 95% confidence interval (Student's t), "
                + "the small dots the individual seeds. Where two bars overlap a lot, the seeds do not show a real "
                + "difference between those methods.");
    }

    private static void histogramSection(StringBuilder h, RunResults r) {
        boolean any = r.methods.stream().anyMatch(m -> !m.runs.isEmpty() && !m.runs.get(0).histograms.isEmpty());
        if (!any) return;
        h.append("<h2>Weights against the quantization grid</h2>\n");
        for (MethodResult m : r.methods) {
            if (m.runs.isEmpty()) continue;
            List<WeightHistogram> hs = m.runs.get(0).histograms;
            for (int i = 0; i < hs.size(); i++) {
                WeightHistogram w = hs.get(i);
                boolean zoom = w.parameter().endsWith(" near zero");
                String caption = zoom
                        ? "The same weights near zero, one bar per grid point (bar k counts the weights stored as "
                                + "code k). Truncation toward zero (octal) piles weights onto code 0: every weight "
                                + "smaller than one step becomes 0; round-to-nearest only sends those below half a step there."
                        : "How the stored weights of the first layer are spread after training. Dashed lines mark the "
                                + "values the quantization grid can represent, when they are few enough to draw; a "
                                + "quantized weight sits exactly on one.";
                figure(h, HistogramPlot.svg(m.name + ": " + w.parameter() + " (first seed)",
                        PlotNotes.histogram(m.runs.get(0).seed, w), m.name, style(r, m.name), List.of(m.name), List.of(w)),
                        caption);
            }
        }
    }

    private static void gradientsSection(StringBuilder h, RunResults r) {
        h.append("<h2>What rounding does to the updates</h2>\n");
        h.append("<p>Each line trains the same MNIST MLP from the same initial weights. In <b>storage</b> mode the "
                + "weights exist only as quantized codes: every optimizer update is added and rounded again. In "
                + "<b>qat</b> mode fp32 master weights keep every update and only the forward and backward passes "
                + "see the rounded copy.</p>\n");
        List<Integer> widths = r.gradients.stream().filter(g -> !"float".equals(g.mode)).map(g -> g.bits).distinct()
                .sorted().toList();
        GradientSeries fp = r.gradients.stream().filter(g -> "float".equals(g.mode)).findFirst().orElse(null);
        for (int bits : widths) {
            LinePlot loss = new LinePlot("Training loss, " + bits + "-bit weights", stepLabel(r), "cross-entropy loss (nats)")
                    .integerX().yFromZero().note(PlotNotes.gradients(r, "mean over the steps since the previous point"));
            LinePlot lost = new LinePlot("Updates lost to rounding, " + bits + "-bit storage", stepLabel(r),
                    "share of nonzero updates lost (0 to 1)").integerX().yRange(0, 1)
                    .note(PlotNotes.gradients(r, "mean over the steps since the previous point"));
            if (fp != null) loss.add(series(fp, fp.loss));
            for (GradientSeries g : r.gradients) {
                if (g.bits != bits || "float".equals(g.mode)) continue;
                loss.add(series(g, g.loss));
                if ("storage".equals(g.mode)) lost.add(series(g, g.lostFraction));
            }
            figure(h, loss.svg(), "The training loss at " + bits + " bits, per logged step (mean since the previous "
                    + "point). A line that stays flat is a model that stopped learning: its updates no longer change "
                    + "the stored weights. fp32 is the reference.");
            figure(h, lost.svg(), "Of all weights the optimizer wanted to change in a step, the share whose stored "
                    + "code did not change (" + bits + "-bit storage mode). Round-to-nearest discards every update "
                    + "smaller than half a grid step; toward zero discards more and drags weights to 0; stochastic "
                    + "rounding loses many single updates too but keeps them on average, so the weights still move.");
        }
        LinePlot cos = new LinePlot("Straight-through vs float gradient (qat)", stepLabel(r), "cosine similarity (1 = same direction)")
                .integerX().note(PlotNotes.gradients(r, "the cosine on that step's batch"));
        for (GradientSeries g : r.gradients) if ("qat".equals(g.mode)) cos.add(series(g, g.cosine));
        figure(h, cos.svg(), "Cosine between the gradient the optimizer received in qat mode (computed through the "
                + "quantized weights and passed straight through to the fp32 masters) and the gradient the fp32 "
                + "master weights themselves would get on the same batch. 1 means the same direction; the lower it "
                + "goes, the more the quantized forward pass bends the gradient.");
        for (GradientSeries g : r.gradients) {
            if (g.histograms.isEmpty()) continue;
            List<String> names = new ArrayList<>();
            for (int e : g.histogramEpochs) names.add(e == 0 ? "initial" : "after epoch " + e);
            figure(h, HistogramPlot.svg(g.name + ": first-layer weights", PlotNotes.gradientHistogram(r, g), g.name,
                            style(g), names, g.histograms),
                    "How the first layer's weights move against the grid during training (" + g.name + "). "
                            + "Under truncation toward zero they drift inward; under round-to-nearest small updates "
                            + "leave them where they started.");
        }
        h.append("<table><tr><th>configuration</th><th>final test accuracy %</th></tr>\n");
        for (GradientSeries g : r.gradients) {
            h.append("<tr><th>").append(StyleKey.swatch(style(g))).append(Svg.esc(g.name)).append("</th><td>")
                    .append(Double.isFinite(g.finalTestAccuracy)
                            ? String.format(Locale.ROOT, "%.2f", g.finalTestAccuracy * 100) : "-").append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static LinePlot.Series series(GradientSeries g, List<Double> values) {
        double[] x = g.steps.stream().mapToDouble(Integer::doubleValue).toArray();
        return new LinePlot.Series(g.name, x, toArray(values), null, null, style(g));
    }

    private static String stepLabel(RunResults r) {
        Object b = r.config.get("batchSize");
        return b instanceof Number n ? "training step (batch of " + n.longValue() + " images)" : "training step";
    }

    /** A method's style in this run: its scheme and the run's mode. */
    private static MethodStyle style(RunResults r, String method) {
        Object mode = r.config.get("mode");
        return MethodStyle.of(method, mode == null ? "" : String.valueOf(mode));
    }

    /** A gradients configuration's style: int{bits}-{rounding} in its mode, or float. */
    private static MethodStyle style(GradientSeries g) {
        return "float".equals(g.mode) ? MethodStyle.of("float", "") : MethodStyle.of("int" + g.bits + "-" + g.rounding, g.mode);
    }

    /** Every series of the report with its style, in the order the tables list them. */
    private static Map<String, MethodStyle> seriesStyles(RunResults r) {
        Map<String, MethodStyle> m = new java.util.LinkedHashMap<>();
        for (MethodResult mr : r.methods) m.put(mr.name, style(r, mr.name));
        for (GradientSeries g : r.gradients) m.put(g.name, style(g));
        return m;
    }

    private static double[] toArray(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void figure(StringBuilder h, String svg, String caption) {
        h.append("<figure>\n").append(svg).append("<figcaption>").append(Svg.esc(caption)).append("</figcaption>\n</figure>\n");
    }
}
