package octoquant.experiments.result;

import java.util.ArrayList;
import java.util.List;

/**
 * The gradients experiment's record of one training configuration (bit width, rounding, mode): per
 * logged step the loss, the fraction of nonzero updates lost to rounding, and the cosine between the
 * gradient the optimizer received and the fp32 gradient at the same weights; and weight histograms at a
 * few points of training.
 */
public final class GradientSeries {
    public final String name;
    public final int bits;
    public final String rounding;
    public final String mode;
    public final List<Integer> steps = new ArrayList<>();
    public final List<Double> loss = new ArrayList<>();
    public final List<Double> lostFraction = new ArrayList<>();
    public final List<Double> cosine = new ArrayList<>();
    /** Histograms of the first layer's weights, with the epoch (0 = at initialisation) each belongs to. */
    public final List<WeightHistogram> histograms = new ArrayList<>();
    public final List<Integer> histogramEpochs = new ArrayList<>();
    public double finalTestAccuracy = Double.NaN;

    public GradientSeries(String name, int bits, String rounding, String mode) {
        this.name = name;
        this.bits = bits;
        this.rounding = rounding;
        this.mode = mode;
    }
}
