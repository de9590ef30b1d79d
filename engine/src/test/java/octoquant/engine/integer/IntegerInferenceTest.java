package octoquant.engine.integer;

import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.WeightStorage;

import net.jqwik.api.*;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.util.Rng;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Integer inference against the fake-quantized float path computed in double: the same int8 input codes
 * dequantized, times the same stored weights decoded, plus the bias. Per output the difference must stay
 * within one quantization step (the accumulator's step sIn·sW for float output, the output's step for
 * int8 output).
 */
class IntegerInferenceTest {
    static float[] gaussian(Rng rng, int n, double sd, double mean) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (mean + sd * rng.nextGaussian());
        return v;
    }

    @Property(tries = 60)
    void linearAgreesWithTheFakeQuantizedPath(@ForAll("weightSchemes") String scheme, @ForAll long seed,
                                              @ForAll @IntRange(min = 1, max = 6) int batch,
                                              @ForAll @IntRange(min = 1, max = 40) int in,
                                              @ForAll @IntRange(min = 1, max = 12) int out) {
        Rng rng = new Rng(seed);
        WeightStorage w = QuantScheme.parse(scheme).newStorage(out, in, seed);
        w.encodeFrom(gaussian(rng, out * in, 0.2, 0.01));
        float[] bias = gaussian(rng, out, 0.1, 0);
        float[] x = gaussian(rng, batch * in, 1.0, 0.3);
        ActivationQuant aq = ActivationQuant.calibrate(x);
        IntegerLinear layer = new IntegerLinear(w, bias, aq);

        byte[] xq = aq.quantize(x);
        float[] xf = aq.dequantize(xq);
        float[] wf = w.decodeAll();
        double[] ref = new double[batch * out];
        for (int i = 0; i < batch; i++)
            for (int j = 0; j < out; j++) {
                double s = bias[j];
                for (int t = 0; t < in; t++) s += (double) xf[i * in + t] * wf[j * in + t];
                ref[i * out + j] = s;
            }
        float[] y = layer.forward(x, batch);
        QuantizedStorage q = (QuantizedStorage) w;
        for (int i = 0; i < batch; i++)
            for (int j = 0; j < out; j++) {
                // one product step, plus the float rounding of the output itself (a row of tiny weights
                // has a step far below the ulp of a bias-sized output)
                double step = aq.scale() * q.step(j) + 4 * Math.ulp((float) ref[i * out + j]);
                assertEquals(ref[i * out + j], y[i * out + j], step, "float output " + i + "," + j);
            }

        // int8 output for the next layer, through ReLU
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (double r : ref) {
            lo = Math.min(lo, (float) r);
            hi = Math.max(hi, (float) r);
        }
        ActivationQuant oq = ActivationQuant.fromRange(lo, hi);
        byte[] yq = layer.forwardInt8(xq, batch, oq, true);
        for (int i = 0; i < yq.length; i++) {
            double expected = Math.max(0, ref[i]);
            // the accumulator is exact; the int32 bias is rounded to the accumulator step sIn·sW and the
            // output to the output step: half of each, within one step when sIn·sW ≤ sOut (the usual case)
            double accStep = aq.scale() * q.step(i % out);
            double bound = oq.scale() / 2 + accStep / 2 + 1e-6 * Math.abs(expected);
            assertEquals(expected, oq.dequantize(yq[i]), bound, "int8 output " + i);
        }
    }

    @Provide
    Arbitrary<String> weightSchemes() {
        return Arbitraries.of("int8-pc", "int8", "int4-pc", "int8-minmax", "int8-pc-minmax", "int4-pc-minmax", "int2-pc");
    }

    @Property(tries = 30)
    void conv2dAgreesWithTheFakeQuantizedPath(@ForAll("weightSchemes") String scheme, @ForAll long seed,
                                              @ForAll @IntRange(min = 1, max = 3) int ci,
                                              @ForAll @IntRange(min = 1, max = 4) int co,
                                              @ForAll @IntRange(min = 1, max = 3) int k,
                                              @ForAll @IntRange(min = 1, max = 2) int stride,
                                              @ForAll @IntRange(min = 0, max = 1) int pad) {
        Rng rng = new Rng(seed);
        int batch = 2, h = 5 + rng.nextInt(3), wd = 4 + rng.nextInt(4);
        WeightStorage w = QuantScheme.parse(scheme).newStorage(co, ci * k * k, seed);
        w.encodeFrom(gaussian(rng, co * ci * k * k, 0.3, 0));
        float[] bias = gaussian(rng, co, 0.1, 0);
        float[] x = gaussian(rng, batch * ci * h * wd, 1.0, 0.5);
        ActivationQuant aq = ActivationQuant.calibrate(x);
        IntegerConv2d conv = new IntegerConv2d(w, bias, aq, ci, k, stride, pad);
        float[] y = conv.forward(x, batch, h, wd);

        float[] xf = aq.dequantize(aq.quantize(x));
        float[] wf = w.decodeAll();
        int oh = (h + 2 * pad - k) / stride + 1, ow = (wd + 2 * pad - k) / stride + 1;
        assertEquals(batch * co * oh * ow, y.length);
        QuantizedStorage q = (QuantizedStorage) w;
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < co; c++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        double s = bias[c];
                        for (int i = 0; i < ci; i++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                    s += (double) xf[((b * ci + i) * h + iy) * wd + ix] * wf[c * ci * k * k + (i * k + ky) * k + kx];
                                }
                        float got = y[((b * co + c) * oh + oy) * ow + ox];
                        assertEquals(s, got, aq.scale() * q.step(c), "conv output " + b + "," + c + "," + oy + "," + ox);
                    }
    }

    @Property(tries = 300)
    void requantizerRoundsTheRealProduct(@ForAll @DoubleRange(min = -20, max = 4) double log2m,
                                         @ForAll @IntRange(min = -2_000_000, max = 2_000_000) int acc) {
        double m = Math.pow(2, log2m);
        Requantizer r = new Requantizer(m);
        assertEquals(m, r.multiplier(), m * 1e-9);
        assertEquals(acc * m, r.apply(acc), 0.5 + Math.abs(acc * m) * 1e-9);
    }

    @Example
    void fixedGridWeightsAreRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IntegerLinear(QuantScheme.quant(8).newStorage(2, 2, 0), null, new ActivationQuant(1f, 0)));
        assertTrue(e.getMessage().contains("int8-pc"), e.getMessage());
    }
}
