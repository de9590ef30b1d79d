package octoquant.experiments.run;

import octoquant.engine.nn.Sequential;
import octoquant.engine.param.Parameter;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.storage.QuantScheme;
import octoquant.experiments.result.SeedRun;

import java.util.List;

/**
 * Something that watches a training run without changing it: it may read the model, the parameters and their
 * gradients, and may run computations of its own (a twin model), but never touches the run's weights, its
 * random streams or its optimizer. Checkpoints carry its state, so a resumed run records what an uninterrupted
 * one would.
 *
 * <p>Call order: {@link #attach} once the model is built; then {@link #begin} on a fresh run (the initial
 * weights) or {@link #restoreState} on a resumed one; per batch {@link #afterBackward} (gradients of this batch
 * present, weights not yet updated) and {@link #afterUpdate}; {@link #endEpoch} after each epoch;
 * {@link #finish} once training ended (weights still in their training form).
 */
public interface TrainingProbe {
    /** What the probe may look at. {@code batchesPerEpoch} is the same for every epoch. */
    record Context(Task task, Sequential model, List<Parameter> params, QuantScheme scheme, TrainingMode mode,
                   int epochs, int batchesPerEpoch) {}

    /** A name unique among a run's probes; its checkpoint entry is {@code probe.<name>}. */
    String name();

    /** Sets the probe up; records nothing (a resumed run's weights are not yet restored). */
    void attach(Context context);

    /** A fresh run is about to train: the weights are the initial ones. */
    default void begin() {}

    /** {@code step} counts batches from 1 over the whole run. */
    default void afterBackward(long step, BatchData batch) {}

    default void afterUpdate(long step, double loss) {}

    /** {@code epochsDone} is 1 after the first epoch. */
    default void endEpoch(int epochsDone) {}

    /** The probe's state as JSON values (maps, lists, numbers, strings), for the checkpoint. */
    Object saveState();

    /** Restores what {@link #saveState} returned, after {@link #attach}, when a run resumes. */
    void restoreState(Object state);

    /** Stores what the probe recorded in the run's result. */
    void finish(SeedRun result);
}
