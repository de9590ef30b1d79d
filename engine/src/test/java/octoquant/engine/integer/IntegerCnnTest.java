package octoquant.engine.integer;

import octoquant.engine.quant.Quantization;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.nn.Conv2d;
import octoquant.engine.nn.Linear;
import octoquant.engine.nn.MaxPool2d;
import octoquant.engine.nn.Models;
import octoquant.engine.nn.Module;
import octoquant.engine.nn.Sequential;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Integer inference of the seed's CNN, layer by layer against the fake-quantized float path in double:
 * each layer's reference is computed from the very int8 codes the integer pipeline fed it (dequantized)
 * and the stored weights (decoded). Conv and Linear outputs agree within one quantization step (the
 * output's step for int8 outputs, saturating at the top of the calibrated range, the accumulator's for
 * the float logits); max-pooling on codes is exact.
 */
class IntegerCnnTest {
    @Property(tries = 6)
    void seedCnnAgreesLayerByLayerWithTheFakeQuantizedPath(@ForAll("schemes") String scheme, @ForAll long seed,
                                                           @ForAll @IntRange(min = 8, max = 13) int size) {
        Rng rng = new Rng(seed);
        Sequential cnn = Models.seedCnn(rng, 2, size, size);
        Quantization.ptq(cnn.parameters(), QuantScheme.parse(scheme));
        int batch = 3;
        float[] x = IntegerInferenceTest.gaussian(rng, batch * 2 * size * size, 1.0, 0.2);
        IntegerSequential net = IntegerSequential.of(cnn, x, batch, 2, size, size);
        assertEquals(6, net.stageCount(), "conv, pool, conv, pool, linear, linear");
        List<byte[]> trace = net.forwardTrace(x, batch);
        List<Module> weighted = cnn.layers().stream().filter(m -> m instanceof Conv2d || m instanceof Linear || m instanceof MaxPool2d).toList();
        for (int s = 0; s < net.stageCount(); s++) {
            int[] d = net.inputDims(s);
            ActivationQuant in = net.inputQuant(s);
            float[] xf = in.dequantize(trace.get(s));
            Module m = weighted.get(s);
            boolean last = s == net.stageCount() - 1;
            if (m instanceof MaxPool2d) {
                float[] expected = maxPool(xf, batch * d[0], d[1], d[2]);
                assertArrayEquals(expected, in.dequantize(trace.get(s + 1)), 0f, "pool stage " + s + " is exact on codes");
                continue;
            }
            double[] ref;
            QuantizedStorage w;
            float[] bias;
            if (m instanceof Conv2d conv) {
                w = (QuantizedStorage) conv.weight().storage();
                bias = conv.bias().storage().decodeAll();
                ref = conv(xf, batch, d[0], d[1], d[2], w.decodeAll(), w.rows(), bias);
            } else {
                Linear l = (Linear) m;
                w = (QuantizedStorage) l.weight().storage();
                bias = l.bias().storage().decodeAll();
                ref = linear(xf, batch, l.inFeatures(), w.decodeAll(), w.rows(), bias);
            }
            int perImage = ref.length / batch, positions = perImage / w.rows();
            if (last) {
                float[] y = net.forward(x, batch);
                for (int i = 0; i < ref.length; i++) {
                    double accStep = in.scale() * w.step((i % perImage) / positions);
                    assertEquals(ref[i], y[i], accStep, "logit " + i);
                }
            } else {
                ActivationQuant out = net.inputQuant(s + 1);
                byte[] yq = trace.get(s + 1);
                // The output range was calibrated on the float activations; the integer path's inputs carry
                // every earlier layer's rounding, so a value can land just past the top of that range and
                // saturate (seen: 1.3 steps past it, int4-pc, 12×12 images), as a deployed int8 layer would.
                double top = out.dequantize((byte) ActivationQuant.QMAX);
                for (int i = 0; i < ref.length; i++) {
                    double expected = Math.min(top, Math.max(0, ref[i])); // every hidden layer has a ReLU
                    assertEquals(expected, out.dequantize(yq[i]), out.scale() * (1 + 1e-6), "stage " + s + " output " + i);
                }
            }
        }
    }

    @Provide
    Arbitrary<String> schemes() {
        return Arbitraries.of("int8-pc", "int8", "int4-pc", "int8-pc-minmax");
    }

