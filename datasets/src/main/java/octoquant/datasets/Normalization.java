package octoquant.datasets;

import java.util.Locale;

/**
 * Per-channel normalization: a pixel p (0..255) of channel c becomes {@code (p/255 - mean[c]) / std[c]}.
 *
 * <p>{@link #fromTraining} measures mean and (population) standard deviation per channel on the 0..1 scale
 * over the whole training set, never the test set; {@link #describe()} is the line to report. A 256-entry
 * table per channel makes the per-batch uint8→float conversion a lookup.
 */
public final class Normalization {
    private final float[] mean;
    private final float[] std;
    private final float[][] table;

    public Normalization(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need one value per channel, got " + mean.length + " and " + std.length);
        }
        this.mean = mean.clone();
        this.std = std.clone();
        this.table = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            if (!(std[c] > 0)) throw new IllegalArgumentException("std of channel " + c + " must be > 0, got " + std[c]);
            for (int p = 0; p < 256; p++) table[c][p] = (float) ((p / 255.0 - mean[c]) / std[c]);
        }
    }

    /** Mean and std per channel of the training set's pixels, on the 0..1 scale. */
    public static Normalization fromTraining(ImageDataset train) {
        int ch = train.channels();
        int plane = train.height() * train.width();
        long[] sum = new long[ch];
        long[] sumSq = new long[ch];
        byte[] img = new byte[train.sampleSize()];
        for (int i = 0; i < train.size(); i++) {
            train.copyImage(i, img, 0);
            for (int c = 0; c < ch; c++) {
                long s = 0, q = 0;
                for (int k = c * plane, end = k + plane; k < end; k++) {
                    int v = img[k] & 0xFF;
                    s += v;
                    q += v * v;
                }
                sum[c] += s;
                sumSq[c] += q;
            }
        }
        double n = (double) train.size() * plane;
        float[] mean = new float[ch];
        float[] std = new float[ch];
        for (int c = 0; c < ch; c++) {
            double m = sum[c] / n;
            double var = Math.max(0, sumSq[c] / n - m * m);
            mean[c] = (float) (m / 255.0);
            // A constant channel would divide by zero; fall back to 1 (then it is only centred).
            std[c] = var > 0 ? (float) (Math.sqrt(var) / 255.0) : 1f;
        }
        return new Normalization(mean, std);
    }

    /** Only scales to 0..1 (mean 0, std 1 for every channel). */
    public static Normalization unitScale(int channels) {
        float[] m = new float[channels];
        float[] s = new float[channels];
        java.util.Arrays.fill(s, 1f);
        return new Normalization(m, s);
    }

    public int channels() { return mean.length; }
    public float[] mean() { return mean.clone(); }
    public float[] std() { return std.clone(); }

    /** The normalized value of pixel {@code p} (0..255) in channel {@code c}. */
    public float apply(int c, int p) {
        return table[c][p];
    }

    /** The 256-entry lookup table of channel {@code c} (shared, do not modify). */
    float[] table(int c) {
        return table[c];
    }

    /** e.g. "mean [0.1307] std [0.3081] (per channel, 0..1 scale, from the training set)". */
    public String describe() {
        StringBuilder sb = new StringBuilder("mean [");
        for (int c = 0; c < mean.length; c++) sb.append(c > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", mean[c]));
        sb.append("] std [");
        for (int c = 0; c < std.length; c++) sb.append(c > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", std[c]));
        return sb.append("] (per channel, 0..1 scale, from the training set)").toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
