package octoquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepWatchTest {
    @Test
    void printsOneLinePerWindowWithTimesInOrder() {
        StepWatch.Options o = StepWatch.Options.parse(new String[] {
            "--model", "mlp", "--seconds", "0.9", "--window", "0.3", "--warmup-seconds", "0"});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StepWatch.run(o, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String[]> windows = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("watch ")) windows.add(line.split(" "));
            else assertTrue(line.startsWith("#"), line);
        }
        // 0.9 s in windows of 0.3 s: three, the last one ending at or after 0.9 s (a window ends after a step).
        assertEquals(3, windows.size());
        double previous = 0;
        for (String[] w : windows) {
            assertEquals("mlp", w[1]);
            assertEquals("train_step", w[2]);
            double at = Double.parseDouble(w[3]), median = Double.parseDouble(w[5]), min = Double.parseDouble(w[6]);
            assertTrue(at > previous, "window times rise: " + String.join(" ", w));
            assertTrue(Integer.parseInt(w[4]) >= 1);
            assertTrue(min > 0 && median >= min, String.join(" ", w));
            previous = at;
        }
        assertTrue(previous >= 0.9);
    }

    @Test
    void refusesBadOptionsWithTheFlagNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> StepWatch.Options.parse(new String[] {"--model", "resnet"})).getMessage().contains("--model"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> StepWatch.Options.parse(new String[] {"--window", "soon"})).getMessage().contains("--window"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> StepWatch.Options.parse(new String[] {"--threads", "0"})).getMessage().contains("--threads"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> StepWatch.Options.parse(new String[] {"--steps", "5"})).getMessage().contains("unknown option"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> StepWatch.Options.parse(new String[] {"--only"})).getMessage().contains("needs a value"));
    }
}
