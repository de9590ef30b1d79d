package octoquant.experiments.audit;

import java.util.List;

/**
 * One data set and model of a budget, with the methods each mode trains. fp32 is trained once, in the ptq run
 * set (its training is the same in every mode), which also gives the ptq interpretation.
 *
 * @param limitTrain  training examples (0: all); {@link #ADAPTIVE}: the largest of the budget's candidates that
 *                    fits its time limit, chosen from the calibration
 * @param storage     methods trained in storage mode (empty: none)
 * @param qat         methods trained in qat mode
 * @param ptq         whether to train the ptq set ({@code float} plus the seed's two methods)
 * @param earlyPtq    whether to train the ptq set again up to the early epoch (claim 2 under ptq)
 * @param biasOnly    whether to train the bias-only control on this set-up
 */
public record Setup(String experiment, String model, int epochs, int limitTrain, int limitTest, List<String> storage,
                    List<String> qat, boolean ptq, boolean earlyPtq, boolean biasOnly) {
    public static final int ADAPTIVE = -1;

    static Setup of(String experiment, String model, int epochs, int limitTrain, int limitTest) {
        return new Setup(experiment, model, epochs, limitTrain, limitTest, List.of(), List.of(), false, false, false);
    }

    Setup withStorage(String... methods) {
        return new Setup(experiment, model, epochs, limitTrain, limitTest, List.of(methods), qat, ptq, earlyPtq, biasOnly);
    }

    Setup withQat(String... methods) {
        return new Setup(experiment, model, epochs, limitTrain, limitTest, storage, List.of(methods), ptq, earlyPtq, biasOnly);
    }

    Setup withPtq(boolean early) {
        return new Setup(experiment, model, epochs, limitTrain, limitTest, storage, qat, true, early, biasOnly);
    }

    Setup withBiasOnly() {
        return new Setup(experiment, model, epochs, limitTrain, limitTest, storage, qat, ptq, earlyPtq, true);
    }

    /** The set-up's name prefix: {@code mnist-mlp}, {@code regression}. */
    String prefix() {
        return experiment.equals("regression") ? "regression" : experiment + "-" + model;
    }

    /** The epoch claim 2 compares with the last one: a quarter of the way, as the seed's 5 of 20. */
    static int earlyEpoch(int epochs) {
        return Math.max(1, (epochs + 3) / 4);
    }
}
