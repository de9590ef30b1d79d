package octoquant.experiments.audit;

/**
 * What the command line overrides in a budget; 0 where it does not. {@code seeds} replaces the budget's seed
 * count; {@code epochs} every set's epochs (the early-ptq set gets a quarter of them, the sweep the same);
 * {@code limitTrain}/{@code limitTest} every image set's data (the regression's data is generated).
 */
public record Overrides(int seeds, int epochs, int limitTrain, int limitTest) {
    public static final Overrides NONE = new Overrides(0, 0, 0, 0);
}
