package octoquant.experiments.audit;

/** A run set the budget holds that was not run here, and why (its data set was not found). */
public record NotRun(PlannedSet set, String reason) {
}
