package octoquant.experiments.run;

import octoquant.engine.optim.Adam;
import octoquant.engine.optim.Optimizer;
import octoquant.engine.optim.Sgd;
import octoquant.engine.param.Parameter;

import java.util.List;
import java.util.Locale;

/** The optimizers the command line offers, with PyTorch's default hyper-parameters besides the learning rate. */
public enum OptimizerKind {
    ADAM, SGD;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Optimizer create(List<Parameter> params, double lr) {
        return this == SGD ? new Sgd(params, lr) : new Adam(params, lr);
    }

    public static OptimizerKind parse(String text) {
        for (OptimizerKind k : values()) if (k.token().equals(text)) return k;
        throw new IllegalArgumentException("unknown optimizer '" + text + "' (expected adam or sgd)");
    }
}
