package octoquant.engine.nn;

import octoquant.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied in order. Child {@code i}'s parameters are named {@code i.<name>}, exactly PyTorch's
 * {@code nn.Sequential} state_dict keys, so weights can be exchanged with PyTorch by name.
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
        for (Module m : layers) y = m.forward(y);
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
