package octoquant.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** Every example runs on the real MNIST (a subset) and prints what its documentation promises. */
class ExamplesTest {

    interface Main {
        void run(String[] args) throws Exception;
    }

    private static String output(Main main, String... args) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            main.run(args);
        } finally {
            System.setOut(saved);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        saved.print(text);
        return text;
    }

    private static double percent(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainYourOwnModelLearns() throws Exception {
        String out = output(TrainYourOwnModel::main, "--epochs", "2", "--limit-train", "6000", "--limit-test", "1000");
        assertTrue(percent(out, "epoch 2: training loss [0-9.]+, test accuracy ([0-9.]+)%") > 85, out);
        assertTrue(out.contains("50890 parameters"), out);
    }

    @Test
    void quantizeThreeWaysComparesBytesAndAccuracy() throws Exception {
        String out = output(QuantizeThreeWays::main, "--limit-train", "6000", "--limit-test", "1000");
        double fp = percent(out, "float\\s+[0-9,]+\\s+([0-9.]+)%");
        for (String s : new String[] {"quant8", "octal8", "int8-pc"}) {
            assertEquals(fp, percent(out, s + "\\s+[0-9,]+\\s+([0-9.]+)%"), 1.5, s + " after training costs little\n" + out);
        }
        // octal8 holds 10 bits a weight, quant8 9: octal is the bigger one.
        assertTrue(out.matches("(?s).*quant8\\s+114,\\d{3}\\s.*octal8\\s+127,\\d{3}\\s.*"), out);
    }

    @Test
    void watchGradientsShowsRoundingLosingUpdates() throws Exception {
        String out = output(WatchGradients::main, "--limit-train", "3000", "--limit-test", "1000");
        double nearestLost = percent(out, "quant8\\s+updates lost to rounding\\s+([0-9.]+)%");
        double stochasticLost = percent(out, "int8-fixed-stochastic\\s+updates lost to rounding\\s+([0-9.]+)%");
        assertTrue(nearestLost > 90, out);
        assertTrue(stochasticLost < nearestLost, out);
        assertTrue(percent(out, "int8-fixed-stochastic.*test accuracy ([0-9.]+)%") > 80, out);
    }
}
