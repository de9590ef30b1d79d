package octoquant.experiments.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RunsIndexTest {
    static final Path RUNS = Path.of("docs", "runs");

    @Test
    void theCommittedIndexIsWhatTheCommandWritesNow() throws Exception {
        String now = RunsIndex.render(RUNS);
        String committed = Files.readString(RUNS.resolve("index.html"));
        if (!now.equals(committed)) {
            String[] a = now.split("\n", -1), b = committed.split("\n", -1);
            int line = 0;
            while (line < Math.min(a.length, b.length) && a[line].equals(b[line])) line++;
            fail("experiments/docs/runs/index.html is out of date (first difference at line " + (line + 1) + ": now '"
                    + (line < a.length ? a[line] : "<end>") + "', committed '" + (line < b.length ? b[line] : "<end>")
                    + "'); rebuild it with: bash scripts/render-runs.sh");
        }
    }

    @Test
    void everyCommittedRunIsListedWithItsDateCommandAndTheNumbersTheReadmeQuotes() throws Exception {
        String index = RunsIndex.render(RUNS);
        for (String run : List.of("mnist", "fashion-mnist", "fashion-mnist-cnn", "gradients")) {
            assertTrue(index.contains("<a href=\"" + run + "/report.html\">" + run + "</a>"), run);
        }
        // The commands and figures of experiments/docs/runs/README.md.
        assertTrue(index.contains("<code>java -jar experiments/target/experiments.jar mnist</code>"));
        assertTrue(index.contains("<code>java -jar experiments/target/experiments.jar fashion-mnist --model cnn --epochs 5</code>"));
        assertTrue(index.contains("<code>java -jar experiments/target/experiments.jar gradients</code>"));
        assertTrue(index.contains("<b>float</b> 97.60 ± 0.28%"), "MNIST float");
        assertTrue(index.contains("<b>quant8</b> 88.53 ± 1.02%"), "Fashion-MNIST quant8");
        assertTrue(index.contains("<b>octal8</b> 91.55 ± 1.11%"), "Fashion-MNIST CNN octal8");
        assertTrue(index.contains("36.16% (storage int4 nearest) to 96.45% (storage int8 stochastic), 9 configurations"));
        assertTrue(index.contains("2026-11-29 02:16"), "MNIST's start, from its console log");
        assertFalse(index.contains("<script"), "no script");
    }

    @Test
    void theCommandListsTheOptionsThatDifferFromTheDefaults() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("experiment", "fashion-mnist");
        c.put("epochs", 20L);
        c.put("seeds", 5L);
        c.put("seedOffset", 0L);
        c.put("batchSize", 64L);
        c.put("lr", 0.0005);
        c.put("optimizer", "adam");
        c.put("methods", List.of("float", "int8-pc", "int4-pc-stochastic"));
        c.put("mode", "storage");
        c.put("model", "mlp");
        c.put("limitTrain", 0L);
        c.put("limitTest", 0L);
        assertEquals("java -jar experiments/target/experiments.jar fashion-mnist --methods float,int8-pc,int4-pc-stochastic "
                + "--mode storage --seeds 5 --lr 0.0005", RunCommand.of(c));
        c.put("experiment", "gradients");
        c.put("epochs", 3L);
        c.put("methods", "storage/qat int{4,6,8}");
        c.put("mode", "storage and qat");
        c.put("seeds", 3L);
        c.put("seedOffset", 2L);
        c.put("lr", 0.001);
        assertEquals("java -jar experiments/target/experiments.jar gradients --seed-offset 2", RunCommand.of(c),
                "gradients takes no --methods, --mode, --model or --seeds");
    }

    @Test
    void renderRunsRedrawsReportsAndIndexWithoutTouchingResults(@TempDir Path tmp) throws Exception {
        Path run = Files.createDirectories(tmp.resolve("mnist"));
        Files.copy(RUNS.resolve("mnist/results.json"), run.resolve("results.json"));
        byte[] results = Files.readAllBytes(run.resolve("results.json"));
        Files.createDirectories(run.resolve("plots"));
        Files.writeString(run.resolve("plots/12-old-plot.svg"), "<svg/>");
        Out o = new Out();
        assertEquals(0, RenderRuns.run(new String[] {tmp.toString()}, o.out, o.err), o.err());
        assertArrayEquals(results, Files.readAllBytes(run.resolve("results.json")), "results.json is not rewritten");
        assertTrue(Files.readString(run.resolve("report.html")).contains("<h1>octoquant: mnist</h1>"));
        assertTrue(Files.exists(run.resolve("plots/05-final-test-accuracy.svg")));
        assertFalse(Files.exists(run.resolve("plots/12-old-plot.svg")), "stale plots go");
        assertEquals(RunsIndex.render(tmp), Files.readString(tmp.resolve("index.html")));
        assertTrue(o.out().contains("wrote " + tmp.resolve("index.html") + " (1 runs)"), o.out());
    }

    @Test
    void badInputGetsOneLineAndItsExitCodeAndNothingIsWritten(@TempDir Path tmp) throws Exception {
        Out o = new Out();
        assertEquals(2, RenderRuns.run(new String[0], o.out, o.err));
        assertTrue(o.err().startsWith("usage: RenderRuns RUNS_DIR"), o.err());
        o = new Out();
        assertEquals(2, RenderRuns.run(new String[] {tmp.resolve("missing").toString()}, o.out, o.err));
        assertTrue(o.err().contains("is not a directory"), o.err());
        o = new Out();
        assertEquals(3, RenderRuns.run(new String[] {tmp.toString()}, o.out, o.err));
        assertTrue(o.err().contains("no subfolder of " + tmp + " holds a results.json"), o.err());
        // A good run and a broken one: the broken one is named and nothing is written for either.
        Path good = Files.createDirectories(tmp.resolve("a-good"));
        Files.copy(RUNS.resolve("mnist/results.json"), good.resolve("results.json"));
        Path bad = Files.createDirectories(tmp.resolve("b-bad"));
        Files.writeString(bad.resolve("results.json"), "{\"schema\": \"octoquant-results/1\", \"experiment\": ");
        o = new Out();
        assertEquals(3, RenderRuns.run(new String[] {tmp.toString()}, o.out, o.err));
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("data error: " + bad.resolve("results.json") + " is not an octoquant results file"), o.err());
        assertFalse(Files.exists(good.resolve("report.html")));
        assertFalse(Files.exists(tmp.resolve("index.html")));
    }

    private static final class Out {
        final ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8), err = new PrintStream(e, true, StandardCharsets.UTF_8);

        String out() {
            return o.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return e.toString(StandardCharsets.UTF_8);
        }
    }
}
