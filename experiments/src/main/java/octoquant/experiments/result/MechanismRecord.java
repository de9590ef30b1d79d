package octoquant.experiments.result;

/**
 * What one epoch of training did to one parameter's stored weights: the audit's mechanism statistics. Counts
 * are over the epoch's optimizer steps (storage mode) or between the start and the end of the epoch (codes).
 * NaN where a number does not apply (update counters of an fp32 or qat parameter, grid numbers of fp32).
 *
 * @param epoch             1-based epoch the record ends
 * @param parameter         the parameter's name ({@code 0.weight}, {@code 0.bias})
 * @param kind              {@code weight} or {@code bias}
 * @param weights           number of values in the parameter
 * @param updates           nonzero updates requested over the epoch (storage mode; NaN otherwise)
 * @param applied           fraction of nonzero updates that changed a code (storage mode)
 * @param lost              fraction of nonzero updates that rounding discarded (storage mode)
 * @param crossed           fraction of nonzero updates that reached a neighbouring grid point (storage mode)
 * @param clipped           fraction of updates clamped to the scheme's range (storage mode)
 * @param meanUpdateSteps   mean |requested update| in grid steps (storage mode)
 * @param zeroFraction      fraction of the weights the kernels compute with that are exactly 0 (code 0)
 * @param meanAbs           mean |w| of the weights the kernels compute with
 * @param meanAbsMaster     mean |w| of the fp32 master weights (qat; NaN otherwise)
 * @param changedFraction   fraction of computed weights whose value (code) differs from the previous epoch's end
 * @param deadZoneFraction  fraction of master (qat) or computed weights with |w| below one grid step — what
 *                          truncation toward zero sends to 0
 * @param cosine            mean cosine between the gradient the optimizer got and the fp32 gradient at the same
 *                          weights, over the epoch's sampled batches (qat, whole network; NaN otherwise)
 */
public record MechanismRecord(int epoch, String parameter, String kind, long weights, double updates, double applied,
                              double lost, double crossed, double clipped, double meanUpdateSteps, double zeroFraction,
                              double meanAbs, double meanAbsMaster, double changedFraction, double deadZoneFraction,
                              double cosine) {
}
