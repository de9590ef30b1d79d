package octoquant.experiments.audit;

import java.util.List;

/**
 * The storage-mode learning-rate sweep across the half-step threshold: Adam moves a weight by about the
 * learning rate per step, and round-to-nearest on the 1/255 grid discards any update below half a step
 * (0.00196). The seed's own learning rate is read from the set-up's storage run set at the sweep's epoch.
 */
public record Sweep(String experiment, String model, int epochs, List<Double> learningRates, List<String> methods) {
}
