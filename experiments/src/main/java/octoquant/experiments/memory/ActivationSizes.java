package octoquant.experiments.memory;

import octoquant.engine.nn.Conv2d;
import octoquant.engine.nn.Flatten;
import octoquant.engine.nn.Linear;
import octoquant.engine.nn.MaxPool2d;
import octoquant.engine.nn.Module;
import octoquant.engine.nn.ReLU;
import octoquant.engine.nn.Sequential;

import java.util.List;

/**
 * The floats one example keeps in memory while it goes through a model, layer by layer, derived from the
 * layers' geometry. Training (the autograd graph lives until backward is done):
 * <ul>
 *   <li>the input twice (the batch as the loader hands it, and as the model reads it);</li>
 *   <li>each layer's output and that output's gradient; a pooling's winners too;</li>
 *   <li>a convolution that unfolds its input (im2col: fewer than {@link #WINOGRAD_MIN_CHANNELS} input
 *       channels; wider ones run as Winograd and unfold nothing) keeps its columns, {@code CI·K·K × OH·OW};</li>
 *   <li>a fused conv→ReLU→2×2-pool run ({@link Sequential#fusedRuns()}) keeps only the pooled output, its
 *       gradient, its winners and the columns: the full-size convolution and ReLU outputs never exist;</li>
 *   <li>a fused Linear→ReLU pair (fusion on) keeps one output and its gradient: the ReLU is applied in
 *       place on the product.</li>
 * </ul>
 * Evaluation (no graph): the input twice and each layer's output. The bytes a batch needs are these counts
 * times 4 times the factor calibrated in {@link MemoryEstimate}.
 */
public final class ActivationSizes {
    /** The engine's rule for Winograd convolutions (its {@code octoquant.conv.winogradMinChannels}). */
    static final int WINOGRAD_MIN_CHANNELS = Integer.getInteger("octoquant.conv.winogradMinChannels", 16);

    private ActivationSizes() {}

    /** Floats per example while training {@code model} on inputs of {@code channels × height × width}. */
    public static long training(Sequential model, int channels, int height, int width) {
        return walk(model, channels, height, width, true);
    }

    /** Floats per example while evaluating (no autograd graph). */
    public static long evaluation(Sequential model, int channels, int height, int width) {
        return walk(model, channels, height, width, false);
    }

    private static long walk(Sequential model, int channels, int height, int width, boolean training) {
        long total = 2L * channels * height * width;
        int g = training ? 2 : 1; // an output, and in training its gradient
        List<Module> layers = model.layers();
        List<Integer> fused = model.fusion() ? model.fusedRuns() : List.of();
        int c = channels, h = height, w = width;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (m instanceof Conv2d conv) {
                int oh = conv.outputSize(h), ow = conv.outputSize(w);
                long columns = conv.inChannels() < WINOGRAD_MIN_CHANNELS
                        ? (long) conv.inChannels() * conv.kernelSize() * conv.kernelSize() * oh * ow : 0;
                if (training) total += columns;
                c = conv.outChannels();
                h = oh;
                w = ow;
                if (fused.contains(i)) {
                    MaxPool2d pool = (MaxPool2d) layers.get(i + 2);
                    h = pool.outputSize(h);
                    w = pool.outputSize(w);
                    total += (long) (g + (training ? 1 : 0)) * c * h * w; // pooled values (+ gradient, winners)
                    i += 2;
                } else {
                    total += (long) g * c * h * w;
                }
            } else if (m instanceof MaxPool2d pool) {
                h = pool.outputSize(h);
                w = pool.outputSize(w);
                total += (long) (g + (training ? 1 : 0)) * c * h * w;
            } else if (m instanceof ReLU) {
                total += (long) g * c * h * w;
            } else if (m instanceof Flatten) {
                c = c * h * w;
                h = 1;
                w = 1;
            } else if (m instanceof Linear lin) {
                c = lin.outFeatures();
                h = 1;
                w = 1;
                total += (long) g * c;
                if (model.fusion() && i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU) i += 1;
            } else {
                throw new IllegalArgumentException("no size rule for layer " + m.getClass().getSimpleName());
            }
        }
        return total;
    }
}
