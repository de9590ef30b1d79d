package octoquant.experiments.e2e;

import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static octoquant.experiments.e2e.ExperimentsProcessTest.assertSameNumbers;
import static octoquant.experiments.e2e.ExperimentsProcessTest.assertTableMeansMatch;
import static org.junit.jupiter.api.Assertions.*;

/** The gradients experiment end to end on the real MNIST (small limits, one epoch). */
class GradientsProcessTest {

    @Test
    void gradientsWithSmallSettings(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("grad");
        CliProcess.Result r = CliProcess.run("gradients", "--epochs", "1", "--limit-train", "640", "--limit-test", "200",
                "--data", CliProcess.sharedData().toString(), "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        RunResults res = CliProcess.results(dir);
        assertEquals(13, res.gradients.size());
        var nearest4 = res.gradients.stream().filter(g -> g.name.equals("storage int4 nearest")).findFirst().orElseThrow();
        var stochastic4 = res.gradients.stream().filter(g -> g.name.equals("storage int4 stochastic")).findFirst().orElseThrow();
        double lostNearest = nearest4.lostFraction.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double lostStochastic = stochastic4.lostFraction.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(lostNearest > 0.5, "round-to-nearest at 4 bits loses most updates: " + lostNearest);
        assertTrue(lostStochastic < lostNearest, "stochastic rounding keeps more: " + lostStochastic + " vs " + lostNearest);
        var qat4 = res.gradients.stream().filter(g -> g.name.equals("qat int4 nearest")).findFirst().orElseThrow();
        double cos = qat4.cosine.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).average().orElseThrow();
        assertTrue(cos > 0 && cos <= 1.0000001, "cosine " + cos);
        assertEquals(2, nearest4.histograms.size(), "initial and after epoch 1");
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("Updates lost to rounding") && html.contains("Straight-through vs float gradient"));
    }
}
