package octoquant.experiments.audit;

import octoquant.experiments.result.EpochMetrics;
import octoquant.experiments.result.SeedRun;

/**
 * A number read from one finished run, as the claims compare it. Accuracies in percentage points. NaN when the
 * run has no such number (diverged, too few epochs), which leaves that seed out of the pairs.
 */
public enum Metric {
    /** Test accuracy of the trained weights in their stored form (after quantization for ptq). */
    TEST_ACCURACY("final test accuracy (points)"),
    /** Test loss of the trained weights in their stored form. */
    TEST_LOSS("final test loss"),
    /** Mean training loss of the last epoch, as the seed prints it. */
    TRAIN_LOSS_LAST("training loss of the last epoch"),
    /** Mean training loss of the first epoch. */
    TRAIN_LOSS_FIRST("training loss of the first epoch"),
    /** Training accuracy of the last epoch (points). */
    TRAIN_ACCURACY_LAST("training accuracy of the last epoch (points)"),
    /**
     * How much the training loss fell over the last quarter of the epochs: loss(E − q) − loss(E) with
     * q = max(1, E/4); NaN with fewer than 2 epochs. "Keeps falling" is a larger value; "plateaus" is near 0.
     */
    LATE_LOSS_DECREASE("fall of the training loss over the last quarter of the epochs"),
    /** ln of the inference time per test example (the runs' timed passes); a difference is a ln time ratio. */
    LOG_INFERENCE_TIME("ln inference time");

    private final String words;

    Metric(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }

    public double of(SeedRun r) {
        if (r.diverged()) return Double.NaN;
        int n = r.epochs.size();
        return switch (this) {
            case TEST_ACCURACY -> r.finalTestAccuracy * 100;
            case TEST_LOSS -> r.finalTestLoss;
            case TRAIN_LOSS_LAST -> n == 0 ? Double.NaN : r.epochs.get(n - 1).trainLoss();
            case TRAIN_LOSS_FIRST -> n == 0 ? Double.NaN : r.epochs.get(0).trainLoss();
            case TRAIN_ACCURACY_LAST -> n == 0 ? Double.NaN : r.epochs.get(n - 1).trainAccuracy() * 100;
            case LATE_LOSS_DECREASE -> n < 2 ? Double.NaN
                    : r.epochs.get(n - 1 - Math.max(1, n / 4)).trainLoss() - r.epochs.get(n - 1).trainLoss();
            case LOG_INFERENCE_TIME -> r.imagesPerSecond > 0 ? -Math.log(r.imagesPerSecond) : Double.NaN;
        };
    }

    /** Test accuracy (points) after epoch {@code epoch} (1-based) from the run's curve; NaN if it has no such epoch. */
    public static double testAccuracyAt(SeedRun r, int epoch) {
        if (r.diverged() || epoch < 1 || epoch > r.epochs.size()) return Double.NaN;
        EpochMetrics e = r.epochs.get(epoch - 1);
        return e.testAccuracy() * 100;
    }

    /** Training loss of epoch {@code epoch} (1-based); NaN if the run has no such epoch. */
    public static double trainLossAt(SeedRun r, int epoch) {
        if (r.diverged() || epoch < 1 || epoch > r.epochs.size()) return Double.NaN;
        return r.epochs.get(epoch - 1).trainLoss();
    }

    /** Training accuracy (points) of epoch {@code epoch} (1-based); NaN if the run has no such epoch. */
    public static double trainAccuracyAt(SeedRun r, int epoch) {
        if (r.diverged() || epoch < 1 || epoch > r.epochs.size()) return Double.NaN;
        return r.epochs.get(epoch - 1).trainAccuracy() * 100;
    }
}
