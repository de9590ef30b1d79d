package octoquant.engine.integer;

import octoquant.engine.quant.Quantization;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;

import octoquant.engine.nn.Conv2d;
import octoquant.engine.nn.Linear;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Integer inference against the engine's own layers on the fake-quantized path: the layer reads the same
 * stored weights (decoded per tile by the op), its input is the int8 input dequantized. Each output must
 * agree within one accumulator step {@code sIn·sW[channel]}.
 */
class IntegerLayersTest {
    @ParameterizedTest
    @ValueSource(strings = {"int8-pc", "int8", "int4-pc", "int8-pc-minmax"})
    void integerLinearMatchesLinearOnTheFakeQuantizedPath(String scheme) {
        Rng rng = new Rng(21);
        Linear layer = new Linear(300, 40, rng);
        Quantization.ptq(List.of(layer.weight(), layer.bias()), QuantScheme.parse(scheme));
        int batch = 16;
        float[] x = Tensor.randn(rng, batch, 300).data();
        ActivationQuant aq = ActivationQuant.calibrate(x);
        float[] fq = aq.dequantize(aq.quantize(x));
        float[] ref = layer.forward(Tensor.of(fq, batch, 300)).data();
        float[] got = new IntegerLinear(layer.weight().storage(), layer.bias().storage().decodeAll(), aq).forward(x, batch);
        QuantizedStorage w = (QuantizedStorage) layer.weight().storage();
        for (int i = 0; i < batch; i++)
            for (int j = 0; j < 40; j++)
                assertEquals(ref[i * 40 + j], got[i * 40 + j], aq.scale() * w.step(j), scheme + " output " + i + "," + j);
    }

    @ParameterizedTest
    @ValueSource(strings = {"int8-pc", "int4-pc", "int8-minmax"})
    void integerConv2dMatchesConv2dOnTheFakeQuantizedPath(String scheme) {
        Rng rng = new Rng(22);
        int ci = 3, co = 8, k = 3, stride = 1, pad = 1, h = 9, wd = 7, batch = 2;
        Conv2d layer = Conv2d.builder().in(ci).out(co).kernel(k).stride(stride).padding(pad).init(rng).build();
        Quantization.ptq(List.of(layer.weight(), layer.bias()), QuantScheme.parse(scheme));
        float[] x = Tensor.randn(rng, batch, ci, h, wd).data();
        ActivationQuant aq = ActivationQuant.calibrate(x);
        float[] fq = aq.dequantize(aq.quantize(x));
        float[] ref = layer.forward(Tensor.of(fq, batch, ci, h, wd)).data();
        IntegerConv2d conv = new IntegerConv2d(layer.weight().storage(), layer.bias().storage().decodeAll(), aq, ci, k, stride, pad);
        float[] got = conv.forward(x, batch, h, wd);
        assertEquals(ref.length, got.length);
        QuantizedStorage w = (QuantizedStorage) layer.weight().storage();
        int per = h * wd; // stride 1, pad 1, k 3: same size
        for (int i = 0; i < got.length; i++) {
            int c = (i / per) % co;
            assertEquals(ref[i], got[i], aq.scale() * w.step(c), scheme + " output " + i);
        }
    }
}
