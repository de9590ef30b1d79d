package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;

import java.util.Set;

/**
 * One paired comparison a claim makes, per seed: {@code x − y} of a metric between two methods of one run set
 * ({@link Kind#DIFFERENCE}), or how the gap {@code x − y} in test accuracy grew from the early epoch to the last
 * ({@link Kind#GAP_GROWTH}: per seed, gap(last) − gap(early); from the curves in qat and storage, and from the
 * early-ptq run set under ptq). {@code claimedSign} is the sign the seed claims for the difference (+1: x − y
 * above 0); 0 for an equivalence claim.
 *
 * @param modes the modes the measure applies to
 */
public record Measure(String words, Kind kind, Metric metric, String x, String y, int claimedSign, Set<TrainingMode> modes) {
    public enum Kind { DIFFERENCE, GAP_GROWTH }

    public static final Set<TrainingMode> ALL_MODES = Set.of(TrainingMode.QAT, TrainingMode.STORAGE, TrainingMode.PTQ);
    public static final Set<TrainingMode> TRAINED_QUANTIZED = Set.of(TrainingMode.QAT, TrainingMode.STORAGE);

    /** {@code "octal8 − quant8"}. */
    public String comparison() {
        return kind == Kind.GAP_GROWTH ? "(" + x + " − " + y + ") at the last epoch − at the early epoch" : x + " − " + y;
    }
}