    @Test
    void sameOutputsWhateverTheThreadCount() {
        Rng rng = new Rng(4);
        Sequential cnn = Models.seedCnn(rng, 1, 8, 8);
        Quantization.ptq(cnn.parameters(), QuantScheme.parse("int8-pc"));
        Sequential mlp = Models.mlp(rng);
        Quantization.ptq(mlp.parameters(), QuantScheme.parse("int8-pc-minmax"));
        float[] x = IntegerInferenceTest.gaussian(rng, 40 * 64, 1.0, 0.2);
        float[] xm = IntegerInferenceTest.gaussian(rng, 40 * 784, 1.0, 0.2);
        int before = octoquant.engine.kernels.Parallel.threads();
        try {
            octoquant.engine.kernels.Parallel.setThreads(1);
            float[] one = IntegerSequential.of(cnn, x, 40, 1, 8, 8).forward(x, 40);
            float[] oneMlp = IntegerSequential.of(mlp, xm, 40).forward(xm, 40);
            octoquant.engine.kernels.Parallel.setThreads(2);
            assertArrayEquals(one, IntegerSequential.of(cnn, x, 40, 1, 8, 8).forward(x, 40));
            assertArrayEquals(oneMlp, IntegerSequential.of(mlp, xm, 40).forward(xm, 40));
        } finally {
            octoquant.engine.kernels.Parallel.setThreads(before);
        }
    }

    /** Strides, paddings and windows other than the seed CNN's reach the integer layers (read from the layers' getters). */
    @Test
    void convAndPoolGeometryComesFromTheLayers() {
        Rng rng = new Rng(1);
        int size = 9, batch = 2;
        for (int k = 1; k <= 3; k++)
            for (int stride = 1; stride <= 2; stride++)
                for (int pad = 0; pad <= 1; pad++)
                    for (int pk = 1; pk <= 3; pk++) {
                        String what = "k " + k + " stride " + stride + " pad " + pad + " pool " + pk;
                        Conv2d conv = Conv2d.builder().in(2).out(3).kernel(k).stride(stride).padding(pad).init(rng).build();
                        int oh = conv.outputSize(size);
                        MaxPool2d pool = MaxPool2d.withStride(pk, 2);
                        int ph = pool.outputSize(oh);
                        Sequential model = new Sequential(conv, new octoquant.engine.nn.ReLU(), pool,
                                new octoquant.engine.nn.Flatten(), new Linear(3 * ph * ph, 2, rng));
                        Quantization.ptq(model.parameters(), QuantScheme.parse("int8-pc"));
                        float[] x = IntegerInferenceTest.gaussian(rng, batch * 2 * size * size, 1.0, 0.2);
                        IntegerSequential net = IntegerSequential.of(model, x, batch, 2, size, size);
                        assertArrayEquals(new int[] {3, oh, oh}, net.inputDims(1), what);
                        assertArrayEquals(new int[] {3, ph, ph}, net.inputDims(2), what);
                        float[] y = net.forward(x, batch);
                        float[] ref;
                        try (var scope = octoquant.engine.autograd.Grad.disabled()) {
                            ref = model.forward(octoquant.engine.tensor.Tensor.of(x.clone(), batch, 2, size, size)).data();
                        }
                        float scale = 0;
                        for (float v : ref) scale = Math.max(scale, Math.abs(v));
                        assertArrayEquals(ref, y, 0.05f * scale + 1e-3f, what);
                    }
    }

    @Test
    void unsupportedLayersAreNamed() {
        Sequential bad = new Sequential(new MaxPool2d(2), new octoquant.engine.nn.Flatten(), new Linear(4, 2, new Rng(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntegerSequential.of(bad, new float[16], 1, 1, 4, 4));
        assertTrue(e.getMessage().contains("MaxPool2d"), e.getMessage());
    }

    static double[] conv(float[] x, int batch, int ci, int h, int wd, float[] w, int co, float[] bias) {
        int k = 3, pad = 1; // the seed CNN's convolutions
        double[] y = new double[batch * co * h * wd];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < co; c++)
                for (int oy = 0; oy < h; oy++)
                    for (int ox = 0; ox < wd; ox++) {
                        double s = bias[c];
                        for (int i = 0; i < ci; i++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy - pad + ky, ix = ox - pad + kx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                    s += (double) x[((b * ci + i) * h + iy) * wd + ix] * w[c * ci * k * k + (i * k + ky) * k + kx];
                                }
                        y[((b * co + c) * h + oy) * wd + ox] = s;
                    }
        return y;
    }

    static double[] linear(float[] x, int batch, int in, float[] w, int out, float[] bias) {
        double[] y = new double[batch * out];
        for (int i = 0; i < batch; i++)
            for (int j = 0; j < out; j++) {
                double s = bias[j];
                for (int t = 0; t < in; t++) s += (double) x[i * in + t] * w[j * in + t];
                y[i * out + j] = s;
            }
        return y;
    }

    static float[] maxPool(float[] x, int planes, int h, int w) {
        int oh = h / 2, ow = w / 2;
        float[] y = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < 2; ky++)
                        for (int kx = 0; kx < 2; kx++) m = Math.max(m, x[(p * h + 2 * oy + ky) * w + 2 * ox + kx]);
                    y[(p * oh + oy) * ow + ox] = m;
                }
        return y;
    }
}
