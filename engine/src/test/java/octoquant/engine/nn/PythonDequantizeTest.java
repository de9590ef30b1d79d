package octoquant.engine.nn;

import octoquant.engine.param.Parameter;
import octoquant.engine.safetensors.SafetensorsFile;
import octoquant.engine.storage.OctalStorage;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.RoundingMode;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The dequantization a Python user is given ({@link StateDict}), done by NumPy in
 * {@code src/test/python/torch_interop.py dequantize}, gives every scheme's weights bit for bit as
 * octoquant decodes them: fixed grid (codes past the packed field included), octal (seed's and another
 * rounding), maxabs and minmax per tensor and per channel, a 4-d conv weight, a quantized bias. Needs
 * Debian's Python and NumPy; skipped without them outside CI, a failure under CI.
 */
class PythonDequantizeTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src", "test", "python", "torch_interop.py");
    private static final List<String> SCHEMES = List.of("quant8", "quant4", "octal8", "octal8-nearest", "int8-pc", "int4-pc",
            "int8-minmax", "int6-pc-minmax", "int8-pc-fixed", "int16");

    @TempDir
    Path dir;

    @Test
    void numpyDequantizesEverySchemeAsOctoquantDecodesIt() throws Exception {
        assertTrue(Files.isRegularFile(SCRIPT), "the script " + SCRIPT.toAbsolutePath() + " is part of the checkout");
        boolean numpy = Files.isExecutable(PYTHON) && run(PYTHON.toString(), "-c", "import numpy").startsWith("0:");
        if (!numpy && "true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true and NumPy is missing: apt-get install python3-numpy");
        Assumptions.assumeTrue(numpy, "NumPy is needed: apt-get install python3-numpy");

        Rng rng = new Rng(3);
        Module[] layers = new Module[SCHEMES.size() + 1];
        layers[0] = Conv2d.builder().in(2).out(4).kernel(3).padding(1).init(rng).build();
        for (int i = 1; i < layers.length; i++) layers[i] = new Linear(5 + i, 3 + i % 4, rng);
        Sequential model = new Sequential(layers);
        List<Parameter> weights = model.parameters().stream().filter(p -> p.shape().length > 1).toList();
        for (int i = 0; i < weights.size(); i++) {
            Parameter p = weights.get(i);
            float[] v = p.storage().decodeAll();
            for (int k = 0; k < v.length; k++) v[k] *= 4; // past 1: the fixed grid's large codes go to the overflow table
            String scheme = i == 0 ? "int8-pc" : SCHEMES.get(i - 1);
            p.setStorage(encode(scheme, p.storage(), v));
        }
        Parameter bias = model.parameter("3.bias");
        bias.setStorage(encode("int8-pc", bias.storage(), bias.storage().decodeAll()));
        assertTrue(((QuantizedStorage) model.parameter("1.weight").storage()).overflowCount() > 0, "quant8 codes overflow here");

        Path in = dir.resolve("quantized.safetensors"), out = dir.resolve("dequantized.safetensors");
        WeightsFile.save(model, in);
        String result = run(PYTHON.toString(), "-B", SCRIPT.toString(), "dequantize", "--weights", in.toString(), "--out", out.toString());
        assertTrue(result.startsWith("0:"), result);
        SafetensorsFile numpyWeights = SafetensorsFile.read(out);
        for (Parameter p : model.parameters()) {
            assertArrayEquals(p.storage().decodeAll(), numpyWeights.get(p.name()).toFloats(), p.name() + " " + p.storage().describe());
            assertArrayEquals(p.shape(), numpyWeights.get(p.name()).shape());
        }
        assertEquals(model.parameters().size(), numpyWeights.tensors().size());
    }

    private static WeightStorage encode(String scheme, WeightStorage like, float[] values) {
        WeightStorage s = scheme.equals("octal8-nearest") ? new OctalStorage(like.rows(), like.cols(), 8, RoundingMode.NEAREST_EVEN, 0)
                : QuantScheme.parse(scheme).newStorage(like.rows(), like.cols(), 0);
        s.encodeFrom(values);
        return s;
    }

    /** "exit code: output". */
    private static String run(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish: " + String.join(" ", command));
        return p.exitValue() + ": " + out.strip();
    }
}
