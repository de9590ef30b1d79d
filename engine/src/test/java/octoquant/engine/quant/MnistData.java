package octoquant.engine.quant;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A tiny reader of the real MNIST files (gzip IDX) for tests: pixels normalised as PyTorch's usual MNIST
 * transform and the engine's MNIST test do, {@code (x/255 − 0.1307) / 0.3081}; labels 0–9.
 * The datasets module has the full, verifying reader; this one only checks magic numbers and counts.
 */
record MnistData(float[] images, int[] labels, int count) {
    static final int PIXELS = 28 * 28;
    static final float MEAN = 0.1307f, STD = 0.3081f;

    static Path dir() {
        String shared = System.getenv("OCTOQUANT_SHARED");
        Path root = shared != null ? Path.of(shared) : Path.of("..", "..", "shared");
        return root.resolve("datasets").resolve("mnist");
    }

    static MnistData train() {
        return load("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
    }

    static MnistData test() {
        return load("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
    }

    static MnistData load(String imageFile, String labelFile) {
        Path images = dir().resolve(imageFile), labels = dir().resolve(labelFile);
        try (DataInputStream in = open(images); DataInputStream lb = open(labels)) {
            if (in.readInt() != 0x803) throw new IOException(images + ": not an IDX image file (bad magic)");
            int n = in.readInt();
            if (in.readInt() != 28 || in.readInt() != 28) throw new IOException(images + ": images are not 28x28");
            if (lb.readInt() != 0x801) throw new IOException(labels + ": not an IDX label file (bad magic)");
            if (lb.readInt() != n) throw new IOException(labels + ": label count differs from " + images);
            byte[] raw = new byte[n * PIXELS];
            in.readFully(raw);
            float[] x = new float[raw.length];
            for (int i = 0; i < raw.length; i++) x[i] = ((raw[i] & 0xFF) / 255f - MEAN) / STD;
            byte[] rawLabels = new byte[n];
            lb.readFully(rawLabels);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) y[i] = rawLabels[i];
            return new MnistData(x, y, n);
        } catch (IOException e) {
            throw new UncheckedIOException("MNIST test data under " + dir() + ": " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream s = Files.newInputStream(p);
        return new DataInputStream(new java.io.BufferedInputStream(new GZIPInputStream(s, 1 << 16), 1 << 16));
    }
}
