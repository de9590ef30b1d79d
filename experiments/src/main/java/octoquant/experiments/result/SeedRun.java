package octoquant.experiments.result;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything measured for one method and one seed. Mutable while the run goes on; the training loop fills
 * it epoch by epoch and the checkpoint carries it across a restart.
 */
public final class SeedRun {
    public int seed;
    /** {@code ok}, or {@code diverged} when the loss became NaN or infinite and the run stopped. */
    public String status = "ok";
    /** The epoch in which the loss diverged (1-based), 0 when it did not. */
    public int divergedAtEpoch;
    public final List<EpochMetrics> epochs = new ArrayList<>();
    public double trainSeconds = Double.NaN;
    public double inferenceSeconds = Double.NaN;
    public double imagesPerSecond = Double.NaN;
    /**
     * The system's one-minute load average per available processor right after the inference timing (this run's
     * own threads included), NaN where the JVM cannot tell: above about 1.5 other work shared the cores and the
     * timing says little.
     */
    public double inferenceLoadPerCore = Double.NaN;
    public long parameterCount;
    public long weightBytes;
    public long checkpointBytes;
    /** Test accuracy of the trained weights in their stored form (after PTQ for ptq), NaN if not defined. */
    public double finalTestAccuracy = Double.NaN;
    /** Test loss of the trained weights in their stored form. */
    public double finalTestLoss = Double.NaN;
    /** Histograms of the stored weights after training (first parameter of each layer). */
    public final List<WeightHistogram> histograms = new ArrayList<>();
    /** The step-by-step trace of the gradients experiment, or null when the run did not record one. */
    public GradientSeries trace;
    /** Per epoch and per parameter, what rounding did to updates and codes; empty when not recorded. */
    public final List<MechanismRecord> mechanism = new ArrayList<>();

    public SeedRun(int seed) {
        this.seed = seed;
    }

    /**
     * A new result for another method of the same training (a ptq run quantizes one training several ways): the
     * training's curves, status and records, without the final numbers.
     */
    public SeedRun copyTraining() {
        SeedRun c = new SeedRun(seed);
        c.status = status;
        c.divergedAtEpoch = divergedAtEpoch;
        c.epochs.addAll(epochs);
        c.trainSeconds = trainSeconds;
        c.parameterCount = parameterCount;
        c.checkpointBytes = checkpointBytes;
        c.trace = trace;
        c.mechanism.addAll(mechanism);
        return c;
    }

    public boolean diverged() {
        return "diverged".equals(status);
    }

    /** The last epoch's metrics, or null if none finished. */
    public EpochMetrics last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    /** Final test accuracy for statistics: NaN if the run diverged. */
    public double finalAccuracy() {
        return diverged() ? Double.NaN : finalTestAccuracy;
    }

    /** Final test loss for statistics: NaN if the run diverged. */
    public double finalLoss() {
        return diverged() ? Double.NaN : finalTestLoss;
    }
}
