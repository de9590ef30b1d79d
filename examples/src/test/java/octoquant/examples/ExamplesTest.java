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

    /**
     * PyTorch trains the MLP and writes safetensors; octoquant loads the file and measures the same accuracy on
     * the same 10,000 test images. Skipped without Debian's PyTorch, except under CI, where it fails.
     */
    @Test
    void pyTorchWeightsGiveTheSameAccuracyHere(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path mnist = mnistFolder();
        boolean torch = new ProcessBuilder("/usr/bin/python3", "-c", "import numpy, torch").start().waitFor() == 0;
        if (!torch || mnist == null) {
            String why = !torch ? "/usr/bin/python3 cannot import numpy and torch (apt-get install python3-numpy python3-torch)"
                    : "MNIST not found";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) org.junit.jupiter.api.Assertions.fail("CI=true and " + why);
            org.junit.jupiter.api.Assumptions.abort(why);
        }
        java.nio.file.Path weights = tmp.resolve("mlp.safetensors");
        Process p = new ProcessBuilder("/usr/bin/python3", "python/train_torch_mlp.py", "--mnist", mnist.toString(),
                "--out", weights.toString(), "--limit-train", "20000").redirectErrorStream(true).start();
        String py = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), py);
        double theirs = percent(py, "PyTorch test accuracy ([0-9.]+)%");
        String out = output(LoadPyTorchWeights::main, weights.toString());
        double ours = percent(out, "octoquant test accuracy ([0-9.]+)%");
        assertTrue(theirs > 85, py);
        assertEquals(theirs, ours, 0.05, "the same weights, the same images: " + py + out);
    }

    private static java.nio.file.Path mnistFolder() {
        for (String root : new String[] {System.getenv("OCTOQUANT_DATA"), "../../shared/datasets", "../shared/datasets"}) {
            if (root == null) continue;
            java.nio.file.Path m = java.nio.file.Path.of(root, "mnist");
            if (java.nio.file.Files.isDirectory(m)) return m;
        }
        return null;
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
