package octoquant.engine.quant;

import octoquant.engine.integer.IntegerSequential;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;

import octoquant.engine.nn.Module;
import octoquant.engine.param.Parameter;
import octoquant.engine.nn.Sequential;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Quantization on real MNIST (784→128 ReLU→10, Adam 1e-3, batch 64, 3 epochs): per-channel 8-bit maxabs
 * PTQ stays within 0.3 points of the float model, 4-bit per-channel QAT within 1.5 points, and integer
 * inference of the PTQ model agrees with its weight-only (fake-quantized) path. One float model is
 * trained for the whole class.
 */
class MnistQuantTest {
    static final int EPOCHS = 3;
    static final long SEED = 11;
    static MnistData train, test;
    static Module floatModel;
    static double floatAccuracy;

    @BeforeAll
    static void trainFloat() {
        train = MnistData.train();
        test = MnistData.test();
        floatModel = MnistTraining.train(train, EPOCHS, QuantScheme.FLOAT, TrainingMode.PTQ, SEED).model();
        floatAccuracy = MnistTraining.accuracy(floatModel, test);
        assertTrue(floatAccuracy > 97, "float MLP " + floatAccuracy);
    }

    @Test
    void perChannelEightBitPtqStaysWithinATenthOfAPoint() {
        Module m = MnistTraining.copyOf(floatModel, SEED);
        Quantization.ptq(m.parameters(), QuantScheme.parse("int8-pc"));
        double acc = MnistTraining.accuracy(m, test);
        System.out.printf("MNIST float %.2f%%, int8-pc ptq %.2f%%%n", floatAccuracy, acc);
        assertEquals(floatAccuracy, acc, 0.3);
        assertInstanceOf(QuantizedStorage.class, m.parameters().get(0).storage());
        // 100,352 codes of 8 bits + 128 scales, and 1,280 codes + 10 scales: a quarter of fp32
        assertEquals(8 * ((100_352L * 8 + 63) / 64) + 4 * 128 + 8 * ((1_280L * 8 + 63) / 64) + 4 * 10,
                MnistTraining.weightBytes(m));
    }

    @Test
    void fourBitPerChannelQatStaysWithinOneAndAHalfPoints() {
        MnistTraining.Result r = MnistTraining.train(train, EPOCHS, QuantScheme.parse("int4-pc"), TrainingMode.QAT, SEED);
        double acc = MnistTraining.accuracy(r.model(), test);
        System.out.printf("MNIST float %.2f%%, int4-pc qat %.2f%% (%.1f s)%n", floatAccuracy, acc, r.seconds());
        QuantizedStorage w = (QuantizedStorage) r.model().parameters().get(0).storage();
        assertEquals(4, w.bits());
        assertTrue(w.perChannel());
        assertEquals(floatAccuracy, acc, 1.5);
    }

    @Test
    void integerInferenceAgreesWithTheWeightOnlyPath() {
        Module m = MnistTraining.copyOf(floatModel, SEED);
        Quantization.ptq(m.parameters(), QuantScheme.parse("int8-pc"));
        // activation ranges calibrated on 1,000 training images, as a deployment would
        IntegerSequential integer = IntegerSequential.of((Sequential) m,
                Arrays.copyOf(train.images(), 1000 * MnistData.PIXELS), 1000);
        int n = test.count();
        float[] logits = integer.forward(test.images(), n);
        float[] ref = m.forward(octoquant.engine.tensor.Tensor.of(test.images().clone(), n, 1, 28, 28)).data();
        int agree = 0, correct = 0;
        for (int i = 0; i < n; i++) {
            int a = MnistTraining.argmax(logits, i * 10, 10);
            if (a == MnistTraining.argmax(ref, i * 10, 10)) agree++;
            if (a == test.labels()[i]) correct++;
        }
        double acc = 100.0 * correct / n;
        System.out.printf("integer inference (int8 activations and weights): %d/%d predictions as the weight-only "
                + "int8 path, accuracy %.2f%% (float %.2f%%)%n", agree, n, acc, floatAccuracy);
        assertTrue(agree >= 0.99 * n, agree + " of " + n);
        assertEquals(floatAccuracy, acc, 0.5);
    }

    static float[] bias(Parameter p) {
        return p == null ? null : p.storage().decodeAll();
    }
}
