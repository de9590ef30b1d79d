package octoquant.datasets;

import java.util.List;
import java.util.Locale;

/**
 * The image data sets this module knows: where they live under a data root, their canonical files and
 * checksums, and where to download them.
 */
public enum DatasetId {
    MNIST("mnist", "MNIST",
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            List.of(
                    new KnownFile("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 47_040_016),
                    new KnownFile("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60_008),
                    new KnownFile("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 7_840_016),
                    new KnownFile("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10_008)),
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/",
                    "http://yann.lecun.com/exdb/mnist/")),
    FASHION_MNIST("fashion-mnist", "Fashion-MNIST",
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            List.of(
                    new KnownFile("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47_040_016),
                    new KnownFile("train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60_008),
                    new KnownFile("t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7_840_016),
                    new KnownFile("t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10_008)),
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
    CIFAR10("cifar-10-batches-bin", "CIFAR-10",
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
            List.of(
                    new KnownFile("data_batch_1.bin", null, 30_730_000),
                    new KnownFile("data_batch_2.bin", null, 30_730_000),
                    new KnownFile("data_batch_3.bin", null, 30_730_000),
                    new KnownFile("data_batch_4.bin", null, 30_730_000),
                    new KnownFile("data_batch_5.bin", null, 30_730_000),
                    new KnownFile("test_batch.bin", null, 30_730_000)),
            List.of("https://www.cs.toronto.edu/~kriz/"));

    /** The canonical CIFAR-10 binary archive, read directly from the data root when the folder is absent. */
    public static final String CIFAR10_ARCHIVE = "cifar-10-binary.tar.gz";
    /** Published MD5 of {@link #CIFAR10_ARCHIVE}. */
    public static final String CIFAR10_ARCHIVE_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

    /** A canonical file: its name (without .gz), the SHA-256 of its raw content (null if unknown), its raw size. */
    public record KnownFile(String name, String sha256, long rawBytes) {}

    private final String folder;
    private final String displayName;
    private final List<String> classNames;
    private final List<KnownFile> files;
    private final List<String> mirrors;

    DatasetId(String folder, String displayName, List<String> classNames, List<KnownFile> files, List<String> mirrors) {
        this.folder = folder;
        this.displayName = displayName;
        this.classNames = classNames;
        this.files = files;
        this.mirrors = mirrors;
    }

    /** The sub-folder of a data root, e.g. "mnist". */
    public String folder() { return folder; }
    public String displayName() { return displayName; }
    public List<String> classNames() { return classNames; }
    public List<KnownFile> files() { return files; }

    /** Base URLs tried in order; a file's URL is base + name + ".gz" (IDX) or base + archive name (CIFAR-10). */
    public List<String> mirrors() { return mirrors; }

    /** Parses a command-line name: "mnist", "fashion-mnist", "cifar10" / "cifar-10". */
    public static DatasetId parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "mnist": return MNIST;
            case "fashion-mnist": case "fashion_mnist": case "fashionmnist": return FASHION_MNIST;
            case "cifar10": case "cifar-10": return CIFAR10;
            default: throw new IllegalArgumentException("unknown data set '" + name + "' (known: mnist, fashion-mnist, cifar10)");
        }
    }
}
