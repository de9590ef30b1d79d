package octoquant.engine.nn;

import octoquant.engine.param.Parameter;

import octoquant.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or a composition of layers: a forward pass, named parameters in PyTorch's {@code state_dict}
 * order, and a train/eval flag. Parameter names follow PyTorch's keys, e.g. {@code 1.weight} for the
 * weight of the second layer of a {@link Sequential}.
 */
public abstract class Module {
    private boolean training = true;

    public abstract Tensor forward(Tensor x);

    /** This module's parameters, in {@code state_dict} order. */
    public List<Parameter> parameters() {
        return List.of();
    }

    /** The parameters keyed by their names, in order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> map = new LinkedHashMap<>();
        for (Parameter p : parameters()) map.put(p.name(), p);
        return map;
    }

    /** The parameter with this name, or an IllegalArgumentException listing the names there are. */
    public final Parameter parameter(String name) {
        Parameter p = namedParameters().get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' in " + getClass().getSimpleName()
                    + "; parameters are " + namedParameters().keySet());
        }
        return p;
    }

    /** Number of scalar parameters (weights and biases). */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.size();
        return n;
    }

    /**
     * The parameters' current values as named tensors, in {@link #parameters()} order (a snapshot; see
     * {@link StateDict} for the entries of quantized storages).
     *
     * @throws IllegalArgumentException when a parameter's storage is of a kind that has no state-dict form
     */
    public final StateDict stateDict() {
        return StateDicts.of(this);
    }

    /**
     * Sets the parameters from {@code dict}: fp32 entries give fp32 storage, quantized ones a storage of
     * their scheme holding exactly their codes, steps and zero points. Checks everything before it changes
     * anything. With {@code strict}, every parameter needs an entry and every entry a parameter; without,
     * parameters without an entry keep their values and unused entries are ignored. Shapes must match
     * either way. Training modes are left as they are.
     *
     * @throws octoquant.engine.state.StateMismatchException one line naming the missing, unexpected or
     *         mis-shaped entry; the model is then unchanged
     */
    public final void loadStateDict(StateDict dict, boolean strict) {
        StateDicts.load(this, dict, strict);
    }

    public final void zeroGrad() {
        for (Parameter p : parameters()) p.zeroGrad();
    }

    /** Training mode (the default) or evaluation mode; containers pass it on to their children. */
    public void train(boolean on) {
        training = on;
    }

    public final void eval() {
        train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /**
     * Puts {@code prefix} in front of every parameter name: how a container gives its children PyTorch's
     * keys. Called while the model is being built, before anyone holds the parameters.
     */
    protected void prefixNames(String prefix) {}

    /** The same parameter (storage, mode, trainability) under a new name, with a fresh zero gradient. */
    protected static Parameter renamed(Parameter p, String name) {
        Parameter q = new Parameter(name, p.shape(), p.storage());
        q.setMode(p.mode());
        q.setTrainable(p.trainable());
        return q;
    }
}
