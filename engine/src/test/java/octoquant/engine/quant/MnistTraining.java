package octoquant.engine.quant;

import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.UpdateStats;

import octoquant.engine.autograd.Grad;
import octoquant.engine.nn.Models;
import octoquant.engine.nn.Module;
import octoquant.engine.param.Parameter;
import octoquant.engine.ops.Losses;
import octoquant.engine.optim.Adam;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The MNIST MLP (784→128 ReLU→10) trained with Adam 1e-3, batch 64, under a scheme and training mode:
 * shared by the quantization tests and the figures of the closing note.
 */
final class MnistTraining {
    static final int BATCH = 64;
    static final double LR = 1e-3;

    private MnistTraining() {}

    /** A trained model and what its storages did. */
    record Result(Module model, List<UpdateStats> perStepUpdates, double seconds) {}

    /**
     * Trains a fresh MLP (initialised from {@code seed}) for {@code epochs} on {@code train}, with
     * {@code scheme} in {@code mode}, and leaves the parameters in the stored form ({@link Quantization#finish}).
     */
    static Result train(MnistData train, int epochs, QuantScheme scheme, TrainingMode mode, long seed) {
        long t0 = System.nanoTime();
        Module model = Models.mlp(new Rng(seed));
        List<Parameter> params = model.parameters();
        Quantization.prepare(params, scheme, mode, seed);
        Adam adam = new Adam(params, LR);
        Rng order = new Rng(seed ^ 0x5EEDL);
        int[] idx = new int[train.count()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        float[] xb = new float[BATCH * MnistData.PIXELS];
        List<UpdateStats> steps = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            order.shuffle(idx);
            for (int start = 0; start + BATCH <= idx.length; start += BATCH) { // the ragged tail is dropped
                int[] yb = new int[BATCH];
                for (int b = 0; b < BATCH; b++) {
                    int i = idx[start + b];
                    System.arraycopy(train.images(), i * MnistData.PIXELS, xb, b * MnistData.PIXELS, MnistData.PIXELS);
                    yb[b] = train.labels()[i];
                }
                adam.zeroGrad();
                Tensor loss = Losses.softmaxCrossEntropy(model.forward(Tensor.of(xb.clone(), BATCH, 1, 28, 28)), yb);
                loss.backward();
                adam.step();
                if (mode == TrainingMode.STORAGE && !scheme.isFloat()) steps.add(Quantization.lastUpdate(params));
            }
        }
        Quantization.finish(params, scheme, mode, seed);
        return new Result(model, steps, (System.nanoTime() - t0) / 1e9);
    }

    /** Test accuracy in percent. */
    static double accuracy(Module model, MnistData test) {
        model.eval();
        int correct = 0, chunk = 1000;
        try (Grad.Scope off = Grad.disabled()) {
            for (int start = 0; start < test.count(); start += chunk) {
                int n = Math.min(chunk, test.count() - start);
                float[] x = Arrays.copyOfRange(test.images(), start * MnistData.PIXELS, (start + n) * MnistData.PIXELS);
                float[] logits = model.forward(Tensor.of(x, n, 1, 28, 28)).data();
                for (int i = 0; i < n; i++) if (argmax(logits, i * 10, 10) == test.labels()[start + i]) correct++;
            }
        }
        model.train(true);
        return 100.0 * correct / test.count();
    }

    static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (v[off + i] > v[off + best]) best = i;
        return best;
    }

    /** A fresh MLP holding a copy of {@code source}'s current values in fp32 storage. */
    static Module copyOf(Module source, long seed) {
        Module m = Models.mlp(new Rng(seed));
        List<Parameter> from = source.parameters(), to = m.parameters();
        for (int i = 0; i < from.size(); i++) to.get(i).storage().encodeFrom(from.get(i).storage().decodeAll());
        return m;
    }

    /** Bytes of the weight matrices only (biases are fp32 in every scheme). */
    static long weightBytes(Module model) {
        long b = 0;
        for (Parameter p : model.parameters()) if (!Quantization.isBias(p)) b += p.storage().sizeInBytes();
        return b;
    }
}
