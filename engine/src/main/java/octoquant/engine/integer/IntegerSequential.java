package octoquant.engine.integer;

import octoquant.engine.nn.Conv2d;
import octoquant.engine.nn.Flatten;
import octoquant.engine.nn.Linear;
import octoquant.engine.nn.MaxPool2d;
import octoquant.engine.nn.Module;
import octoquant.engine.nn.ReLU;
import octoquant.engine.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * Integer inference of a trained {@link Sequential} of {@link Conv2d}, {@link MaxPool2d}, {@link Flatten},
 * {@link Linear} and {@link ReLU} (the MNIST MLP, the seed's CNN): the input and every hidden activation
 * are int8, each ReLU is fused into the int8 output of the layer before it, max-pooling works on the
 * codes (exact, {@link IntegerMaxPool}), Flatten is free (NCHW is already C·H·W-major), and the last
 * layer gives float outputs. Activation ranges are calibrated by running the layers on calibration
 * inputs. The weights must already be stored in an int8-or-narrower maxabs/minmax scheme (e.g. after
 * {@code Quantization.ptq(..., int8-pc)}).
 */
public final class IntegerSequential {
    /** One layer of the integer pipeline, on int8 codes of per-sample shape (c, h, w). */
    private sealed interface Stage permits ConvStage, PoolStage, LinearStage {}

    private record ConvStage(IntegerConv2d conv, boolean relu) implements Stage {}

    private record PoolStage(int kernel, int stride) implements Stage {}

    private record LinearStage(IntegerLinear linear, boolean relu) implements Stage {}

    private final List<Stage> stages;
    private final List<ActivationQuant> outputs; // int8 output quantization of every Conv/Linear but the last
    private final ActivationQuant input;
    private final int channels, height, width;

    private IntegerSequential(List<Stage> stages, List<ActivationQuant> outputs, ActivationQuant input,
                              int channels, int height, int width) {
        this.stages = stages;
        this.outputs = outputs;
        this.input = input;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /**
     * For a model whose input is flat ({@code [Flatten,] Linear ...}).
     *
     * @param calibration {@code count × features} float inputs used to pick the activation ranges
     */
    public static IntegerSequential of(Sequential model, float[] calibration, int count) {
        for (Module m : model.layers()) {
            if (m instanceof Linear l) return of(model, calibration, count, l.inFeatures(), 1, 1);
            if (!(m instanceof Flatten)) break;
        }
        throw new IllegalArgumentException("IntegerSequential: a flat-input model starts with [Flatten,] Linear; got "
                + model + " (for a convolutional model pass the input's channels, height and width)");
    }

    /**
     * @param calibration {@code count × channels × height × width} float inputs (NCHW) used to pick the
     *                    activation ranges
     */
    public static IntegerSequential of(Sequential model, float[] calibration, int count, int channels, int height, int width) {
        if (calibration.length != count * channels * height * width) {
            throw new IllegalArgumentException("IntegerSequential: calibration has " + calibration.length + " values, not "
                    + count + "x" + channels + "x" + height + "x" + width);
        }
        ActivationQuant in = ActivationQuant.calibrate(calibration);
        ActivationQuant firstIn = in;
        List<Stage> stages = new ArrayList<>();
        List<ActivationQuant> outs = new ArrayList<>();
        float[] act = calibration; // float activations on the calibration set, which set the next ranges
        int c = channels, h = height, w = width;
        List<Module> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            boolean relu = i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU;
            boolean last = lastWeighted(layers, i);
            if (m instanceof Conv2d conv) {
                int[] shape = conv.weight().shape(); // [out, in, k, k]
                if (shape[1] != c) throw new IllegalArgumentException("IntegerSequential: " + conv + " gets " + c + " channels");
                float[] bias = conv.bias() == null ? null : conv.bias().storage().decodeAll();
                IntegerConv2d ic = new IntegerConv2d(conv.weight().storage(), bias, in, c, conv.kernelSize(),
                        conv.stride(), conv.padding());
                stages.add(new ConvStage(ic, relu));
                act = ic.forward(act, count, h, w);
                c = shape[0];
                h = ic.outputSize(h);
                w = ic.outputSize(w);
            } else if (m instanceof Linear l) {
                if (l.inFeatures() != c * h * w) {
                    throw new IllegalArgumentException("IntegerSequential: " + l + " gets " + c + "x" + h + "x" + w + " features");
                }
                float[] bias = l.bias() == null ? null : l.bias().storage().decodeAll();
                IntegerLinear il = new IntegerLinear(l.weight().storage(), bias, in);
                stages.add(new LinearStage(il, relu));
                act = il.forward(act, count);
                c = l.outFeatures();
                h = w = 1;
            } else if (m instanceof MaxPool2d pool) {
                if (stages.isEmpty()) throw new IllegalArgumentException("IntegerSequential: a MaxPool2d before the first Conv2d/Linear is not supported");
                int k = pool.kernel(), stride = pool.stride();
                stages.add(new PoolStage(k, stride));
                act = floatMaxPool(act, count * c, h, w, k, stride);
                h = IntegerMaxPool.outputSize(h, k, stride);
                w = IntegerMaxPool.outputSize(w, k, stride);
                continue;
            } else if (m instanceof Flatten) {
                c = c * h * w;
                h = w = 1;
                continue;
            } else if (m instanceof ReLU && i > 0 && (layers.get(i - 1) instanceof Conv2d || layers.get(i - 1) instanceof Linear)) {
                continue; // fused into the layer before
            } else {
                throw new IllegalArgumentException("IntegerSequential supports Conv2d [ReLU], MaxPool2d, Flatten, Linear [ReLU]; cannot convert "
                        + m + (m instanceof ReLU ? " (a ReLU must follow a Conv2d or Linear)" : ""));
            }
            if (relu) for (int k = 0; k < act.length; k++) act[k] = Math.max(0, act[k]);
            if (!last) {
                in = ActivationQuant.calibrate(act);
                outs.add(in);
            }
        }
        if (stages.isEmpty() || stages.get(stages.size() - 1) instanceof PoolStage) {
            throw new IllegalArgumentException("IntegerSequential: " + model + " must end with a Conv2d or Linear layer (optionally ReLU)");
        }
        return new IntegerSequential(stages, outs, firstIn, channels, height, width);
    }

    /** Float outputs of the last layer for {@code batch} float inputs (NCHW, or flat features). */
    public float[] forward(float[] x, int batch) {
        List<byte[]> trace = forwardTrace(x, batch);
        Stage lastStage = stages.get(stages.size() - 1);
        byte[] a = trace.get(trace.size() - 1);
        int[] dims = inputDims(stages.size() - 1);
        float[] y = lastStage instanceof ConvStage cs
                ? cs.conv().forwardQuantized(a, batch, dims[1], dims[2])
                : ((LinearStage) lastStage).linear().forwardQuantized(a, batch);
        boolean relu = lastStage instanceof ConvStage cs2 ? cs2.relu() : ((LinearStage) lastStage).relu();
        if (relu) for (int k = 0; k < y.length; k++) y[k] = Math.max(0, y[k]);
        return y;
    }

    /**
     * The int8 codes entering each stage (index k = input of stage k; the last entry is the input of the
     * final layer). For tests that check each layer against its fake-quantized float reference.
     */
    List<byte[]> forwardTrace(float[] x, int batch) {
        if (x.length != batch * channels * height * width) {
            throw new IllegalArgumentException("IntegerSequential: input of " + x.length + " values is not "
                    + batch + "x" + channels + "x" + height + "x" + width);
        }
        List<byte[]> trace = new ArrayList<>();
        byte[] a = input.quantize(x);
        trace.add(a);
        int out = 0;
        for (int s = 0; s + 1 < stages.size(); s++) {
            int[] d = inputDims(s);
            Stage st = stages.get(s);
            if (st instanceof ConvStage cs) {
                a = cs.conv().forwardInt8(a, batch, d[1], d[2], outputs.get(out++), cs.relu());
            } else if (st instanceof LinearStage ls) {
                a = ls.linear().forwardInt8(a, batch, outputs.get(out++), ls.relu());
            } else {
                PoolStage ps = (PoolStage) st;
                a = IntegerMaxPool.forward(a, batch, d[0], d[1], d[2], ps.kernel(), ps.stride());
            }
            trace.add(a);
        }
        return trace;
    }

    /** Number of stages (Conv2d, MaxPool2d and Linear layers). */
    int stageCount() {
        return stages.size();
    }

    /** Per-sample (c, h, w) entering stage {@code s}. */
    int[] inputDims(int s) {
        int c = channels, h = height, w = width;
        for (int k = 0; k < s; k++) {
            Stage st = stages.get(k);
            if (st instanceof ConvStage cs) {
                c = cs.conv().outChannels();
                h = cs.conv().outputSize(h);
                w = cs.conv().outputSize(w);
            } else if (st instanceof LinearStage ls) {
                c = ls.linear().outFeatures();
                h = w = 1;
            } else {
                PoolStage ps = (PoolStage) st;
                h = IntegerMaxPool.outputSize(h, ps.kernel(), ps.stride());
                w = IntegerMaxPool.outputSize(w, ps.kernel(), ps.stride());
            }
        }
        return new int[] {c, h, w};
    }

    /** The int8 quantization of the codes entering stage {@code s} (a pool passes its input's through). */
    ActivationQuant inputQuant(int s) {
        Stage st = stages.get(s);
        if (st instanceof ConvStage cs) return cs.conv().inputQuant();
        if (st instanceof LinearStage ls) return ls.linear().inputQuant();
        return inputQuant(s + 1);
    }

    /** Whether no Conv2d or Linear follows layer {@code i}. */
    private static boolean lastWeighted(List<Module> layers, int i) {
        for (int k = i + 1; k < layers.size(); k++) {
            if (layers.get(k) instanceof Conv2d || layers.get(k) instanceof Linear) return false;
        }
        return true;
    }

    private static float[] floatMaxPool(float[] x, int planes, int h, int w, int kernel, int stride) {
        int oh = IntegerMaxPool.outputSize(h, kernel, stride), ow = IntegerMaxPool.outputSize(w, kernel, stride);
        float[] y = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++) m = Math.max(m, x[(p * h + oy * stride + ky) * w + ox * stride + kx]);
                    y[(p * oh + oy) * ow + ox] = m;
                }
        return y;
    }
}
