package octoquant.experiments.memory;

import octoquant.engine.nn.Models;
import octoquant.engine.nn.Sequential;
import octoquant.engine.util.Rng;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.run.ModelKind;
import octoquant.experiments.run.RegressionTask;

import java.util.Locale;

/**
 * The heap a run set needs, estimated before anything is loaded: the JVM's own baseline, then the larger of
 * the data while it is read ({@link DataFootprint#loadingBytes}) and what a run holds while it trains — the
 * data it keeps; the model with its gradients, optimizer moments, quantized copies and a checkpoint being
 * encoded in memory ({@link #BYTES_PER_PARAMETER} per parameter); and the activations of a training batch and
 * of an evaluation batch ({@link ActivationSizes}: floats per example, 4 bytes each, times {@link #FACTOR} for
 * the scratch and copies the layer-by-layer count leaves out).
 *
 * <p>The constants are calibrated so that the estimate lies above the heap every calibration run needed
 * ({@code scripts/calibrate-memory.sh}): the room the garbage collector needs to work without thrashing.
 * The calibration and its figures: {@code docs/decisions.md}.
 */
public record MemoryEstimate(String run, long jvmBytes, long dataLoadingBytes, long dataKeptBytes, long modelBytes,
                             long activationBytes, long perTrainingExampleBytes, int trainBatch, int evalBatch) {
    /** The heap the JVM and the program take before any data. */
    static final long JVM_BASELINE = 12L << 20;
    /**
     * Per parameter: values, gradients, Adam's two moments, a quantized copy (16–20 bytes), the checkpoint's
     * entries (16) and its encoding (a growing buffer and two copies of about 16–18 bytes each).
     */
    static final int BYTES_PER_PARAMETER = 112;
    /** Bytes per example over the layer-by-layer count (scratch and copies the count leaves out). */
    static final double FACTOR = 1.25;

    public static MemoryEstimate of(RunSetConfig c) {
        DataFootprint data = DataFootprint.of(c);
        Sequential model = model(c, data);
        int trainBatch = Math.min(c.batchSize(), data.trainExamples());
        int evalBatch = Math.min(RunSetConfig.EVAL_BATCH, data.testExamples());
        long perTrain = bytes(ActivationSizes.training(model, data.channels(), data.height(), data.width()));
        long perEval = bytes(ActivationSizes.evaluation(model, data.channels(), data.height(), data.width()));
        long activations = perTrain * trainBatch + perEval * evalBatch;
        long modelBytes = BYTES_PER_PARAMETER * model.parameterCount();
        String run = c.experiment() + (c.experiment().equals("regression") ? "" : " (" + c.model() + ")");
        return new MemoryEstimate(run, JVM_BASELINE, data.loadingBytes(), data.keptBytes(), modelBytes, activations,
                perTrain, trainBatch, evalBatch);
    }

    private static long bytes(long floats) {
        return (long) Math.ceil(4 * FACTOR * floats);
    }

    private static Sequential model(RunSetConfig c, DataFootprint data) {
        Rng rng = new Rng(0);
        if (c.experiment().equals("regression")) return new RegressionTask(1).newModel(rng);
        return c.modelKind() == ModelKind.CNN ? Models.seedCnn(rng, data.channels(), data.height(), data.width())
                : Models.mlp(rng);
    }

    /** What training holds besides the baseline. */
    long trainingBytes() {
        return dataKeptBytes + modelBytes + activationBytes;
    }

    /** The heap the run set needs. */
    public long totalBytes() {
        return jvmBytes + Math.max(dataLoadingBytes, trainingBytes());
    }

    /**
     * The largest training batch that fits {@code heapBytes} with everything else unchanged, or 0 when even one
     * example does not.
     */
    public int largestBatchFitting(long heapBytes) {
        long rest = jvmBytes + dataKeptBytes + modelBytes + (activationBytes - perTrainingExampleBytes * trainBatch);
        if (jvmBytes + dataLoadingBytes > heapBytes || rest + perTrainingExampleBytes > heapBytes) return 0;
        return (int) Math.min(Integer.MAX_VALUE, (heapBytes - rest) / perTrainingExampleBytes);
    }

    /** e.g. {@code about 310 MB of heap (data 55 MB while loading, …)}. */
    public String describe() {
        return "about " + size(totalBytes()) + " of heap (data " + size(Math.max(dataLoadingBytes, dataKeptBytes))
                + (dataLoadingBytes > dataKeptBytes ? " while loading, " + size(dataKeptBytes) + " kept" : "")
                + " as stored; model, gradients and optimizer " + size(modelBytes) + "; activations and scratch at "
                + "batch " + String.format(Locale.ROOT, "%,d", trainBatch) + " " + size(activationBytes) + "; JVM "
                + size(jvmBytes) + ")";
    }

    /** Bytes in MB or GB with three significant digits at most. */
    public static String size(long bytes) {
        double mb = bytes / (double) (1L << 20);
        if (mb >= 1024) return String.format(Locale.ROOT, "%.1f GB", mb / 1024);
        if (mb >= 10) return String.format(Locale.ROOT, "%.0f MB", mb);
        return String.format(Locale.ROOT, "%.1f MB", mb);
    }
}
