package octoquant.experiments.report;

import octoquant.experiments.io.Json;
import octoquant.experiments.result.ResultsJson;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.EpochMetrics;
import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.stats.HolmBonferroni;
import octoquant.experiments.stats.PairedComparison;
import octoquant.experiments.stats.Summary;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class ReportTest {

    @Test
    void resultsJsonRoundTrips() {
        RunResults r = SampleResults.classification();
        String text = ResultsJson.write(r);
        RunResults back = ResultsJson.fromJson(Json.parse(text));
        assertEquals(text, ResultsJson.write(back), "write(read(write(r))) == write(r)");
        assertEquals("diverged", back.method("octal8").get().runs.get(2).status);
        assertTrue(Double.isNaN(back.method("octal8").get().runs.get(2).finalAccuracy()));
    }

    @Test
    void consoleTableMeansAreTheMeansOfTheSeeds() {
        RunResults r = SampleResults.classification();
        String table = ConsoleTable.render(r);
        for (int m = 0; m < 3; m++) {
            double[] pct = Arrays.stream(SampleResults.FINAL_ACC[m]).map(v -> v * 100).toArray();
            Summary s = Summary.of(pct);
            String expected = s.n() > 1 ? String.format(Locale.ROOT, "%.2f ± %.2f", s.mean(), s.halfWidth())
                    : String.format(Locale.ROOT, "%.2f (1 seed)", s.mean());
            assertTrue(table.contains(expected), expected + " in\n" + table);
        }
        assertTrue(table.contains("3 (1 diverged)"), table);
        assertTrue(table.contains("quant8 - float"), table);
        assertTrue(table.contains("quant8 - octal8"), table);
        // Paired by seed: quant8 − float over the three seeds.
        PairedComparison t = PairedComparison.of(percent(SampleResults.FINAL_ACC[1]), percent(SampleResults.FINAL_ACC[0]));
        assertTrue(table.contains(String.format(Locale.ROOT, "%+.4f .. %+.4f", t.ciLow(), t.ciHigh())), table);
        assertTrue(table.contains(String.format(Locale.ROOT, "%+.4f", t.difference())), table);
        assertTrue(table.contains("sign-flip p"), table);
        assertTrue(table.contains("within seed-to-seed noise"), table);
        // octal8 keeps two finished seeds after one diverged: paired with float over those two.
        assertTrue(table.contains("octal8 - float"), table);
        assertTrue(table.contains("2 paired seeds, 1 seed left out"), table);
    }

    private static double[] percent(double[] fractions) {
        return Arrays.stream(fractions).map(v -> v * 100).toArray();
    }

    @Test
    void pairsAreMatchedBySeedNotByPosition() {
        // b's runs are stored in another seed order, and b lacks seed 7: the pairs are (seed, a, b) for 3, 5, 9.
        RunResults r = new RunResults("mnist");
        addRuns(r, "quant8", new int[] {3, 5, 7, 9}, new double[] {0.90, 0.80, 0.70, 0.60});
        addRuns(r, "octal8", new int[] {9, 3, 5}, new double[] {0.50, 0.85, 0.78});
        Comparison.PairRow row = Comparison.pairRows(r).get(0);
        assertEquals("quant8", row.a());
        assertEquals(3, row.test().n());
        assertEquals(1, row.excluded());
        PairedComparison expected = PairedComparison.of(new double[] {90, 80, 60}, new double[] {85, 78, 50});
        assertEquals(expected.difference(), row.test().difference(), 1e-12);
        assertEquals(expected.tP(), row.test().tP(), 1e-12);
    }

    @Test
    void holmRunsAcrossThePairRowsOfOneTable() {
        RunResults r = new RunResults("mnist");
        addRuns(r, "float", new int[] {0, 1, 2, 3, 4, 5, 6}, new double[] {0.97, 0.96, 0.975, 0.965, 0.97, 0.968, 0.972});
        addRuns(r, "quant8", new int[] {0, 1, 2, 3, 4, 5, 6}, new double[] {0.95, 0.94, 0.955, 0.945, 0.951, 0.947, 0.952});
        addRuns(r, "octal8", new int[] {0, 1, 2, 3, 4, 5, 6}, new double[] {0.971, 0.958, 0.976, 0.963, 0.972, 0.967, 0.970});
        var rows = Comparison.pairRows(r);
        assertEquals(3, rows.size());
        double[] raw = rows.stream().mapToDouble(x -> x.test().tP()).toArray();
        double[] adjusted = HolmBonferroni.adjust(raw);
        for (int i = 0; i < rows.size(); i++) assertEquals(adjusted[i], rows.get(i).test().holmP(), 0.0);
        // quant8 is 2 points below float on every one of 7 seeds: sign-flip p = 2/128; the t p decides, times 3
        // for the family as the smallest of three.
        var quantVsFloat = rows.get(0);
        assertEquals(2.0 / 128, quantVsFloat.test().permutationP(), 1e-15);
        assertEquals(Math.min(1, 3 * quantVsFloat.test().tP()), quantVsFloat.test().holmP(), 1e-15);
        assertTrue(quantVsFloat.test().signFlipAgrees());
        assertTrue(quantVsFloat.verdict().startsWith("quant8 has lower test accuracy than float"), quantVsFloat.verdict());
        assertTrue(rows.get(1).verdict().contains("cannot tell them apart"), rows.get(1).verdict());
    }

    private static void addRuns(RunResults r, String method, int[] seeds, double[] accuracy) {
        MethodResult m = r.methodOrAdd(method, method);
        for (int i = 0; i < seeds.length; i++) {
            SeedRun run = new SeedRun(seeds[i]);
            run.epochs.add(new EpochMetrics(1, 0.5, accuracy[i], 0.5, accuracy[i], 1.0));
            run.finalTestAccuracy = accuracy[i];
            run.finalTestLoss = 0.5;
            m.runs.add(run);
        }
    }

    @Test
    void verdictsSayWhetherADifferenceStandsOut() {
        PairedComparison clear = PairedComparison.holm(List.of(PairedComparison.of(
                new double[] {51, 52, 51.5, 50.8, 51.9, 52.4}, new double[] {33, 33.5, 32.8, 33.1, 34.0, 32.9}))).get(0);
        assertTrue(Comparison.verdict("octal8", "quant8", clear, 0, true).contains("larger than the seed-to-seed noise"));
        PairedComparison noise = PairedComparison.holm(List.of(PairedComparison.of(
                new double[] {96.9, 97.2, 96.8}, new double[] {97.0, 96.7, 97.1}))).get(0);
        String v = Comparison.verdict("octal8", "quant8", noise, 0, true);
        assertTrue(v.contains("cannot tell them apart"), v);
        // A difference the t test finds but 3 seeds cannot confirm without assuming normality: said.
        PairedComparison small = PairedComparison.holm(List.of(PairedComparison.of(
                new double[] {51, 52, 51.5}, new double[] {33, 33.5, 32.8}))).get(0);
        String w = Comparison.verdict("octal8", "quant8", small, 0, true);
        assertTrue(w.contains("larger than the seed-to-seed noise"), w);
        assertTrue(w.contains("its smallest possible p with 3 seeds is 0.2500"), w);
        PairedComparison single = PairedComparison.of(new double[] {96.9}, new double[] {97.0});
        assertTrue(Comparison.verdict("a", "b", single, 2, true).startsWith("Not enough finished seeds"));
        // Every seed moved by the same amount: said, and no infinity in the sentence.
        PairedComparison same = PairedComparison.holm(List.of(PairedComparison.of(
                new double[] {1.5, 2.5, 3.5, 4.5, 5.5, 6.5}, new double[] {1, 2, 3, 4, 5, 6}))).get(0);
        String s = Comparison.verdict("a", "b", same, 0, false);
        assertTrue(s.contains("every paired difference is +0.5"), s);
        assertFalse(s.toLowerCase(Locale.ROOT).contains("infinity"), s);
    }

    @Test
    void htmlIsSelfContainedAndEverySvgIsWellFormed() throws Exception {
        String html = HtmlReport.render(SampleResults.classification());
        assertFalse(html.contains("<script"), "no JavaScript");
        assertFalse(html.matches("(?s).*(src|href)=\"http.*"), "no external resources");
        Matcher m = Pattern.compile("(?s)<svg .*?</svg>").matcher(html);
        int svgs = 0;
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        while (m.find()) {
            Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.UTF_8)));
            assertEquals("svg", d.getDocumentElement().getTagName());
            svgs++;
        }
        // 4 curves + final accuracy + 3 histograms + 3 gradient plots + 1 gradient histogram
        assertEquals(12, svgs);
        assertTrue(html.contains("diverged"));
        assertTrue(html.contains("Updates lost to rounding"));
        assertTrue(html.contains("95% confidence interval"));
    }

    @Test
    void everyPlotIsAlsoWrittenAsItsOwnSvgFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("99-stale-plot.svg"), "<svg/>");
        var files = PlotFiles.write(tmp, HtmlReport.render(SampleResults.classification()));
        assertFalse(java.nio.file.Files.exists(tmp.resolve("99-stale-plot.svg")), "plots of an earlier report are removed");
        assertEquals(12, files.size());
        assertEquals("01-training-loss-per-epoch.svg", files.get(0).getFileName().toString());
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        for (var file : files) assertEquals("svg", f.newDocumentBuilder().parse(file.toFile()).getDocumentElement().getTagName());
    }

    @Test
    void curvesCsvHasOneRowPerMethodSeedAndEpoch() {
        String csv = ResultsJson.curvesCsv(SampleResults.classification());
        assertEquals(1 + 3 * 3 * 3, csv.split("\r\n").length);
        assertTrue(csv.startsWith("experiment,method,seed,epoch,train_loss"));
    }

    @Test
    void axisTicksAreNice() {
        Axis a = Axis.covering(0.13, 0.97, 6, 0, 100, true);
        assertEquals(0.0, a.lo, 1e-12);
        assertEquals(1.0, a.hi, 1e-12);
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, a.ticks, 1e-12);
        assertEquals("0.4", a.label(0.4));
        assertEquals(50.0, a.toPixel(0.5), 1e-9);
    }

    private static LinePlot.Series line(String name, double... y) {
        double[] x = new double[y.length];
        for (int i = 0; i < y.length; i++) x[i] = i + 1;
        return new LinePlot.Series(name, x, y, null, null, MethodStyle.of(name, "qat"));
    }

    @Test
    void aSecondPanelZoomsOntoLinesThatCrowdTogetherAndOnlyThen() {
        String apart = new LinePlot("t", "epoch", "accuracy (%)").note("n").add(line("float", 10, 50, 90, 91))
                .add(line("quant8", 5, 20, 30, 31)).svg();
        assertFalse(apart.contains("Zoom"), "lines far apart need no zoom");
        String crowded = new LinePlot("t", "epoch", "accuracy (%)").note("n").add(line("float", 10, 50, 90.0, 90.10))
                .add(line("quant8", 5, 48, 90.05, 90.15)).add(line("octal8", 8, 30, 40, 41)).svg();
        assertTrue(crowded.contains("Zoom"), "two lines within a few pixels get a zoom panel");
        assertTrue(crowded.contains("on quant8, float, which lie within a few pixels"), "the zoom names the crowded lines");
        assertEquals(2, crowded.split("class=\"frame\"", -1).length - 1, "two panels");
        String identical = new LinePlot("t", "epoch", "accuracy (%)").note("n").add(line("float", 10, 50, 90, 90))
                .add(line("quant8", 10, 50, 90, 90)).svg();
        assertFalse(identical.contains("Zoom"), "identical lines: no zoom can separate them");
    }

    @Test
    void endLabelsFollowTheOrderOfTheFinalValues() {
        String svg = new LinePlot("t", "epoch", "loss").note("n").add(line("float", 1, 0.5)).add(line("quant8", 1, 0.9))
                .add(line("octal8", 1, 0.1)).add(line("int8-pc", 1, 0.7)).svg();
        Matcher m = Pattern.compile("<g class=\"key\" data-series=\"([^\"]+)\"").matcher(svg);
        java.util.List<String> order = new java.util.ArrayList<>();
        while (m.find()) order.add(m.group(1));
        assertEquals(java.util.List.of("quant8", "int8-pc", "float", "octal8"), order, "top to bottom as the lines end");
    }

    @Test
    void aPlotMustSayWhatItsLinesAre() {
        assertThrows(IllegalStateException.class, () -> new LinePlot("t", "x", "y").add(line("float", 1, 2)).svg());
    }

    @Test
    void everyPlotStatesItsSeedsAndWhatTheBandIs() {
        String html = HtmlReport.render(SampleResults.classification());
        Matcher m = Pattern.compile("(?s)<svg .*?</svg>").matcher(html);
        while (m.find()) {
            String svg = m.group();
            assertTrue(svg.contains("class=\"note\""), "a note under the title: " + svg.substring(0, 200));
            assertTrue(svg.matches("(?s).*(seeds?|seed \\d|one run).*"), "the note says how many runs: " + svg.substring(0, 300));
        }
        assertTrue(html.contains("line: mean over 3 seeds (0, 1, 2), diverged runs left out after they stopped; band: "
                + "lowest to highest seed"));
        assertTrue(html.contains("cross-entropy loss (nats)"), "the loss axis says its unit");
    }

    @Test
    void plotFilesStandAloneInTheReportsColours(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        RunResults r = SampleResults.storageMethods();
        var files = PlotFiles.write(tmp, HtmlReport.render(r));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        int seriesSeen = 0;
        for (var file : files) {
            String text = java.nio.file.Files.readString(file);
            Matcher ref = Pattern.compile("url\\(#([^)]+)\\)").matcher(text);
            while (ref.find()) {
                assertTrue(text.contains("id=\"" + ref.group(1) + "\""), file + " refers to #" + ref.group(1) + " it does not define");
            }
            assertFalse(text.matches("(?s).*(href|src)=.*"), file + " links nothing outside itself");
            Document d = f.newDocumentBuilder().parse(file.toFile());
            org.w3c.dom.NodeList all = d.getElementsByTagName("*");
            for (int i = 0; i < all.getLength(); i++) {
                org.w3c.dom.Element e = (org.w3c.dom.Element) all.item(i);
                if (!e.hasAttribute("data-series")) continue;
                String expected = MethodStyle.of(e.getAttribute("data-series"), "storage").colour();
                org.w3c.dom.NodeList drawn = e.getElementsByTagName("*");
                for (int k = 0; k < drawn.getLength(); k++) {
                    org.w3c.dom.Element el = (org.w3c.dom.Element) drawn.item(k);
                    if (el.getTagName().equals("text")) continue;
                    for (String attr : new String[] {"stroke", "fill"}) {
                        String c = el.getAttribute(attr);
                        if (c.isEmpty() || c.equals("none") || c.equals("white")) continue;
                        assertEquals(expected, c, file.getFileName() + ": " + e.getAttribute("data-series") + " " + attr);
                        seriesSeen++;
                    }
                }
            }
        }
        assertTrue(seriesSeen > 100, "the files carry their series: " + seriesSeen);
    }
}
