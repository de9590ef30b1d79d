package octoquant.experiments.audit;

/**
 * A data set and model a claim is tested on, with how it relates to the seed's own set-up ("the claim's own
 * set-up", "closest set-up available").
 */
public record Target(String experiment, String model, String label) {
    /** {@code Fashion-MNIST CNN}. */
    public String shortName() {
        String data = switch (experiment) {
            case "mnist" -> "MNIST";
            case "fashion-mnist" -> "Fashion-MNIST";
            case "cifar10" -> "CIFAR-10";
            case "regression" -> "regression";
            default -> experiment;
        };
        String m = model.equals("cnn") ? "CNN" : "MLP";
        return data + " " + m;
    }
}
