package octoquant.engine.nn;

import octoquant.engine.autograd.Grad;
import octoquant.engine.ops.Losses;
import octoquant.engine.optim.Adam;
import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.safetensors.DType;
import octoquant.engine.safetensors.SafetensorsFile;
import octoquant.engine.safetensors.TensorData;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Weights crossing to PyTorch and back through safetensors files, on the real MNIST test set, with
 * Debian's PyTorch and NumPy ({@code src/test/python/torch_interop.py}; the files are read and written
 * there with NumPy alone):
 * <ol>
 *   <li>an MLP initialised by PyTorch, written by the Python script, loaded with {@code loadStateDict}
 *       (strict): octoquant's logits equal PyTorch's to 1e-5 relative
 *       ({@code |ours − torch| ≤ 1e-5 · max(|torch|, rms(torch))} element by element);</li>
 *   <li>an MLP trained by octoquant (one epoch, Adam 1e-3, batch 64), saved with {@link WeightsFile}, read
 *       in Python: PyTorch predicts the same label as octoquant on at least 99.9% of the test images,
 *       for the fp32 weights and for {@code int8-pc} weights quantized after training (dequantized in
 *       Python from codes and scales).</li>
 * </ol>
 * Both sides compute on the same input bits: the normalised images go to Python in a safetensors file.
 * Without PyTorch, NumPy or MNIST the test is skipped with the reason, except under CI ({@code CI=true}),
 * where that is a failure. The measured figures are printed.
 */
class TorchInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src", "test", "python", "torch_interop.py");
    private static final double LOGIT_RTOL = 1e-5;
    private static final double MIN_AGREEMENT = 0.999;

    private static MnistIdx test;
    private static Path inputs;

    @TempDir
    static Path dir;

    @BeforeAll
    static void prerequisites() throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(SCRIPT), "the interop script " + SCRIPT.toAbsolutePath() + " is part of the checkout");
        String torch = pythonProblem();
        skipOrFail(torch == null, "PyTorch and NumPy are needed (" + torch + "); install them with: apt-get install python3-numpy python3-torch");
        Path mnist = MnistLocation.find();
        skipOrFail(mnist != null, "MNIST not found (" + MnistLocation.searched() + "); set OCTOQUANT_DATA to the directory holding mnist/");
        test = MnistIdx.load(mnist, "t10k");
        inputs = dir.resolve("mnist-test-inputs.safetensors");
        new SafetensorsFile(Map.of("images", TensorData.ofFloats(new int[] {test.count, 1, 28, 28}, test.images)), Map.of()).write(inputs);
    }

    /** Under CI a missing prerequisite would hide a broken install step: fail instead of skipping. */
    private static void skipOrFail(boolean present, String reason) {
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true and " + reason);
        Assumptions.assumeTrue(present, reason);
    }

    /** Null when Debian's Python imports torch and numpy, else what went wrong. */
    private static String pythonProblem() throws InterruptedException {
        if (!Files.isExecutable(PYTHON)) return PYTHON + " is missing";
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import numpy, torch").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "importing torch did not finish in 120 s";
            }
            return p.exitValue() == 0 ? null : out.lines().reduce((a, b) -> b).orElse("import failed");
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Runs the script with {@code args}; its output on success, a failure with its output otherwise. */
    private static String python(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-B", SCRIPT.toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the script did not finish in 300 s: " + command);
        assertEquals(0, p.exitValue(), "torch_interop.py " + String.join(" ", args) + " failed:\n" + out);
        return out.strip();
    }

    @Test
    void pytorchWeightsGivePytorchsLogits() throws Exception {
        Path weights = dir.resolve("torch-mlp.safetensors"), torchLogits = dir.resolve("torch-logits.safetensors");
        python("torch-model", "--seed", "20261205", "--inputs", inputs.toString(), "--weights", weights.toString(),
                "--logits", torchLogits.toString());
        Sequential model = Models.mlp(new Rng(1));
        WeightsFile.load(model, weights, true);
        float[] expected = SafetensorsFile.read(torchLogits).get("logits").toFloats();
        float[] ours = logits(model);
        double[] err = logitError(ours, expected);
        System.out.printf(Locale.ROOT, "interop (1) PyTorch weights -> octoquant: max |logit diff| %.3g, max relative %.3g (allowed %.0e), over %d logits%n",
                err[0], err[1], LOGIT_RTOL, expected.length);
        assertTrue(err[1] <= LOGIT_RTOL, "octoquant's logits differ from PyTorch's by " + err[1] + " relative");
    }

    @Test
    void octoquantTrainedWeightsPredictTheSameLabelsInPytorch() throws Exception {
        MnistIdx train = MnistIdx.load(MnistLocation.find(), "train");
        Sequential model = Models.mlp(new Rng(7));
        trainOneEpoch(model, train, new Rng(8));

        double floatAgreement = agreementWithTorch(model, "float");
        Quantization.finish(model, QuantScheme.parse("int8-pc"), TrainingMode.PTQ, 9);
        assertInstanceOf(QuantizedStorage.class, model.parameter("1.weight").storage());
        double int8Agreement = agreementWithTorch(model, "int8-pc");
        assertTrue(floatAgreement >= MIN_AGREEMENT, "float: PyTorch agrees on " + floatAgreement);
        assertTrue(int8Agreement >= MIN_AGREEMENT, "int8-pc: PyTorch agrees on " + int8Agreement);
    }

    /** Saves the model, has PyTorch predict, and returns the fraction of test images with the same label. */
    private double agreementWithTorch(Sequential model, String scheme) throws Exception {
        Path weights = dir.resolve("octoquant-" + scheme + ".safetensors"), out = dir.resolve("torch-" + scheme + ".safetensors");
        WeightsFile.save(model, weights);
        String report = python("predict", "--weights", weights.toString(), "--inputs", inputs.toString(), "--out", out.toString());
        assertTrue(report.contains(scheme.equals("float") ? "\"schemes\": []" : "\"schemes\": [\"" + scheme + "\"]"), report);
        SafetensorsFile torch = SafetensorsFile.read(out);
        assertEquals(DType.I64, torch.get("labels").dtype());
        long[] torchLabels = torch.get("labels").toLongs();
        float[] ours = logits(model);
        int same = 0, correct = 0;
        for (int i = 0; i < test.count; i++) {
            int label = argmax(ours, i * 10);
            if (label == torchLabels[i]) same++;
            if (label == test.labels[i]) correct++;
        }
        double[] err = logitError(ours, torch.get("logits").toFloats());
        double agreement = same / (double) test.count;
        System.out.printf(Locale.ROOT, "interop (2) octoquant %s weights -> PyTorch: same label on %d of %d test images (%.2f%%), "
                        + "octoquant accuracy %.2f%%, max |logit diff| %.3g, max relative %.3g%n",
                scheme, same, test.count, 100 * agreement, 100.0 * correct / test.count, err[0], err[1]);
        assertTrue(correct > 0.9 * test.count, "one epoch of training reaches more than 90% (" + correct + ")");
        return agreement;
    }

    private static void trainOneEpoch(Sequential model, MnistIdx train, Rng shuffle) {
        Adam adam = new Adam(model.parameters(), 1e-3);
        int[] order = new int[train.count];
        for (int i = 0; i < order.length; i++) order[i] = i;
        shuffle.shuffle(order);
        int batch = 64;
        for (int start = 0; start < order.length; start += batch) {
            int n = Math.min(batch, order.length - start);
            float[] x = new float[n * 784];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(train.images, order[start + i] * 784, x, i * 784, 784);
                y[i] = train.labels[order[start + i]];
            }
            adam.zeroGrad();
            Losses.softmaxCrossEntropy(model.forward(Tensor.of(x, n, 1, 28, 28)), y).backward();
            adam.step();
        }
    }

    private static float[] logits(Module model) {
        float[] out = new float[test.count * 10];
        model.eval();
        try (Grad.Scope off = Grad.disabled()) {
            for (int start = 0; start < test.count; start += 1000) {
                int n = Math.min(1000, test.count - start);
                float[] x = Arrays.copyOfRange(test.images, start * 784, (start + n) * 784);
                System.arraycopy(model.forward(Tensor.of(x, n, 1, 28, 28)).data(), 0, out, start * 10, n * 10);
            }
        }
        model.train(true);
        return out;
    }

    /** {max |a − e|, max |a − e| / max(|e|, rms(e))}. */
    private static double[] logitError(float[] actual, float[] expected) {
        assertEquals(expected.length, actual.length);
        double sq = 0;
        for (float e : expected) sq += (double) e * e;
        double rms = Math.sqrt(sq / expected.length), maxAbs = 0, maxRel = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            maxAbs = Math.max(maxAbs, d);
            maxRel = Math.max(maxRel, d / Math.max(Math.abs(expected[i]), rms));
        }
        return new double[] {maxAbs, maxRel};
    }

    private static int argmax(float[] v, int off) {
        int best = 0;
        for (int i = 1; i < 10; i++) if (v[off + i] > v[off + best]) best = i;
        return best;
    }

    @Test
    void numpyAndPytorchAgreeWithOurF16AndBf16ConversionsAndIntegers() throws Exception {
        Path f = dir.resolve("dtypes.safetensors");
        python("dtypes", "--out", f.toString());
        SafetensorsFile d = SafetensorsFile.read(f);
        assertEquals(Map.of("written by", "torch_interop.py dtypes"), d.metadata());
        assertEquals(DType.F16, d.get("f16").dtype());
        assertEquals(DType.BF16, d.get("bf16").dtype());
        assertBitsEqual(d.get("f16_numpy_f32").toFloats(), d.get("f16").toFloats(), "F16 (NumPy's float32)");
        assertBitsEqual(d.get("bf16_torch_f32").toFloats(), d.get("bf16").toFloats(), "BF16 (PyTorch's float32)");
        long[] i8 = d.get("i8").toLongs(), u8 = d.get("u8").toLongs();
        for (int i = 0; i < 256; i++) {
            assertEquals(i - 128, i8[i]);
            assertEquals(i, u8[i]);
        }
        assertArrayEquals(new long[] {-32768, -1, 0, 1, 32767}, d.get("i16").toLongs());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE}, d.get("i32").toInts());
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}, d.get("i64").toLongs());
    }

    /** Equal as values; NaNs count as equal when both are NaN (their payloads are a library's choice). */
    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length);
        int nans = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i])) {
                assertTrue(Float.isNaN(actual[i]), what + " pattern " + Integer.toHexString(i));
                nans++;
            } else {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), what + " pattern " + Integer.toHexString(i));
            }
        }
        assertEquals(2 * 1023 * (what.startsWith("F16") ? 1 : 0) + 2 * 127 * (what.startsWith("BF16") ? 1 : 0), nans, what + ": NaN patterns");
    }
}
