package octoquant.experiments.audit;

import java.util.List;
import java.util.Locale;

/**
 * What an audit trains, as data: the set-ups in the order their claims matter (a partial audit already has
 * verdicts for the first), the learning-rate sweep, the seed count and the time the budget is meant to fit on
 * two cores. {@code --seeds}, {@code --epochs}, {@code --limit-train} and {@code --limit-test} override it.
 */
public enum Budget {
    /**
     * About 20 minutes: the seed's CNN on a Fashion-MNIST subset for 2 epochs (the sign of quant8 − octal8 in
     * storage mode), the MNIST MLP for 3 epochs with the controls, the regression at the seed's 50 epochs, a
     * short learning-rate sweep of one epoch.
     */
    QUICK(5, 20 * 60, List.of(
            Setup.of("fashion-mnist", "cnn", 2, 10_000, 2_000).withStorage("quant8", "octal8", "int8-fixed-stochastic")
                    .withQat("quant8", "octal8").withPtq(true).withBiasOnly(),
            Setup.of("mnist", "mlp", 3, 0, 0).withStorage("quant8", "octal8", "int8-fixed-zero", "int8-fixed-stochastic")
                    .withQat("quant8", "octal8", "int8-fixed-zero").withPtq(true).withBiasOnly(),
            Setup.of("regression", "mlp-10-64-1", 50, 0, 0).withStorage("quant8", "octal8", "int8-fixed-zero")
                    .withQat("quant8", "octal8").withPtq(false)),
            new Sweep("mnist", "mlp", 1, List.of(5e-4, 2e-3, 4e-3, 8e-3), List.of("quant8", "octal8", "int8-fixed-stochastic")),
            List.of()),
    /**
     * About 3 hours: the seed's CNN at 20 epochs on Fashion-MNIST (its 5-epoch numbers are epoch 5 of the
     * 20-epoch curves: nothing in a run depends on the epoch count), on as many training examples as the
     * calibration says fit; the MLP at 20 epochs on MNIST and Fashion-MNIST; the regression; a 3-epoch sweep.
     */
    STANDARD(5, 3 * 3600, List.of(
            Setup.of("fashion-mnist", "cnn", 20, Setup.ADAPTIVE, 0).withStorage("quant8", "octal8", "int8-fixed-stochastic")
                    .withQat("quant8", "octal8").withPtq(true).withBiasOnly(),
            Setup.of("mnist", "mlp", 20, 0, 0).withStorage("quant8", "octal8", "int8-fixed-zero", "int8-fixed-stochastic")
                    .withQat("quant8", "octal8", "int8-fixed-zero").withPtq(true).withBiasOnly(),
            Setup.of("regression", "mlp-10-64-1", 50, 0, 0).withStorage("quant8", "octal8", "int8-fixed-zero")
                    .withQat("quant8", "octal8").withPtq(false),
            Setup.of("fashion-mnist", "mlp", 20, 0, 0).withStorage("quant8", "octal8", "int8-fixed-stochastic")
                    .withQat("quant8", "octal8").withPtq(false)),
            new Sweep("mnist", "mlp", 3, List.of(5e-4, 2e-3, 4e-3, 8e-3), List.of("quant8", "octal8", "int8-fixed-stochastic")),
            List.of(60_000, 40_000, 30_000, 20_000, 15_000, 10_000, 5_000)),
    /** Everything: CIFAR-10 when its files are found, the CNN on MNIST and Fashion-MNIST on all their data. */
    FULL(5, 0, List.of(
            Setup.of("cifar10", "cnn", 20, 0, 0).withStorage("quant8", "octal8", "int8-fixed-zero", "int8-fixed-stochastic")
                    .withQat("quant8", "octal8").withPtq(true).withBiasOnly(),
            Setup.of("fashion-mnist", "cnn", 20, 0, 0).withStorage("quant8", "octal8", "int8-fixed-zero", "int8-fixed-stochastic")
                    .withQat("quant8", "octal8").withPtq(true).withBiasOnly(),
            Setup.of("mnist", "cnn", 20, 0, 0).withStorage("quant8", "octal8", "int8-fixed-stochastic")
                    .withQat("quant8", "octal8").withPtq(true),
            Setup.of("mnist", "mlp", 20, 0, 0).withStorage("quant8", "octal8", "int8-fixed-zero", "int8-fixed-stochastic")
                    .withQat("quant8", "octal8", "int8-fixed-zero").withPtq(true).withBiasOnly(),
            Setup.of("regression", "mlp-10-64-1", 50, 0, 0).withStorage("quant8", "octal8", "int8-fixed-zero")
                    .withQat("quant8", "octal8").withPtq(false),
            Setup.of("fashion-mnist", "mlp", 20, 0, 0).withStorage("quant8", "octal8", "int8-fixed-stochastic")
                    .withQat("quant8", "octal8").withPtq(false)),
            new Sweep("mnist", "mlp", 20, List.of(5e-4, 2e-3, 4e-3, 8e-3), List.of("quant8", "octal8", "int8-fixed-stochastic")),
            List.of());

    private final int seeds;
    private final int seconds;
    private final List<Setup> setups;
    private final Sweep sweep;
    private final List<Integer> adaptiveLimits;

    Budget(int seeds, int seconds, List<Setup> setups, Sweep sweep, List<Integer> adaptiveLimits) {
        this.seeds = seeds;
        this.seconds = seconds;
        this.setups = setups;
        this.sweep = sweep;
        this.adaptiveLimits = adaptiveLimits;
    }

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Budget parse(String s) {
        for (Budget b : values()) if (b.token().equals(s)) return b;
        throw new IllegalArgumentException("unknown budget '" + s + "' (expected quick, standard or full)");
    }

    public int seeds() {
        return seeds;
    }

    /** The wall time the budget is meant to fit on two cores; 0 for no limit. */
    public int seconds() {
        return seconds;
    }

    public List<Setup> setups() {
        return setups;
    }

    public Sweep sweep() {
        return sweep;
    }

    /** The training-set sizes an {@link Setup#ADAPTIVE} set-up may get, largest first. */
    public List<Integer> adaptiveLimits() {
        return adaptiveLimits;
    }

    /** The first budget (quick, standard, full) that trains this data set and model, or null. */
    public static Budget firstWith(String experiment, String model) {
        for (Budget b : values()) {
            for (Setup s : b.setups) if (s.experiment().equals(experiment) && s.model().equals(model)) return b;
        }
        return null;
    }
}
