package octoquant.experiments.cli;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The experiments the command line knows, with the seed's defaults. */
public enum Experiment {
    REGRESSION("regression", true, 50, "the seed's toy regression: a small MLP on synthetic data (MSE loss)"),
    MNIST("mnist", true, 20, "MNIST digits, MLP 784-128-10 (or --model cnn)"),
    FASHION_MNIST("fashion-mnist", true, 20, "Fashion-MNIST clothing images, --model mlp or cnn"),
    CIFAR10("cifar10", true, 20, "CIFAR-10 colour images, the seed's CNN (282,250 parameters)"),
    GRADIENTS("gradients", true, 3,
            "the teaching experiment: what rounding does to the updates of the MNIST MLP in storage mode"),
    AUDIT("audit", true, 0,
            "test every claim of the seed under every interpretation (--budget quick|standard|full); verdicts.json"),
    QUANTIZE("quantize", false, 0, "VALUE... [--bits B]: the seed's quantized integer, octal form and error"),
    MERGE("merge", false, 0, "RUN_DIR...: combine results.json of several runs into one report"),
    LIST("list", false, 0, "list experiments, methods and models");

    private final String cliName;
    private final boolean trains;
    private final int defaultEpochs;
    private final String summary;

    Experiment(String cliName, boolean trains, int defaultEpochs, String summary) {
        this.cliName = cliName;
        this.trains = trains;
        this.defaultEpochs = defaultEpochs;
        this.summary = summary;
    }

    public String cliName() {
        return cliName;
    }

    /** True for the experiments that train models (and so take the training options). */
    public boolean trains() {
        return trains;
    }

    public int defaultEpochs() {
        return defaultEpochs;
    }

    public String summary() {
        return summary;
    }

    public static Optional<Experiment> byName(String name) {
        return Arrays.stream(values()).filter(e -> e.cliName.equals(name)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(Experiment::cliName).collect(Collectors.joining(", "));
    }
}
