package octoquant.datasets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Benchmark script (not a test): load time and memory of the real MNIST, Fashion-MNIST and a CIFAR-10-sized
 * synthetic set (50,000 + 10,000 random 3×32×32 records written in the exact binary format).
 *
 * <pre>
 *   mvn -B -ntp -q -pl datasets test-compile
 *   java -Xmx2g -cp datasets/target/classes:datasets/target/test-classes octoquant.datasets.LoadFootprint [shared-datasets-dir]
 * </pre>
 *
 * Each load runs twice in the same JVM (the first includes class loading and JIT warm-up); "retained" is
 * heap used after a full GC with the data set held, minus the same before loading; "peak" is the sum of the
 * heap pools' peak usage during the load minus the baseline (an upper bound: pools peak at different
 * moments); RSS is the process's resident set from /proc/self/status.
 */
public final class LoadFootprint {
    interface Loader {
        TrainTest load() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared/datasets");
        System.out.println("java " + System.getProperty("java.version") + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        measure("MNIST (gz, SHA-256 checked)", () -> Mnist.load(shared.resolve("mnist")));
        measure("Fashion-MNIST (gz, SHA-256 checked)", () -> FashionMnist.load(DataLocator.DEBIAN_FASHION_MNIST));
        Path tmp = Files.createTempDirectory("octoquant-cifar-footprint");
        try {
            writeSyntheticCifar(tmp.resolve("raw/cifar-10-batches-bin"), false);
            writeSyntheticCifar(tmp.resolve("gz/cifar-10-batches-bin"), true);
            measure("CIFAR-sized synthetic (raw .bin)", () -> Cifar10.load(tmp.resolve("raw"), Verify.STRUCTURE));
            measure("CIFAR-sized synthetic (.bin.gz)", () -> Cifar10.load(tmp.resolve("gz"), Verify.STRUCTURE));
            writeArchive(tmp.resolve("raw/cifar-10-batches-bin"), tmp.resolve("tar/cifar-10-binary.tar.gz"));
            measure("CIFAR-sized synthetic (tar.gz archive)", () -> Cifar10.load(tmp.resolve("tar"), Verify.STRUCTURE));
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static void measure(String name, Loader loader) throws Exception {
        for (int run = 1; run <= 2; run++) {
            long before = usedAfterGc();
            resetPeaks();
            long t0 = System.nanoTime();
            TrainTest t = loader.load();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long peak = peakHeap() - before;
            long held = usedAfterGc() - before;
            long pixelBytes = (long) (t.train().size() + t.test().size()) * t.train().sampleSize();
            System.out.printf(Locale.ROOT, "%-38s run %d: %5.2f s, retained heap %6.1f MiB (pixel bytes %6.1f MiB), peak heap while loading <= %6.1f MiB, RSS %6.1f MiB, %d+%d images%n",
                    name, run, seconds, held / 1048576.0, pixelBytes / 1048576.0, peak / 1048576.0, rssKiB() / 1024.0, t.train().size(), t.test().size());
            t = null;
        }
    }

    private static void writeSyntheticCifar(Path folder, boolean gz) throws IOException {
        Files.createDirectories(folder);
        SplitMix64 r = new SplitMix64(2026);
        String[] names = {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"};
        byte[] batch = new byte[10_000 * 3073];
        for (String n : names) {
            for (int i = 0; i < batch.length; i += 8) {
                long v = r.nextLong();
                for (int k = 0; k < 8 && i + k < batch.length; k++) batch[i + k] = (byte) (v >>> (8 * k));
            }
            for (int i = 0; i < 10_000; i++) batch[i * 3073] = (byte) (i % 10);
            try (OutputStream o = gz ? new GZIPOutputStream(Files.newOutputStream(folder.resolve(n + ".gz")), 1 << 16)
                    : Files.newOutputStream(folder.resolve(n))) {
                o.write(batch);
            }
        }
    }

    private static void resetPeaks() {
        for (java.lang.management.MemoryPoolMXBean p : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == java.lang.management.MemoryType.HEAP) p.resetPeakUsage();
        }
    }

    /** Sum over heap pools of each pool's peak: an upper bound of the heap's peak since resetPeaks(). */
    private static long peakHeap() {
        long sum = 0;
        for (java.lang.management.MemoryPoolMXBean p : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == java.lang.management.MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        }
        return sum;
    }

    private static void writeArchive(Path folder, Path archive) throws IOException {
        TestFiles.Tar tar = new TestFiles.Tar();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path f : s.sorted().toList()) tar.file("cifar-10-batches-bin/" + f.getFileName(), Files.readAllBytes(f));
        }
        Files.createDirectories(archive.getParent());
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(archive), 1 << 16)) {
            o.write(tar.bytes());
        }
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux: report 0
        }
        return 0;
    }
}
