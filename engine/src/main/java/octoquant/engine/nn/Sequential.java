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
 * ({@link Conv2d#forwardReluPool}): the same values and gradients without the full-size intermediate
 * outputs. The layer classes are final, so the fusion cannot bypass an overridden forward.
 */
public final class Sequential extends Module {
    private final List<Module> layers;

    public Sequential(Module... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) layers[i].prefixNames(i + ".");
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (m instanceof Conv2d conv && i + 2 < layers.size() && layers.get(i + 1) instanceof ReLU
                    && layers.get(i + 2) instanceof MaxPool2d pool) {
                Tensor fused = conv.forwardReluPool(y, pool);
                if (fused != null) {
                    y = fused;
                    i += 2;
                    continue;
                }
            }
            y = m.forward(y);
        }
        return y;
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
