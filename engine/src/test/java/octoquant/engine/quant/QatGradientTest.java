package octoquant.engine.quant;

import octoquant.engine.storage.FloatStorage;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.WeightStorage;

import octoquant.engine.gradcheck.GradCheck;
import octoquant.engine.nn.Conv2d;
import octoquant.engine.nn.Linear;
import octoquant.engine.nn.Module;
import octoquant.engine.param.Parameter;
import octoquant.engine.param.ParameterMode;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Gradients through quantized weights in {@code qat} (and {@code storage}) mode, checked by finite
 * differences: the input gradient uses the stored weights; the weight gradient is the gradient with
 * respect to the quantized weights, and the straight-through estimator hands it unchanged to the fp32
 * master (nothing clips when the step is calibrated from the master). The function of the master itself
 * is piecewise constant, so finite differences of the master would measure the rounding, not the STE.
 */
class QatGradientTest {
    static final String[] SCHEMES = {"quant8", "octal8", "int8", "int8-pc", "int4-pc", "int2-minmax",
            "int4-pc-stochastic", "int8-fixed-floor", "quant4", "octal3"};

    static Linear linear(long seed) {
        return new Linear(7, 5, new Rng(seed));
    }

    static Conv2d conv(long seed) {
        return Conv2d.builder().in(2).out(3).kernel(3).stride(1).padding(1).init(new Rng(seed)).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"quant8", "octal8", "int8", "int8-pc", "int4-pc", "int2-minmax", "int4-pc-stochastic",
            "int8-fixed-floor", "quant4", "octal3"})
    void linearGradientsPassThroughTheQuantizedWeights(String scheme) {
        check(linear(3), scheme, () -> Tensor.randn(new Rng(5), 4, 7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"quant8", "octal8", "int8-pc", "int4-pc", "int2-minmax"})
    void conv2dGradientsPassThroughTheQuantizedWeights(String scheme) {
        check(conv(4), scheme, () -> Tensor.randn(new Rng(6), 2, 2, 5, 5));
    }

    static void check(Module layer, String schemeName, Supplier<Tensor> input) {
        QuantScheme scheme = QuantScheme.parse(schemeName);
        Parameter w = layer.parameters().get(0);
        Quantization.prepare(layer.parameters(), scheme, TrainingMode.QAT, 9);
        Rng rng = new Rng(1);

        // 1. input gradient through the quantized weights (the master is untouched by this check)
        Tensor x = input.get();
        GradCheck.Result r = GradCheck.standard().check(() -> layer.forward(x), List.of(x), List.of(), rng);
        assertTrue(r.ok(), schemeName + " input: " + r);

        // 2. one QAT step's forward and backward, then the STE
        float[] quantized = w.computeWeights().decodeAll();
        Tensor x2 = input.get().requireGrad();
        layer.zeroGrad();
        Tensor y = layer.forward(x2);
        float[] seed = new float[y.size()];
        Rng s = new Rng(2);
        for (int i = 0; i < seed.length; i++) seed[i] = (float) s.nextGaussian();
        y.backward(seed);
        w.prepareGradient();
        float[] qatGrad = w.grad().clone();

        // 3. the same computation with an fp32 copy of the quantized weights: same output, same input
        //    gradient, and the weight gradient QAT handed to the master; finite differences confirm it
        WeightStorage master = w.storage();
        ParameterMode qat = w.mode();
        w.setMode(ParameterMode.DIRECT);
        w.setStorage(new FloatStorage(master.rows(), master.cols(), quantized.clone()));
        Tensor x3 = input.get().requireGrad();
        layer.zeroGrad();
        Tensor y3 = layer.forward(x3);
        assertArrayEquals(y3.data(), y.data(), schemeName + ": QAT's forward computes with the quantized weights");
        y3.backward(seed);
        assertArrayEquals(x3.grad(), x2.grad(), 1e-6f, schemeName + ": QAT's input gradient uses the quantized weights");
        assertArrayEquals(w.grad(), qatGrad, 1e-5f, schemeName + ": STE gradient = gradient at the quantized weights");
        GradCheck.Result rw = GradCheck.standard().check(() -> layer.forward(x3), List.of(), List.of(w), rng);
        assertTrue(rw.ok(), schemeName + " weights: " + rw);

        // 4. and quantization did change something (the checks above are not comparing fp32 with fp32)
        w.setStorage(master);
        Tensor x4 = input.get();
        assertFalse(java.util.Arrays.equals(layer.forward(x4).data(), y.data()), schemeName + ": quantization changed the output");
        w.setMode(qat);
    }

    @ParameterizedTest
    @ValueSource(strings = {"quant8", "octal8", "int8-pc", "int4-pc-stochastic"})
    void storageModeInputGradientsUseTheStoredWeights(String schemeName) {
        Linear layer = linear(7);
        Quantization.prepare(layer.parameters(), QuantScheme.parse(schemeName), TrainingMode.STORAGE, 9);
        // no fp32 master: the layer reads the decoded view of the stored codes, nothing else
        QuantizedStorage stored = (QuantizedStorage) layer.weight().storage();
        float[] view = stored.floatView();
        assertNotNull(view, "storage mode's decoded view");
        for (int i = 0; i < view.length; i++) {
            assertEquals(stored.dequantize(stored.code(i), i / stored.cols()), view[i], 0f, "the view is the codes' decode at " + i);
        }
        Tensor x = Tensor.randn(new Rng(5), 3, 7);
        GradCheck.Result r = GradCheck.standard().check(() -> layer.forward(x), List.of(x), List.of(), new Rng(3));
        assertTrue(r.ok(), schemeName + ": " + r);
    }
}
