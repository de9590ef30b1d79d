package octoquant.experiments.result;

/**
 * One epoch of one run. Accuracies are fractions in [0, 1]; NaN where not defined (regression has no
 * accuracy) or not measured.
 *
 * @param trainLoss     mean training loss over the epoch's batches
 * @param trainAccuracy fraction of training examples classified right during the epoch
 * @param testLoss      mean loss on the test set after the epoch
 * @param testAccuracy  fraction of the test set classified right after the epoch
 * @param trainSeconds  wall time of the epoch's training (evaluation excluded)
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                           double trainSeconds) {
}
