package octoquant.engine.storage;

/**
 * What one {@link WeightStorage#applyUpdate} (or a sum of them) did to a quantized storage — the numbers
 * the {@code storage} training mode is about.
 *
 * @param weights   weights visited
 * @param applied   weights whose code changed
 * @param lost      weights with a nonzero delta whose code did not change (the update vanished in rounding)
 * @param crossed   weights whose exact target {@code w + delta} reached or passed a neighbouring grid point
 *                  (|delta| ≥ one step, from an on-grid w): an update any rounding mode should keep
 * @param clipped   weights whose code was clamped to the scheme's range (maxabs/minmax only)
 * @param requested sum of |delta|
 * @param realized  sum of |decoded after − decoded before|
 */
public record UpdateStats(long weights, long applied, long lost, long crossed, long clipped,
                          double requested, double realized) {
    public static final UpdateStats NONE = new UpdateStats(0, 0, 0, 0, 0, 0, 0);

    public UpdateStats plus(UpdateStats o) {
        return new UpdateStats(weights + o.weights, applied + o.applied, lost + o.lost, crossed + o.crossed,
                clipped + o.clipped, requested + o.requested, realized + o.realized);
    }

    /** Fraction of nonzero updates that vanished, or 0 when there were none. */
    public double lostFraction() {
        long nonzero = applied + lost;
        return nonzero == 0 ? 0 : (double) lost / nonzero;
    }
}
