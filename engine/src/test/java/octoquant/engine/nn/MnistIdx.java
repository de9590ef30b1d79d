package octoquant.engine.nn;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the gzip'ed MNIST IDX files straight from disk for the engine's learning test (the datasets
 * module is separate and not a dependency of the engine). Pixels are normalised as PyTorch's usual
 * MNIST transform does: {@code (x/255 − 0.1307) / 0.3081}.
 */
final class MnistIdx {
    static final float MEAN = 0.1307f;
    static final float STD = 0.3081f;

    final float[] images; // n × 784, normalised
    final int[] labels;
    final int count;

    private MnistIdx(float[] images, int[] labels) {
        this.images = images;
        this.labels = labels;
        this.count = labels.length;
    }

    /** {@code prefix} is {@code train} or {@code t10k}. */
    static MnistIdx load(Path dir, String prefix) throws IOException {
        byte[] pixels = readIdx(dir.resolve(prefix + "-images-idx3-ubyte.gz"), 0x803);
        byte[] labelBytes = readIdx(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), 0x801);
        int n = labelBytes.length;
        if (pixels.length != n * 784) {
            throw new IOException(prefix + ": " + pixels.length + " pixel bytes for " + n + " labels (expected 784 each)");
        }
        float[] images = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) images[i] = ((pixels[i] & 0xFF) / 255f - MEAN) / STD;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = labelBytes[i] & 0xFF;
        return new MnistIdx(images, labels);
    }

    /** The payload of an IDX file after checking its magic number and sizes. */
    private static byte[] readIdx(Path file, int magic) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw), 1 << 16))) {
            int m = in.readInt();
            if (m != magic) throw new IOException(file + ": magic " + Integer.toHexString(m) + ", expected " + Integer.toHexString(magic));
            int dims = m & 0xFF;
            long size = 1;
            for (int i = 0; i < dims; i++) size *= in.readInt();
            byte[] data = new byte[Math.toIntExact(size)];
            in.readFully(data);
            return data;
        }
    }
}
