package octoquant.datasets;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A labelled image set held as bytes: pixels uint8 in N×C×H×W order (channel-planar), labels 0..classes-1.
 *
 * <p>Pixels stay uint8 in memory (the CIFAR-10 training set is 150 MB as bytes, 600 MB as floats);
 * {@link Batcher} converts one mini-batch at a time to normalized floats. Instances are immutable in
 * practice: the arrays are never handed out for writing.
 */
public final class ImageDataset {
    private final String name;
    private final byte[] pixels;
    private final byte[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;

    /**
     * @param pixels N×C×H×W bytes, read as unsigned
     * @param labels N bytes, each in 0..classNames.size()-1
     */
    public ImageDataset(String name, byte[] pixels, byte[] labels, int channels, int height, int width,
                        List<String> classNames) {
        this.name = Objects.requireNonNull(name);
        this.pixels = Objects.requireNonNull(pixels);
        this.labels = Objects.requireNonNull(labels);
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": bad image shape " + channels + "x" + height + "x" + width);
        }
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes do not make "
                    + labels.length + " images of " + channels + "x" + height + "x" + width);
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= this.classNames.size()) {
                throw new IllegalArgumentException(name + ": label " + (labels[i] & 0xFF) + " at " + i
                        + " is outside 0.." + (this.classNames.size() - 1));
            }
        }
    }

    /** e.g. "mnist/train". */
    public String name() { return name; }
    public int size() { return labels.length; }
    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }
    /** C·H·W: the number of values per example. */
    public int sampleSize() { return channels * height * width; }
    public int numClasses() { return classNames.size(); }
    public List<String> classNames() { return classNames; }

    public int label(int i) { return labels[i] & 0xFF; }

    /** Pixel value 0..255 of example {@code i}, channel {@code c}, row {@code y}, column {@code x}. */
    public int pixel(int i, int c, int y, int x) {
        return pixels[((i * channels + c) * height + y) * width + x] & 0xFF;
    }

    /** Copies example {@code i}'s C·H·W bytes into {@code dst} at {@code offset}. */
    public void copyImage(int i, byte[] dst, int offset) {
        int n = sampleSize();
        System.arraycopy(pixels, i * n, dst, offset, n);
    }

    /** All labels as ints (a fresh array). */
    public int[] labels() {
        int[] out = new int[labels.length];
        for (int i = 0; i < out.length; i++) out[i] = labels[i] & 0xFF;
        return out;
    }

    /** How many examples carry each label. */
    public int[] labelHistogram() {
        int[] h = new int[numClasses()];
        for (byte b : labels) h[b & 0xFF]++;
        return h;
    }

    /** Mean pixel value (0..255 scale) over all examples and channels. */
    public double pixelMean() {
        long sum = 0;
        for (byte b : pixels) sum += b & 0xFF;
        return pixels.length == 0 ? 0 : (double) sum / pixels.length;
    }

    /** Population standard deviation of pixel values (0..255 scale) over all examples and channels. */
    public double pixelStd() {
        long sum = 0, sumSq = 0;
        for (byte b : pixels) {
            int v = b & 0xFF;
            sum += v;
            sumSq += (long) v * v;
        }
        if (pixels.length == 0) return 0;
        double mean = (double) sum / pixels.length;
        return Math.sqrt(Math.max(0, (double) sumSq / pixels.length - mean * mean));
    }

    /** The examples at {@code indices}, in that order, as a new data set (copies the bytes). */
    public ImageDataset select(int[] indices, String newName) {
        int n = sampleSize();
        byte[] px = new byte[Math.multiplyExact(indices.length, n)];
        byte[] lb = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * n, px, k * n, n);
            lb[k] = labels[indices[k]];
        }
        return new ImageDataset(newName, px, lb, channels, height, width, classNames);
    }

    /**
     * A class-balanced subset of {@code n} examples ({@code --limit-train} / {@code --limit-test}).
     *
     * <p>Examples are dealt one per class in turn (class 0, 1, 2, ...), skipping classes that have run out,
     * until {@code n} are chosen: each class gets {@code n / classes} or one more (the first
     * {@code n % classes} classes), and a class with too few examples leaves its share to the others. Each
     * class contributes its earliest examples in file order, and the subset keeps file order.
     * Deterministic: no seed involved.
     */
    public ImageDataset limit(int n) {
        if (n < 0) throw new IllegalArgumentException("limit must be >= 0, got " + n);
        if (n >= size()) return this;
        int k = numClasses();
        int[] quota = new int[k];
        int[] available = labelHistogram();
        // Deal one example per class in turn, skipping exhausted classes: the most even split possible.
        int assigned = 0;
        while (assigned < n) {
            for (int c = 0; c < k && assigned < n; c++) {
                if (quota[c] < available[c]) {
                    quota[c]++;
                    assigned++;
                }
            }
        }
        int[] chosen = new int[n];
        int m = 0;
        int[] taken = new int[k];
        for (int i = 0; i < size() && m < n; i++) {
            int c = label(i);
            if (taken[c] < quota[c]) {
                taken[c]++;
                chosen[m++] = i;
            }
        }
        return select(chosen, name + "[limit " + n + "]");
    }

    @Override
    public String toString() {
        return name + ": " + size() + " images " + channels + "x" + height + "x" + width + ", "
                + numClasses() + " classes, label histogram " + Arrays.toString(labelHistogram());
    }
}
