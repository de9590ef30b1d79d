package octoquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostNoiseTest {
    @Test
    void reportsEveryProbesMedianAndSpread() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HostNoise.run(HostNoise.Options.parse(new String[] {"--seconds", "0.2", "--threads", "2"}),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("#")) continue;
            String[] f = line.split(" ");
            assertEquals(4, f.length, line);
            assertEquals("noise", f[0], line);
            figures.put(f[1] + " " + f[2], Double.parseDouble(f[3]));
        }
        for (String probe : List.of("fma_gflops", "l2_stream_gbs", "l3_stream_gbs", "dram_stream_gbs")) {
            double median = figures.get(probe + " median"), spread = figures.get(probe + " p5_over_median");
            assertTrue(median > 0 && Double.isFinite(median), probe + " median " + median);
            assertTrue(spread > 0 && spread <= 1, probe + " p5/median " + spread);
        }
        assertEquals(8, figures.size(), figures.toString());
    }

    @Test
    void percentilesAreNearestRanks() {
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) hundred[i] = i + 1;
        assertEquals(5, HostNoise.percentile(hundred, 5));
        assertEquals(50, HostNoise.percentile(hundred, 50));
        assertEquals(95, HostNoise.percentile(hundred, 95));
        assertEquals(7, HostNoise.percentile(new double[] {7}, 5));
        assertEquals(2, HostNoise.percentile(new double[] {1, 2, 3}, 50));
    }

    @Test
    void refusesBadOptionsWithTheFlagNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> HostNoise.Options.parse(new String[] {"--threads", "0"})).getMessage().contains("--threads"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> HostNoise.Options.parse(new String[] {"--seconds", "soon"})).getMessage().contains("--seconds"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> HostNoise.Options.parse(new String[] {"--probes", "fma"})).getMessage().contains("unknown option"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> HostNoise.Options.parse(new String[] {"--seconds"})).getMessage().contains("needs a value"));
    }
}
