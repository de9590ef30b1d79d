package octoquant.experiments.probe;

import octoquant.engine.nn.Sequential;
import octoquant.engine.param.Parameter;
import octoquant.engine.util.Rng;
import octoquant.experiments.run.BatchData;
import octoquant.experiments.run.Task;

import java.util.List;

/**
 * An fp32 copy of a model that computes, for one batch, the gradient fp32 weights at the run's current values
 * would get — to compare with the gradient the run's quantized weights produced. It has its own parameters
 * and draws nothing from the run's random streams.
 */
final class FloatTwin {
    private final Sequential twin;
    private final List<Parameter> twinParams;
    private final Task task;

    FloatTwin(Task task) {
        this.task = task;
        this.twin = task.newModel(new Rng(0)); // overwritten before every use
        this.twinParams = twin.parameters();
    }

    /**
     * The cosine between {@code params}' current gradients and the fp32 gradient at their storages' values (the
     * fp32 masters in qat), over all parameters together; NaN when either gradient is zero.
     */
    double cosine(List<Parameter> params, BatchData batch) {
        for (int i = 0; i < params.size(); i++) {
            twinParams.get(i).storage().encodeFrom(params.get(i).storage().decodeAll());
        }
        twin.zeroGrad();
        task.loss(twin.forward(batch.x()), batch).backward();
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < params.size(); i++) {
            float[] a = params.get(i).grad(), f = twinParams.get(i).grad();
            for (int k = 0; k < a.length; k++) {
                dot += (double) a[k] * f[k];
                na += (double) a[k] * a[k];
                nb += (double) f[k] * f[k];
            }
        }
        return na == 0 || nb == 0 ? Double.NaN : dot / Math.sqrt(na * nb);
    }
}
