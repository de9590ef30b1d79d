package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The nine claims of the seed (docs/seed.md), worded from it, as the audit tests them. */
public final class Claims {
    private Claims() {}

    private static final String OWN = "the claim's own set-up";
    private static final String CLOSEST = "closest set-up available";
    private static final List<Target> CIFAR_CNN = List.of(new Target("cifar10", "cnn", OWN),
            new Target("fashion-mnist", "cnn", CLOSEST), new Target("mnist", "cnn", CLOSEST));
    private static final String PTQ_CURVE = "ptq trains fp32: both methods share one training curve";

    private static final String DIRECTIONAL_TEXT = "per interpretation, the mean paired difference over seeds with its "
            + "95% paired-t interval; it holds when the Holm-adjusted paired t p (over every comparison of this audit) "
            + "is below 0.05 with the claimed sign, is reversed when below 0.05 with the other sign, else does not hold; "
            + "at least " + Verdicts.MIN_PAIRS + " seed pairs";

    public static final List<Claim> ALL = List.of(
            new Claim(1, "octization beats quantization by 18.57 points on CIFAR-10",
                    "CIFAR-10, the seed's CNN, 20 epochs: octization 51.89% vs quantization 33.32% (+18.57 points)",
                    CIFAR_CNN,
                    List.of(new Measure("octal8 − quant8 final test accuracy", Measure.Kind.DIFFERENCE, Metric.TEST_ACCURACY,
                            "octal8", "quant8", +1, Measure.ALL_MODES)),
                    Map.of(), Rule.directional(DIRECTIONAL_TEXT), Claim.Check.NONE, 20, 18.57),
            new Claim(2, "the gap widens with training",
                    "the gap widens with training: about 11 points at 5 epochs, 18.57 at 20",
                    CIFAR_CNN,
                    List.of(new Measure("growth of the octal8 − quant8 test-accuracy gap from the early epoch (a quarter "
                            + "of the way, the seed's 5 of 20) to the last", Measure.Kind.GAP_GROWTH, Metric.TEST_ACCURACY,
                            "octal8", "quant8", +1, Measure.ALL_MODES)),
                    Map.of(), Rule.directional(DIRECTIONAL_TEXT), Claim.Check.NONE, 20, 18.57 - 11.26),
            new Claim(3, "octization's loss falls faster and keeps falling; quantization's plateaus",
                    "octization's loss decreases more rapidly and continues to decline through all 20 epochs; "
                            + "quantization's decreases more slowly and plateaus",
                    CIFAR_CNN,
                    List.of(new Measure("quant8 − octal8 training loss of the last epoch (octal8 lower)", Measure.Kind.DIFFERENCE,
                                    Metric.TRAIN_LOSS_LAST, "quant8", "octal8", +1, Measure.TRAINED_QUANTIZED),
                            new Measure("octal8 − quant8 fall of the training loss over the last quarter of the epochs "
                                    + "(octal8 keeps falling, quant8 plateaus)", Measure.Kind.DIFFERENCE,
                                    Metric.LATE_LOSS_DECREASE, "octal8", "quant8", +1, Measure.TRAINED_QUANTIZED)),
                    Map.of(TrainingMode.PTQ, PTQ_CURVE), Rule.directional(DIRECTIONAL_TEXT), Claim.Check.NONE, 20, 1.9121 - 1.3204),
            new Claim(4, "octization beats quantization on MNIST",
                    "MNIST: octization 96.93% vs quantization 96.73% (test loss 0.1858 vs 0.2253)",
                    List.of(new Target("mnist", "mlp", "the seed's MNIST network is unknown"), new Target("mnist", "cnn", "the seed's CNN on MNIST")),
                    List.of(new Measure("octal8 − quant8 final test accuracy", Measure.Kind.DIFFERENCE, Metric.TEST_ACCURACY,
                                    "octal8", "quant8", +1, Measure.ALL_MODES),
                            new Measure("quant8 − octal8 final test loss (octal8 lower)", Measure.Kind.DIFFERENCE,
                                    Metric.TEST_LOSS, "quant8", "octal8", +1, Measure.ALL_MODES)),
                    Map.of(), Rule.directional(DIRECTIONAL_TEXT), Claim.Check.NONE, 20, 0.20),
            new Claim(5, "octization's regression loss is far lower",
                    "regression: octization's training loss is far lower (42.93 vs 156.69 after 50 epochs; 98.08 vs "
                            + "382.44 after the first)",
                    List.of(new Target("regression", "mlp-10-64-1", "the seed's toy regression")),
                    List.of(new Measure("quant8 − octal8 training loss of the last epoch (octal8 lower)", Measure.Kind.DIFFERENCE,
                                    Metric.TRAIN_LOSS_LAST, "quant8", "octal8", +1, Measure.TRAINED_QUANTIZED),
                            new Measure("quant8 − octal8 test loss of the quantized model (ptq's training is fp32 for both)",
                                    Measure.Kind.DIFFERENCE, Metric.TEST_LOSS, "quant8", "octal8", +1, Set.of(TrainingMode.PTQ))),
                    Map.of(), Rule.directional(DIRECTIONAL_TEXT), Claim.Check.NONE, 50, 156.692 - 42.9256),
            new Claim(6, "inference time is nearly equal, octization about 1.5% slower",
                    "inference times are very close, octization slightly slower (214.58 s vs 217.92 s, about 1.5%)",
                    List.of(new Target("cifar10", "cnn", OWN), new Target("fashion-mnist", "cnn", CLOSEST),
                            new Target("mnist", "cnn", CLOSEST), new Target("mnist", "mlp", "the MNIST set-up"),
                            new Target("fashion-mnist", "mlp", "the MLP on Fashion-MNIST"),
                            new Target("regression", "mlp-10-64-1", "the seed's toy regression")),
                    List.of(new Measure("ln(octal8 inference time / quant8 inference time)", Measure.Kind.DIFFERENCE,
                            Metric.LOG_INFERENCE_TIME, "octal8", "quant8", 0, Measure.ALL_MODES)),
                    Map.of(), new Rule(Rule.Kind.EQUIVALENCE, 0.05, false, "per interpretation, the paired ratio of inference "
                            + "times octal8/quant8 (exp of the mean paired difference of ln time, with its 95% paired-t "
                            + "interval); \"nearly equal\" holds when the interval lies inside [0.95, 1.05], else it does not "
                            + "hold; the seed's ratio is 1.016"), Claim.Check.NONE, 20, Math.log(217.92 / 214.58)),
            new Claim(7, "model size is the same for both",
                    "both models have the same size (282,250 on CIFAR-10, 101,870 on MNIST)",
                    List.of(), List.of(), Map.of(), new Rule(Rule.Kind.EXACT, Double.NaN, false, "exact: the parameter "
                            + "counts of quant8 and octal8 are equal (and the seed's CNN has 282,250 parameters on 3x32x32); "
                            + "the bytes the two storages really hold are equal"), Claim.Check.MODEL_SIZE, 0, Double.NaN),
            new Claim(8, "octization is \"a different granularity\" of quantization",
                    "octization represents weights in an octal system and offers a different granularity in quantization",
                    List.of(), List.of(), Map.of(), new Rule(Rule.Kind.EXACT, Double.NaN, false, "exact: if the octal storage "
                            + "decodes to the same grid as integers on the 1/255 grid rounded toward zero (int8-fixed-zero), "
                            + "and every run of int8-fixed-zero equals octal8's bit for bit in every metric, curve and "
                            + "mechanism record, octization is a lossless re-spelling, not another granularity: the claim "
                            + "does not hold"), Claim.Check.RESPELLING, 0, Double.NaN),
            new Claim(9, "the seed's printed numbers",
                    "0.75 gives 191 and 0o277; the printed weights [0.03279644, 0.37225065, 0.03883055, 0.32002673, "
                            + "0.37683514] give [8, 95, 10, 82, 97] and ['0o10', '0o136', '0o11', '0o121', '0o140']",
                    List.of(), List.of(), Map.of(), new Rule(Rule.Kind.EXACT, Double.NaN, true, "exact: each printed number "
                            + "against the seed's own two functions (engine.storage.Seed); it holds when every one matches"),
                    Claim.Check.PRINTED_NUMBERS, 0, Double.NaN));
}
