package octoquant.engine.nn;

import octoquant.engine.param.Parameter;

import octoquant.engine.ops.Losses;
import octoquant.engine.optim.Adam;
import octoquant.engine.optim.Optimizer;
import octoquant.engine.optim.Sgd;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Agreement with PyTorch on both reference models: logits, loss and every gradient for a fixed batch,
 * and (MLP) the weights after two Adam and two SGD-Nesterov steps, from fixtures written by
 * {@code bench/torch/golden.py} into {@code src/test/resources/golden/{mlp,cnn}}.
 *
 * <p>Criterion: {@code |engine − torch| ≤ 1e-4 · (|torch| + rms(torch tensor))} element by element — 1e-4
 * relative, with the tensor's own RMS as the scale below which an element counts as "near zero" (float
 * sums that cancel to almost nothing carry an absolute error set by the terms, not by the result).
 */
class GoldenPyTorchTest {
    private static final double RTOL = 1e-4;
    /** The fixture directory on the test class path (src/test/resources/golden/MODEL), or null if absent. */
    private static GoldenTensors fixtures(String model) throws IOException {
        URL dirUrl = GoldenPyTorchTest.class.getResource("/golden/" + model);
        // The fixtures are committed: their absence is a broken checkout, not a reason to skip.
        assertNotNull(dirUrl,
                "no PyTorch fixtures golden/" + model + " on the test class path (regenerate them with bench/torch/golden.py)");
        try {
            return GoldenTensors.load(Path.of(dirUrl.toURI()));
        } catch (URISyntaxException e) {
            throw new IOException("fixture location " + dirUrl, e);
        }
    }

    static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": element count");
        double sq = 0;
        for (float e : expected) sq += (double) e * e;
        double rms = Math.sqrt(sq / Math.max(1, expected.length));
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) actual[i] - expected[i]);
            double allowed = RTOL * (Math.abs(expected[i]) + rms);
            if (err / allowed > worst) {
                worst = err / allowed;
                worstAt = i;
            }
        }
        if (worst > 1) {
            fail(String.format(Locale.ROOT, "%s: element %d is %.8g, PyTorch has %.8g (%.2f× the allowed error; rms %.3g)",
                    what, worstAt, actual[worstAt], expected[worstAt], worst, rms));
        }
    }

    /** Builds the model for the fixture's input shape and loads PyTorch's initial weights into it. */
    private static Sequential modelWithTorchWeights(GoldenTensors g, Function<int[], Sequential> build) {
        Sequential model = build.apply(g.get("input").dims());
        for (Parameter p : model.parameters()) {
            GoldenTensors.Entry e = g.get("param." + p.name());
            assertArrayEquals(p.shape(), e.dims(), "shape of " + p.name());
            p.storage().encodeFrom(e.f32().clone());
        }
        return model;
    }

    private static Tensor input(GoldenTensors g) {
        return Tensor.of(g.f32("input").clone(), g.get("input").dims());
    }

    private static void checkForwardAndGradients(GoldenTensors g, Sequential model, String label) {
        Tensor logits = model.forward(input(g));
        assertClose(label + " logits", g.f32("logits"), logits.data());
        Tensor loss = Losses.softmaxCrossEntropy(logits, g.labels("labels"));
        assertClose(label + " loss", g.f32("loss"), loss.data());
        model.zeroGrad();
        loss.backward();
        for (Parameter p : model.parameters()) assertClose(label + " grad." + p.name(), g.f32("grad." + p.name()), p.grad());
    }

    @Test
    void mlpMatchesPyTorch() throws IOException {
        GoldenTensors g = fixtures("mlp");
        checkForwardAndGradients(g, modelWithTorchWeights(g, dims -> Models.mlp(new Rng(0))), "mlp");
    }

    @Test
    void cnnMatchesPyTorch() throws IOException {
        GoldenTensors g = fixtures("cnn");
        checkForwardAndGradients(g, modelWithTorchWeights(g, dims -> Models.seedCnn(new Rng(0), dims[1], dims[2], dims[3])), "cnn");
    }

    private static void checkTwoSteps(GoldenTensors g, String prefix, Function<Sequential, Optimizer> make) {
        Sequential model = modelWithTorchWeights(g, dims -> Models.mlp(new Rng(0)));
        Optimizer opt = make.apply(model);
        int[] labels = g.labels("labels");
        float[] losses = new float[2];
        for (int step = 0; step < 2; step++) {
            opt.zeroGrad();
            Tensor loss = Losses.softmaxCrossEntropy(model.forward(input(g)), labels);
            losses[step] = loss.item();
            loss.backward();
            opt.step();
        }
        // The loss before each step: the second one already shows the first update.
        if (g.has(prefix + "loss")) assertClose("mlp " + prefix + "loss", g.f32(prefix + "loss"), losses);
        for (Parameter p : model.parameters()) {
            assertClose("mlp " + prefix + p.name(), g.f32(prefix + p.name()), p.storage().decodeAll());
        }
    }

    @Test
    void mlpAdamTwoStepsMatchPyTorch() throws IOException {
        GoldenTensors g = fixtures("mlp");
        checkTwoSteps(g, "adam.", m -> new Adam(m.parameters(), 1e-3));
    }

    @Test
    void mlpSgdNesterovTwoStepsMatchPyTorch() throws IOException {
        GoldenTensors g = fixtures("mlp");
        checkTwoSteps(g, "sgd.", m -> new Sgd(m.parameters(), 0.1, 0.9, 0, 1e-4, true));
    }
}
