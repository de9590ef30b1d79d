package octoquant.experiments.report;

import octoquant.experiments.io.Json;
import octoquant.experiments.result.ResultsJson;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.stats.Summary;
import octoquant.experiments.stats.WelchTest;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
        WelchTest t = WelchTest.of(new double[] {96.2, 96.8, 96.5}, new double[] {97.1, 97.4, 96.9});
        assertTrue(table.contains(String.format(Locale.ROOT, "%+.4f", t.difference())), table);
        assertTrue(table.contains("within seed-to-seed noise"), table);
        // octal8 keeps two finished seeds after one diverged: still enough for a Welch test against float.
        assertTrue(table.contains("octal8 - float"), table);
    }

    @Test
    void verdictsSayWhetherADifferenceStandsOut() {
        WelchTest clear = WelchTest.of(new double[] {51, 52, 51.5}, new double[] {33, 33.5, 32.8});
        assertTrue(Comparison.verdict("octal8", "quant8", clear, true).contains("larger than the seed-to-seed noise"));
        WelchTest noise = WelchTest.of(new double[] {96.9, 97.2, 96.8}, new double[] {97.0, 96.7, 97.1});
        assertTrue(Comparison.verdict("octal8", "quant8", noise, true).contains("cannot tell them apart"));
        WelchTest single = WelchTest.of(new double[] {96.9}, new double[] {97.0, 96.7});
        assertTrue(Comparison.verdict("a", "b", single, true).startsWith("Not enough finished seeds"));
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
