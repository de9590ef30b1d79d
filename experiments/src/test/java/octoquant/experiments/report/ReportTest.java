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
}
