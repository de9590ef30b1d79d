package octoquant.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import octoquant.engine.nn.Conv2d;
import octoquant.engine.nn.Flatten;
import octoquant.engine.nn.Linear;
import octoquant.engine.nn.MaxPool2d;
import octoquant.engine.nn.Module;
import octoquant.engine.nn.Sequential;

/**
 * The floating-point work of one training step per image, counted in im2col terms from a model's layer
 * shapes: every convolution and linear layer is a product of {@code M = out channels (features)},
 * {@code N = output positions}, {@code K = in channels × kernel²} (padded positions included, as im2col
 * materialises them), so {@code 2·M·N·K} flops each for the forward pass, the weight gradient and the input
 * gradient; the first weighted layer has no input gradient (nothing before it needs one, and neither
 * PyTorch nor octoquant computes it). Biases, ReLU, pooling, the loss and the optimizer are not counted
 * (they are memory-bound and small). Fast algorithms (Winograd) do fewer multiplications for the same
 * result; this count is the work they stand for, so GFLOP/s from it compare across engines.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar octoquant.bench.TrainingFlops --model mlp|cnn
 * </pre>
 *
 * prints the count layer by layer ('#' lines) and {@code flops <model> train_flop_per_image <n>}.
 */
public final class TrainingFlops {
    private TrainingFlops() {}

    /** One weighted layer's count: its GEMM {@code m × n × k} and flops per image for the three products. */
    public static final class Layer {
        public final String name;
        public final long m, n, k;
        public final long forward, weightGradient, inputGradient;

        Layer(String name, long m, long n, long k, boolean first) {
            this.name = name;
            this.m = m;
            this.n = n;
            this.k = k;
            forward = 2 * m * n * k;
            weightGradient = forward;
            inputGradient = first ? 0 : forward;
        }

        public long total() {
            return forward + weightGradient + inputGradient;
        }
    }

    /** The weighted layers of {@code net} for one input image of shape {@code [C, H, W]}. */
    public static List<Layer> layers(Sequential net, int channels, int height, int width) {
        List<Layer> out = new ArrayList<>();
        long c = channels, h = height, w = width, features = -1;
        for (Module layer : net.layers()) {
            if (layer instanceof Conv2d) {
                Conv2d conv = (Conv2d) layer;
                if (features >= 0 || conv.inChannels() != c) throw new IllegalArgumentException("a Conv2d after a flatten or on " + c + " channels: " + conv);
                h = conv.outputSize((int) h);
                w = conv.outputSize((int) w);
                out.add(new Layer("Conv2d(" + c + "->" + conv.outChannels() + ", " + conv.kernelSize() + "x" + conv.kernelSize() + ")", conv.outChannels(), h * w, c * conv.kernelSize() * conv.kernelSize(), out.isEmpty()));
                c = conv.outChannels();
            } else if (layer instanceof MaxPool2d) {
                MaxPool2d pool = (MaxPool2d) layer;
                h = pool.outputSize((int) h);
                w = pool.outputSize((int) w);
            } else if (layer instanceof Flatten) {
                features = c * h * w;
            } else if (layer instanceof Linear) {
                Linear fc = (Linear) layer;
                if (features < 0) features = c * h * w;
                if (fc.inFeatures() != features) throw new IllegalArgumentException(fc + " on " + features + " features");
                out.add(new Layer("Linear(" + features + "->" + fc.outFeatures() + ")", fc.outFeatures(), 1, features, out.isEmpty()));
                features = fc.outFeatures();
            }
            // ReLU and other element-wise layers: no GEMM, shape unchanged.
        }
        return out;
    }

    /** Flops of one training step per image (the sum of {@link #layers}). */
    public static long perImage(Sequential net, int channels, int height, int width) {
        long sum = 0;
        for (Layer l : layers(net, channels, height, width)) sum += l.total();
        return sum;
    }

    public static void main(String[] args) {
        if (args.length != 2 || !args[0].equals("--model") || !(args[1].equals("mlp") || args[1].equals("cnn"))) {
            System.err.println("TrainingFlops: usage: --model mlp|cnn");
            System.exit(2);
        }
        TrainStepFixture f = new TrainStepFixture(args[1], 1);
        int[] s = f.imageShape;
        long total = 0;
        System.out.printf(Locale.ROOT, "# %s on %dx%dx%d, im2col-equivalent flops per training image (2*m*n*k per product)%n",
                args[1], s[0], s[1], s[2]);
        for (Layer l : layers(f.net, s[0], s[1], s[2])) {
            System.out.printf(Locale.ROOT, "# %-22s m %4d n %5d k %5d: forward %,11d  weight grad %,11d  input grad %,11d%n",
                    l.name, l.m, l.n, l.k, l.forward, l.weightGradient, l.inputGradient);
            total += l.total();
        }
        System.out.println("flops " + args[1] + " train_flop_per_image " + total);
    }
}
