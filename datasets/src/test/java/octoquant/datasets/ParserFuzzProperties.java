package octoquant.datasets;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import octoquant.datasets.io.IdxReader;
import octoquant.datasets.io.TarExtractor;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzing the parsers: valid files are mutated, truncated, extended or given absurd header fields, raw or
 * gzip'ed (before or after the damage). Whatever happens, the only error allowed out is {@link DataException}:
 * no other exception, no out-of-memory, no huge allocation, no hang.
 */
class ParserFuzzProperties {
    private static Path sandbox;

    /** One way of damaging a file. kind: 0 flip bytes, 1 truncate, 2 extend, 3 overwrite a header word, 4 all of them. */
    record Mutation(int kind, List<Integer> positions, List<Byte> values, int cutPermille, byte[] extra, int headerWord,
                    int headerValue, boolean gzipBeforeDamage, boolean gzip) {
        byte[] apply(byte[] valid) {
            byte[] b = gzipBeforeDamage && gzip ? TestFiles.gzip(valid) : valid.clone();
            if (kind == 3 || kind == 4) {
                int off = Math.min(4 * headerWord, b.length - 4);
                if (off >= 0) ByteBuffer.wrap(b).putInt(off, headerValue);
            }
            if (kind == 0 || kind == 4) {
                for (int i = 0; i < positions.size() && b.length > 0; i++) {
                    b[Math.floorMod(positions.get(i), b.length)] ^= values.get(i % values.size());
                }
            }
            if (kind == 1 || kind == 4) b = Arrays.copyOf(b, (int) ((long) b.length * cutPermille / 1000));
            if (kind == 2 || kind == 4) {
                byte[] c = Arrays.copyOf(b, b.length + extra.length);
                System.arraycopy(extra, 0, c, b.length, extra.length);
                b = c;
            }
            return !gzipBeforeDamage && gzip ? TestFiles.gzip(b) : b;
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 4);
        Arbitrary<List<Integer>> positions = Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(8);
        Arbitrary<List<Byte>> values = Arbitraries.bytes().filter(v -> v != 0).list().ofMinSize(1).ofMaxSize(8);
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 999);
        Arbitrary<byte[]> extra = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(4000);
        Arbitrary<Integer> word = Arbitraries.integers().between(0, 3);
        Arbitrary<Integer> headerValue = Arbitraries.oneOf(Arbitraries.integers(),
                Arbitraries.of(0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x803, 0x801, 60_000, 2_000_000, 1 << 30));
        Arbitrary<Boolean> bools = Arbitraries.of(true, false);
        return Combinators.combine(kind, positions, values, cut, extra, word, headerValue, bools)
                .as((k, p, v, c, e, w, h, g) -> new Object[] {k, p, v, c, e, w, h, g})
                .flatMap(a -> bools.map(gz -> new Mutation((Integer) a[0], cast(a[1]), cast(a[2]), (Integer) a[3], (byte[]) a[4],
                        (Integer) a[5], (Integer) a[6], (Boolean) a[7], gz)));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    @BeforeContainer
    static void makeSandbox() throws IOException {
        sandbox = Files.createTempDirectory("octoquant-fuzz");
    }

    @AfterContainer
    static void removeSandbox() throws IOException {
        try (Stream<Path> s = Files.walk(sandbox)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Runs the parse; anything but success or DataException fails, as does a hang or an allocation far beyond the input. */
    private static void onlyDataException(Path input, Runnable parse) {
        String outcome = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            long before = allocatedBytes();
            String result = "parsed";
            try {
                parse.run();
            } catch (DataException e) {
                result = e.problem().toString();
                assertTrue(!e.getMessage().contains("\n") && e.getMessage().contains(input.getFileName().toString()),
                        "one line naming the file: " + e.getMessage());
            } catch (Throwable t) {
                fail("only DataException may come out, got " + t, t);
            }
            long used = allocatedBytes() - before;
            long budget = 64L * 1024 * 1024 + 8 * Files.size(input) + 16 * 3073 * 10_000L;
            assertTrue(before < 0 || used < budget, "allocated " + used + " bytes for a " + Files.size(input) + "-byte input");
            return result;
        });
        // jqwik's report then shows which outcomes the damage produced (a fuzzer that only ever parses proves little).
        net.jqwik.api.statistics.Statistics.collect(outcome);
    }

    /** Bytes allocated by the current thread so far (HotSpot), or -1 when the JVM cannot tell. */
    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean) {
            return ((com.sun.management.ThreadMXBean) mx).getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }

    private static Path write(String name, byte[] content) {
        return TestFiles.write(sandbox.resolve(name), content);
    }

    @Property(tries = 150)
    void idxImages(@ForAll("mutations") Mutation m) {
        Path f = write("images-idx3", m.apply(TestFiles.idxImages(20, 28, 28, 1)));
        onlyDataException(f, () -> IdxReader.readImages(f));
    }

    @Property(tries = 150)
    void idxLabelsInAFolder(@ForAll("mutations") Mutation m) {
        Path folder = sandbox.resolve("mnist");
        TestFiles.writeMnistFolder(folder, 20, 10, false);
        Path f = write("mnist/t10k-labels-idx1-ubyte", m.apply(TestFiles.idxLabels(10, 10, 4)));
        onlyDataException(f, () -> Mnist.load(folder, Verify.STRUCTURE));
    }

    @Property(tries = 150)
    void cifarBatch(@ForAll("mutations") Mutation m) {
        Path f = write("data_batch_1.bin", m.apply(TestFiles.cifarBatch(3, 0, new int[] {1, 9, 0})));
        onlyDataException(f, () -> Cifar10.readBatchFile(f));
    }

    private static byte[] validArchiveTar() {
        TestFiles.Tar tar = new TestFiles.Tar();
        tar.file("cifar-10-batches-bin/batches.meta.txt", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n".getBytes(StandardCharsets.UTF_8));
        String[] names = {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"};
        for (int i = 0; i < names.length; i++) tar.file("cifar-10-batches-bin/" + names[i], TestFiles.cifarBatch(1, i, new int[] {i}));
        return tar.bytes();
    }

    @Property(tries = 100)
    void cifarArchive(@ForAll("mutations") Mutation m) {
        Path f = write("cifar-10-binary.tar.gz", m.apply(validArchiveTar()));
        onlyDataException(f, () -> Cifar10.loadArchive(f, Verify.STRUCTURE));
    }

    @Property(tries = 100)
    void tarExtraction(@ForAll("mutations") Mutation m) throws IOException {
        Path f = write("archive.tar", m.apply(validArchiveTar()));
        Path target = sandbox.resolve("out");
        onlyDataException(f, () -> TarExtractor.extract(f, target));
        // Whatever the damage, nothing is created next to the target except what was there before.
        try (Stream<Path> s = Files.list(sandbox)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                assertTrue(List.of("out", "archive.tar", "mnist", "images-idx3", "data_batch_1.bin", "cifar-10-binary.tar.gz").contains(n),
                        "unexpected " + p);
            }
        }
    }
}
