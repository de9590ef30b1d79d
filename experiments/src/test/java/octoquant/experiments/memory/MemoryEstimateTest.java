package octoquant.experiments.memory;

import octoquant.engine.nn.Models;
import octoquant.engine.util.Rng;
import octoquant.experiments.cli.CliParser;
import octoquant.experiments.grid.RunSetConfig;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MemoryEstimateTest {

    private static RunSetConfig config(String... args) throws Exception {
        return RunSetConfig.of(CliParser.parse(args));
    }

    @Test
    void activationSizesFollowTheLayersGeometry() {
        // The input twice; linear 128 fused with its relu (one output), linear 10, each with its gradient in
        // training.
        var mlp = Models.mlp(new Rng(1));
        assertEquals(2 * 784 + 2 * (128 + 10), ActivationSizes.training(mlp, 1, 28, 28));
        assertEquals(2 * 784 + 128 + 10, ActivationSizes.evaluation(mlp, 1, 28, 28));
        // Unfused, the relu keeps its own output 128 (and gradient).
        mlp.setFusion(false);
        assertEquals(2 * 784 + 2 * (128 + 128 + 10), ActivationSizes.training(mlp, 1, 28, 28));
        assertEquals(2 * 784 + 128 + 128 + 10, ActivationSizes.evaluation(mlp, 1, 28, 28));
        // The seed CNN on 1x28x28: the input twice; block 1 (fused conv-relu-pool, 1 input channel: im2col)
        // keeps its columns 1*9*28*28 and the pooled 32*14*14 with gradient and winners; block 2 (32 input
        // channels: Winograd, no columns) the pooled 64*7*7 with gradient and winners; then the fused
        // linear-relu 64 and the linear 10, twice.
        var cnn = Models.seedCnn(new Rng(1), 1, 28, 28);
        assertEquals(2 * 784 + 9 * 784 + 3 * 32 * 196 + 3 * 64 * 49 + 2 * (64 + 10),
                ActivationSizes.training(cnn, 1, 28, 28));
        assertEquals(2 * 784 + 32 * 196 + 64 * 49 + 64 + 10, ActivationSizes.evaluation(cnn, 1, 28, 28));
        // Unfused, each layer keeps its own output: conv 32*28*28, relu the same, pool 32*14*14 and winners, …
        cnn.setFusion(false);
        assertEquals(2 * 784 + 9 * 784 + 2 * 32 * 784 + 2 * 32 * 784 + 3 * 32 * 196 + 2 * 64 * 196 + 2 * 64 * 196
                + 3 * 64 * 49 + 2 * (64 + 64 + 10), ActivationSizes.training(cnn, 1, 28, 28));
    }

    @Test
    void theDataAreCountedAsStored() throws Exception {
        DataFootprint full = DataFootprint.of(config("mnist"));
        assertEquals(60_000, full.trainExamples());
        assertEquals(10_000, full.testExamples());
        assertEquals(47_040_016L + 60_008 + 7_840_016 + 10_008, full.loadingBytes(), "the four IDX files");
        assertEquals(full.loadingBytes(), full.keptBytes(), "all of it is kept");
        DataFootprint small = DataFootprint.of(config("mnist", "--limit-train", "500", "--limit-test", "200"));
        assertEquals(700L * 785, small.keptBytes(), "one byte per pixel and per label");
        assertEquals(full.loadingBytes() + 700L * 785, small.loadingBytes(), "the subset is cut out of the whole set");
        DataFootprint cifar = DataFootprint.of(config("cifar10"));
        assertEquals(50_000, cifar.trainExamples());
        assertEquals(3, cifar.channels());
        assertEquals(7 * 30_730_000L, cifar.loadingBytes(), "six batch files and one being read");
    }

    @Test
    void theTrainingBatchIsCappedByTheTrainingSet() throws Exception {
        MemoryEstimate e = MemoryEstimate.of(config("mnist", "--batch-size", "100000", "--limit-train", "300"));
        assertEquals(300, e.trainBatch());
        assertEquals(256, e.evalBatch());
    }

    /** The batch the refusal suggests fits, and one more example would not. */
    @Property(tries = 40)
    void theSuggestedBatchIsTheLargestThatFits(@ForAll @IntRange(min = 200, max = 4000) int heapMb,
                                               @ForAll("models") String model) throws Exception {
        long heap = (long) heapMb << 20;
        MemoryEstimate big = MemoryEstimate.of(config("mnist", "--model", model, "--batch-size", "60000"));
        int fits = big.largestBatchFitting(heap);
        if (fits == 0) {
            assertTrue(MemoryEstimate.of(config("mnist", "--model", model, "--batch-size", "1")).totalBytes() > heap);
            return;
        }
        assertTrue(MemoryEstimate.of(config("mnist", "--model", model, "--batch-size", Integer.toString(fits)))
                .totalBytes() <= heap);
        if (fits < 60_000) {
            assertTrue(MemoryEstimate.of(config("mnist", "--model", model, "--batch-size", Integer.toString(fits + 1)))
                    .totalBytes() > heap);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> models() {
        return net.jqwik.api.Arbitraries.of("mlp", "cnn");
    }

    @Test
    void aRunThatCannotFitIsRefusedWithTheEstimateAndWhatToChange() throws Exception {
        MemoryEstimate e = MemoryEstimate.of(config("mnist", "--model", "cnn", "--batch-size", "60000"));
        HeapCheck.TooLittleHeap refused = assertThrows(HeapCheck.TooLittleHeap.class,
                () -> HeapCheck.require(e, 512L << 20));
        int fits = e.largestBatchFitting(512L << 20);
        assertTrue(fits > 0 && fits < 60_000);
        assertTrue(refused.getMessage().startsWith("mnist (cnn) needs " + e.describe() + ", more than this JVM's heap "
                + "of 512 MB (-Xmx); use --batch-size " + String.format(java.util.Locale.ROOT, "%,d", fits)
                + " or smaller, or give the JVM more: java -Xmx"), refused.getMessage());
        HeapCheck.require(e, e.totalBytes()); // exactly enough passes
    }

    @Test
    void outOfMemoryErrorsSayWhichMemoryAndWhatToChange() {
        OutOfMemory heap = OutOfMemory.of(new OutOfMemoryError("Java heap space"));
        assertTrue(heap.what().startsWith("out of memory: the Java heap ("), heap.what());
        assertTrue(heap.fix().contains("-Xmx") && heap.fix().contains("--batch-size"), heap.fix());
        assertTrue(heap.jvmOption().startsWith("-Xmx"));
        assertTrue(OutOfMemory.of(new OutOfMemoryError("GC overhead limit exceeded")).what().contains("Java heap"));
        assertEquals("-XX:MaxMetaspaceSize=512m", OutOfMemory.of(new OutOfMemoryError("Metaspace")).jvmOption());
        assertTrue(OutOfMemory.of(new OutOfMemoryError("Direct buffer memory")).what().contains("direct"));
        assertTrue(OutOfMemory.of(new OutOfMemoryError("unable to create native thread: possibly out of memory"))
                .fix().contains("--threads"));
        assertTrue(OutOfMemory.of(new OutOfMemoryError("Requested array size exceeds VM limit")).fix()
                .contains("--batch-size"));
        assertEquals("256m", OutOfMemory.suggestedHeap(80L << 20));
        assertEquals("1024m", OutOfMemory.suggestedHeap(1000L << 20));
        assertEquals("2g", OutOfMemory.suggestedHeap(1300L << 20));
    }
}
