package octoquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterleavedABTest {
    @Test
    void theSameBuildOnBothSidesGivesTheSameFloatsAndEveryFigure() {
        // Both sides load this test run's own classes, each through a class loader of its own.
        String cp = System.getProperty("java.class.path");
        InterleavedAB.Options o = InterleavedAB.Options.parse(new String[] {cp, cp,
            "--model", "mlp", "--threads", "1", "--block", "2", "--seconds", "0.6", "--warmup-seconds", "0.2"});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InterleavedAB.run(o, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Map<String, String> figures = new HashMap<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("#")) continue;
            String[] f = line.split(" ");
            assertEquals(5, f.length, line);
            assertEquals("interleaved mlp train_step", f[0] + " " + f[1] + " " + f[2]);
            figures.put(f[3], f[4]);
        }
        assertEquals("yes", figures.get("same_floats"));
        int pairs = Integer.parseInt(figures.get("pairs"));
        assertTrue(pairs >= 2, "pairs " + pairs);
        assertTrue(Integer.parseInt(figures.get("pairs_B_faster")) <= pairs);
        double q1 = Double.parseDouble(figures.get("ratio_q1")), median = Double.parseDouble(figures.get("ratio_B_over_A_median"));
        double q3 = Double.parseDouble(figures.get("ratio_q3")), p = Double.parseDouble(figures.get("sign_test_p"));
        assertTrue(0 < q1 && q1 <= median && median <= q3, q1 + " " + median + " " + q3);
        assertTrue(p > 0 && p <= 1, "p " + p);
        assertTrue(Double.parseDouble(figures.get("A_median_ms")) > 0 && Double.parseDouble(figures.get("B_median_ms")) > 0);
    }

    @Test
    void signTestIsTheExactTwoSidedBinomialTail() {
        // P(X <= 2 or X >= 8), X ~ Binomial(10, 1/2) = 2·(1 + 10 + 45) / 1024.
        assertEquals(112.0 / 1024, InterleavedAB.signTestP(2, 10), 1e-12);
        assertEquals(112.0 / 1024, InterleavedAB.signTestP(8, 10), 1e-12);
        assertEquals(2.0 / 1024, InterleavedAB.signTestP(0, 10), 1e-12);
        assertEquals(1.0, InterleavedAB.signTestP(5, 10), 1e-12);
        assertEquals(1.0, InterleavedAB.signTestP(0, 0), 0);
        // Large n stays finite: 278 of 279 is far beyond any chance split.
        double p = InterleavedAB.signTestP(278, 279);
        assertTrue(p > 0 && p < 1e-70, "p " + p);
    }

    @Test
    void quantilesInterpolateBetweenNeighbours() {
        double[] v = {1, 2, 3, 4};
        assertEquals(2.5, InterleavedAB.quantile(v, 0.5), 1e-12);
        assertEquals(1.75, InterleavedAB.quantile(v, 0.25), 1e-12);
        assertEquals(4, InterleavedAB.quantile(v, 1), 0);
    }

    @Test
    void refusesBadCommandLinesWithWhatToDo() {
        String cp = System.getProperty("java.class.path");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> InterleavedAB.Options.parse(new String[] {cp})).getMessage().contains("two jars"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> InterleavedAB.Options.parse(new String[] {cp, "/no/such/benchmarks.jar"})).getMessage().contains("no such file"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> InterleavedAB.Options.parse(new String[] {cp, cp, "--model", "vgg"})).getMessage().contains("--model"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> InterleavedAB.Options.parse(new String[] {cp, cp, "--block", "0"})).getMessage().contains("--block"));
    }
}
