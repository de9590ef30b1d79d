package octoquant.experiments.audit;

import java.util.List;

/** A claim's verdict with the sentence that cites its numbers, and its rows. */
public record ClaimVerdict(Claim claim, String verdict, String because, List<VerdictRow> rows) {
}
