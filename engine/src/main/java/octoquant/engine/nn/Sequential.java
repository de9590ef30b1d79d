package octoquant.engine.nn;

import octoquant.engine.param.Parameter;

import octoquant.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied in order. Child {@code i}'s parameters are named {@code i.<name>}, exactly PyTorch's
 * {@code nn.Sequential} state_dict keys, so weights can be exchanged with PyTorch by name.
 *
 * <p>A run {@code Conv2d, ReLU, MaxPool2d} is computed by one fused op where it applies
 * ({@link Conv2d#forwardReluPool}: a 2×2 pooling with stride 2), and so is a pair {@code Linear, ReLU}
 * ({@link Linear#forwardRelu}): the same values and gradients without the intermediate outputs. The layer
 * classes are final, so the fusion cannot bypass an overridden forward. {@link #fusedRuns} names the conv
 * runs that qualify; {@link #setFusion} switches both fusions off (each layer then runs its own op).
 */
public final class Sequential extends Module {
    private final List<Module> layers;
    private boolean fusion = true;

    public Sequential(Module... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) layers[i].prefixNames(i + ".");
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        List<Tensor> intermediates = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            if (y != x) intermediates.add(y);
            Module m = layers.get(i);
            if (fusion && m instanceof Conv2d conv && i + 2 < layers.size() && layers.get(i + 1) instanceof ReLU
                    && layers.get(i + 2) instanceof MaxPool2d pool) {
                Tensor fused = conv.forwardReluPool(y, pool);
                if (fused != null) {
                    y = fused;
                    i += 2;
                    continue;
                }
            }
            if (fusion && m instanceof Linear linear && i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU) {
                y = linear.forwardRelu(y);
                i += 1;
                continue;
            }
            y = m.forward(y);
        }
        releaseIntermediates(intermediates, x, y);
        return y;
    }

    /**
     * The layers' intermediate results are seen by nothing but the graph: once it is cut, the arrays they
     * own serve the next step ({@link Tensor#releaseDataAtCut}), except one the input or the returned
     * tensor shares (a reshape, a layer that returns its input).
     */
    private static void releaseIntermediates(List<Tensor> intermediates, Tensor x, Tensor y) {
        for (Tensor t : intermediates) {
            if (t.data() != x.data() && t.data() != y.data()) t.releaseDataAtCut();
        }
    }

    /** Turns the fused conv→ReLU→pool and linear→ReLU computations on (the default) or off; values are the same either way. */
    public Sequential setFusion(boolean on) {
        this.fusion = on;
        return this;
    }

    public boolean fusion() {
        return fusion;
    }

    /**
     * The indices of the {@code Conv2d} layers that start a fusable conv→ReLU→pool run (fused when
     * {@link #fusion()} is on and the input shape allows it).
     */
    public List<Integer> fusedRuns() {
        List<Integer> runs = new ArrayList<>();
        for (int i = 0; i + 2 < layers.size(); i++) {
            if (layers.get(i) instanceof Conv2d && layers.get(i + 1) instanceof ReLU
                    && layers.get(i + 2) instanceof MaxPool2d p && p.kernel() == 2 && p.stride() == 2) {
                runs.add(i);
            }
        }
        return runs;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Module m : layers) all.addAll(m.parameters());
        return all;
    }

    @Override
    protected void prefixNames(String prefix) {
        for (Module m : layers) m.prefixNames(prefix);
    }

    @Override
    public void train(boolean on) {
        super.train(on);
        for (Module m : layers) m.train(on);
    }

    public List<Module> layers() {
        return layers;
    }

    public Module get(int i) {
        return layers.get(i);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequential(");
        for (int i = 0; i < layers.size(); i++) sb.append(i == 0 ? "" : ", ").append(i).append(": ").append(layers.get(i));
        return sb.append(')').toString();
    }
}
