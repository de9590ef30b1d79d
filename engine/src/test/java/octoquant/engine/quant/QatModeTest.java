package octoquant.engine.quant;

import octoquant.engine.storage.FloatStorage;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.FakeQuantView;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.RoundingMode;
import octoquant.engine.storage.ScalePolicy;
import octoquant.engine.storage.WeightStorage;

import octoquant.engine.param.Parameter;
import octoquant.engine.param.ParameterMode;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class QatModeTest {
    static Parameter weight(int rows, int cols, long seed) {
        FloatStorage s = new FloatStorage(rows, cols);
        Rng rng = new Rng(seed);
        float[] v = s.floatView();
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * 0.3);
        return new Parameter("w", new int[] {rows, cols}, s);
    }

    @Test
    void shadowIsEncodedOncePerStepAndFollowsTheMaster() {
        Parameter p = weight(4, 6, 1);
        QatMode qat = new QatMode(QuantScheme.parse("int4-pc"), 7);
        p.setMode(qat);
        WeightStorage forward = p.computeWeights();
        WeightStorage backward = p.computeWeights();
        assertSame(forward, backward);
        assertEquals(1, qat.encodeCount(), "forward and backward of one step share one encode");
        QuantizedStorage expected = new QuantizedStorage(4, 6, 4, ScalePolicy.MAXABS, true, RoundingMode.NEAREST_EVEN, 0);
        expected.encodeFrom(p.storage().decodeAll());
        assertArrayEquals(expected.decodeAll(), forward.decodeAll());
        assertInstanceOf(FloatStorage.class, p.storage(), "the master stays fp32");

        p.prepareGradient();
        float[] delta = new float[24];
        delta[5] = 0.2f;
        p.storage().applyUpdate(delta);
        float[] after = p.computeWeights().decodeAll();
        p.computeWeights();
        assertEquals(2, qat.encodeCount());
        expected.encodeFrom(p.storage().decodeAll());
        assertArrayEquals(expected.decodeAll(), after);
    }

    @Test
    void masterChangesWithoutAStepAreSeenThroughTheVersion() {
        Parameter p = weight(2, 3, 2);
        QatMode qat = new QatMode(QuantScheme.quant(8), 0);
        p.setMode(qat);
        p.computeWeights();
        p.storage().encodeFrom(new float[] {0.75f, 0, 0, 0, 0, 0});
        assertEquals(191, ((FakeQuantView) p.computeWeights()).code(0));
        assertEquals(2, qat.encodeCount());
    }

    @Test
    void steIsTheIdentityWhereNothingIsClipped() {
        for (String scheme : new String[] {"quant8", "octal8", "int8-pc", "int4-pc", "int4-minmax", "int2"}) {
            Parameter p = weight(5, 7, 3);
            p.setMode(new QatMode(QuantScheme.parse(scheme), 0));
            p.computeWeights();
            float[] g = p.grad();
            for (int i = 0; i < g.length; i++) g[i] = i - 17f;
            float[] before = g.clone();
            p.prepareGradient();
            assertArrayEquals(before, p.grad(), scheme + ": calibrated from the master, nothing clips");
        }
    }

    @Test
    void steMasksExactlyTheClampedWeightsAtAFrozenScale() {
        // int4 maxabs calibrated on max |w| = 0.7: step 0.1, last code 7 (0.7)
        float[] init = {0.7f, -0.3f, 0.2f, 0.1f};
        Parameter p = new Parameter("w", new int[] {1, 4}, new FloatStorage(1, 4, init.clone()));
        QatMode qat = new QatMode(QuantScheme.parse("int4"), 0, true);
        p.setMode(qat);
        p.computeWeights();
        p.prepareGradient();
        // grow: 0.74 rounds to code 7.4 → 7, inside (passes); 0.76 → 8 clamps; −0.9 → −9 clamps
        p.storage().encodeFrom(new float[] {0.74f, -0.9f, 0.76f, 0.1f});
        FakeQuantView shadow = (FakeQuantView) p.computeWeights();
        assertEquals(0.1, shadow.step(0), 1e-7, "frozen step");
        assertEquals(2, qat.clippedCount());
        assertArrayEquals(new long[] {7, -7, 7, 1}, new long[] {shadow.code(0), shadow.code(1), shadow.code(2), shadow.code(3)});
        java.util.Arrays.fill(p.grad(), 1f);
        p.prepareGradient();
        assertArrayEquals(new float[] {1f, 0f, 0f, 1f}, p.grad());

        // without freezing, the same master recalibrates and nothing is masked
        Parameter q = new Parameter("w", new int[] {1, 4}, new FloatStorage(1, 4, new float[] {0.74f, -0.9f, 0.76f, 0.1f}));
        q.setMode(new QatMode(QuantScheme.parse("int4"), 0));
        q.computeWeights();
        java.util.Arrays.fill(q.grad(), 1f);
        q.prepareGradient();
        assertArrayEquals(new float[] {1f, 1f, 1f, 1f}, q.grad());
    }

    @Test
    void prepareQuantizesWeightsOnlyAndFinishLeavesTheStoredForm() {
        Parameter w = weight(3, 4, 5);
        Parameter b = new Parameter("b", new int[] {3}, new FloatStorage(1, 3, new float[] {0.1f, 0.2f, 0.3f}));
        List<Parameter> params = List.of(w, b);

        List<Parameter> touched = Quantization.prepare(params, QuantScheme.quant(8), TrainingMode.STORAGE, 1);
        assertEquals(List.of(w), touched);
        assertInstanceOf(QuantizedStorage.class, w.storage());
        assertInstanceOf(FloatStorage.class, b.storage(), "biases stay fp32 unless asked");

        Parameter w2 = weight(3, 4, 5);
        Quantization.prepare(List.of(w2), QuantScheme.parse("int8-pc"), TrainingMode.QAT, 1);
        assertInstanceOf(QatMode.class, w2.mode());
        float[] trained = w2.computeWeights().decodeAll();
        Quantization.finish(List.of(w2), QuantScheme.parse("int8-pc"), TrainingMode.QAT, 1);
        assertSame(ParameterMode.DIRECT, w2.mode());
        assertArrayEquals(trained, w2.storage().decodeAll());

        Parameter w3 = weight(3, 4, 5);
        float[] fp = w3.storage().decodeAll();
        Quantization.ptq(List.of(w3), QuantScheme.parse("int8-pc"));
        QuantizedStorage q = (QuantizedStorage) w3.storage();
        float[] d = q.decodeAll();
        for (int i = 0; i < fp.length; i++) assertEquals(fp[i], d[i], q.step(i / 4) / 2 + 1e-7);
        assertEquals(16 + 12, Quantization.weightBytes(List.of(w3)), "96 bits of codes in 2 words, 3 fp32 scales");
    }
}
