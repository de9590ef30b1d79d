package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;

import java.util.List;
import java.util.Map;

/**
 * One claim of the seed as data: its words, where it is tested (data sets and models × modes: the
 * interpretations), what is compared, and the rule that turns the comparisons into its verdict. Exact claims
 * name their check instead of measures.
 *
 * @param seedEpochs    the epochs the seed's numbers are for (0 when none)
 * @param notApplicable modes the claim cannot be read under, with the reason (e.g. ptq has one shared training curve)
 * @param seedValue     the difference the seed reports for the first measure (NaN when none), shown beside ours
 */
public record Claim(int id, String title, String seedWords, List<Target> targets, List<Measure> measures,
                    Map<TrainingMode, String> notApplicable, Rule rule, Check check, int seedEpochs, double seedValue) {

    /** The exact checks of the claims that are not statistical. */
    public enum Check { NONE, MODEL_SIZE, RESPELLING, PRINTED_NUMBERS }

    public String label() {
        return "claim " + id + ": " + title;
    }
}
