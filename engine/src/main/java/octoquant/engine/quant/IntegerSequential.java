package octoquant.engine.quant;

import octoquant.engine.nn.Flatten;
import octoquant.engine.nn.Linear;
import octoquant.engine.nn.Module;
import octoquant.engine.nn.ReLU;
import octoquant.engine.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * Integer inference of a trained {@link Sequential} of {@link Flatten}, {@link Linear} and {@link ReLU}
 * (the MNIST MLP): the input and every hidden activation are int8, each ReLU is fused into the int8
 * output of the layer before it, and the last layer gives float logits. Activation ranges are
 * calibrated by running the float model on calibration inputs. The weights must already be stored in
 * an int8-or-narrower maxabs/minmax scheme (e.g. after {@code Quantization.ptq(..., int8-pc)}).
 */
public final class IntegerSequential {
    private final List<IntegerLinear> layers;
    private final List<ActivationQuant> outputs; // int8 output quantization of every layer but the last
    private final List<Boolean> relu;
    private final int inFeatures;

    private IntegerSequential(List<IntegerLinear> layers, List<ActivationQuant> outputs, List<Boolean> relu, int inFeatures) {
        this.layers = layers;
        this.outputs = outputs;
        this.relu = relu;
        this.inFeatures = inFeatures;
    }

    /**
     * @param calibration {@code count × features} float inputs used to pick the activation ranges
     */
    public static IntegerSequential of(Sequential model, float[] calibration, int count) {
        List<Linear> linears = new ArrayList<>();
        List<Boolean> relu = new ArrayList<>();
        for (Module m : model.layers()) {
            if (m instanceof Linear l) {
                linears.add(l);
                relu.add(false);
            } else if (m instanceof ReLU && !linears.isEmpty() && !relu.get(relu.size() - 1)) {
                relu.set(relu.size() - 1, true);
            } else if (!(m instanceof Flatten && linears.isEmpty())) {
                throw new IllegalArgumentException("IntegerSequential supports [Flatten,] Linear [ReLU] ...; cannot convert " + m);
            }
        }
        if (linears.isEmpty()) throw new IllegalArgumentException("IntegerSequential: no Linear layer in " + model);
        int features = linears.get(0).inFeatures();
        if (calibration.length != count * features) {
            throw new IllegalArgumentException("IntegerSequential: calibration has " + calibration.length + " values, not " + count + "x" + features);
        }
        List<IntegerLinear> layers = new ArrayList<>();
        List<ActivationQuant> outs = new ArrayList<>();
        float[] act = calibration;
        ActivationQuant in = ActivationQuant.calibrate(act);
        for (int i = 0; i < linears.size(); i++) {
            Linear l = linears.get(i);
            float[] bias = l.bias() == null ? null : l.bias().storage().decodeAll();
            IntegerLinear il = new IntegerLinear(l.weight().storage(), bias, in);
            layers.add(il);
            if (i + 1 < linears.size()) {
                // the float activations of this layer on the calibration set give the next input range
                act = il.forward(act, count);
                if (relu.get(i)) for (int k = 0; k < act.length; k++) act[k] = Math.max(0, act[k]);
                in = ActivationQuant.calibrate(act);
                outs.add(in);
            }
        }
        return new IntegerSequential(layers, outs, relu, features);
    }

    /** Float logits for {@code batch} float inputs. */
    public float[] forward(float[] x, int batch) {
        if (x.length != batch * inFeatures) {
            throw new IllegalArgumentException("IntegerSequential: input of " + x.length + " values is not " + batch + "x" + inFeatures);
        }
        byte[] a = layers.get(0).inputQuant().quantize(x);
        for (int i = 0; i + 1 < layers.size(); i++) a = layers.get(i).forwardInt8(a, batch, outputs.get(i), relu.get(i));
        float[] y = layers.get(layers.size() - 1).forwardQuantized(a, batch);
        if (relu.get(layers.size() - 1)) for (int k = 0; k < y.length; k++) y[k] = Math.max(0, y[k]);
        return y;
    }
}
