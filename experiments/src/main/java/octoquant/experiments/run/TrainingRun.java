package octoquant.experiments.run;

import octoquant.engine.autograd.Grad;
import octoquant.engine.nn.Sequential;
import octoquant.engine.param.Parameter;
import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.safetensors.SafetensorsException;
import octoquant.engine.state.StateMismatchException;
import octoquant.engine.state.StateWriter;
import octoquant.engine.state.Stateful;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.ScalePolicy;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import octoquant.experiments.checkpoint.Checkpoint;
import octoquant.experiments.checkpoint.CheckpointException;
import octoquant.experiments.checkpoint.CheckpointFile;
import octoquant.experiments.checkpoint.CheckpointState;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.WriteFailure;
import octoquant.experiments.launch.StopSignal;
import octoquant.experiments.result.EpochMetrics;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.result.WeightHistogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The training loop of every experiment: runs one {@link RunSpec}. Builds the model from the seed, puts its
 * weights in the method's storage and mode, trains epoch by epoch with a checkpoint after each, then leaves
 * the weights in their stored form, evaluates, and times inference apart from training. Probes watch the
 * loop without changing it.
 *
 * <p>A ptq run trains fp32 once and then, for each of its methods, quantizes the trained weights, evaluates
 * and times them, and puts the fp32 weights back: one result per method, the training curves shared.
 *
 * <p>Divergence: a non-finite loss stops the run (status {@code diverged}); the caller goes on with the
 * other runs.
 */
public final class TrainingRun {
    private final Task task;
    private final RunSpec spec;
    private final RunSetConfig config;
    private final QuantScheme trainingScheme;
    private final Path checkpoint;
    private final Progress progress;
    private final List<TrainingProbe> probes;
    private final java.util.function.Function<String, Path> weightsFile;

    private Sequential model;
    private List<Parameter> params;
    private octoquant.engine.optim.Optimizer optimizer;

    public TrainingRun(Task task, RunSpec spec, Path checkpoint, Progress progress, List<TrainingProbe> probes) {
        this(task, spec, checkpoint, progress, probes, null);
    }

    /**
     * @param weightsFile where each method's final weights are written (safetensors, in their stored form), or
     *                    null to write none
     */
    public TrainingRun(Task task, RunSpec spec, Path checkpoint, Progress progress, List<TrainingProbe> probes,
                       java.util.function.Function<String, Path> weightsFile) {
        this.task = task;
        this.spec = spec;
        this.config = spec.config();
        this.trainingScheme = spec.mode() == TrainingMode.PTQ ? QuantScheme.FLOAT : spec.methods().get(0).scheme();
        this.checkpoint = checkpoint;
        this.progress = progress;
        this.probes = List.copyOf(probes);
        this.weightsFile = weightsFile;
    }

    public Sequential model() {
        return model;
    }

    /** The checkpoint's name for what this run trains: its methods (and mode, when not the set's). */
    private String methodKey() {
        String id = spec.id();
        return id.substring(0, id.lastIndexOf("-seed"));
    }

    private long seed() {
        return spec.seed();
    }

    /**
     * Trains (or resumes) and returns one result per method of the spec, in the spec's order.
     *
     * @throws StopSignal.StopRequested at the first batch boundary after a stop was asked for: the run is
     *         abandoned there, its last complete checkpoint on disk
     * @throws WriteFailure naming the checkpoint or weights file that could not be written
     */
    public List<SeedRun> run() throws IOException {
        StopSignal.check();
        model = task.newModel(new Rng(Seeds.mix(seed(), Seeds.INIT)));
        if (config.initFrom() != null) InitialWeights.load(model, config.initFrom());
        params = model.parameters();
        Quantization.prepare(params, trainingScheme, spec.mode(), Seeds.mix(seed(), Seeds.QUANT));
        if (config.trainable() == RunSetConfig.Trainable.BIASES) {
            for (Parameter p : params) if (!Quantization.isBias(p)) p.setTrainable(false);
        }
        optimizer = config.optimizer().create(params, config.lr());
        SeedRun result = new SeedRun(spec.seed());
        result.parameterCount = model.parameterCount();
        int batchesPerEpoch = (task.trainSize() + config.batchSize() - 1) / config.batchSize();
        TrainingProbe.Context ctx = new TrainingProbe.Context(task, model, params, trainingScheme, spec.mode(),
                config.epochs(), batchesPerEpoch);
        for (TrainingProbe p : probes) p.attach(ctx);
        if (Files.exists(checkpoint)) {
            restore(result);
        } else {
            for (TrainingProbe p : probes) p.begin();
        }
        for (int epoch = result.epochs.size(); epoch < config.epochs() && !result.diverged(); epoch++) {
            trainEpoch(epoch, batchesPerEpoch, result);
            if (!result.diverged()) for (TrainingProbe p : probes) p.endEpoch(epoch + 1);
            result.checkpointBytes = CheckpointFile.write(checkpoint, save(result));
        }
        if (result.checkpointBytes == 0 && Files.exists(checkpoint)) result.checkpointBytes = Files.size(checkpoint);
        result.trainSeconds = result.epochs.stream().mapToDouble(EpochMetrics::trainSeconds).sum();
        for (TrainingProbe p : probes) p.finish(result);
        if (result.diverged()) return List.of(result);
        if (spec.mode() != TrainingMode.PTQ) {
            finishAs(spec.methods().get(0), result);
            return List.of(result);
        }
        List<SeedRun> out = new ArrayList<>();
        List<WeightStorage> trained = new ArrayList<>();
        for (Parameter p : params) trained.add(p.storage());
        for (Method m : spec.methods()) {
            SeedRun r = result.copyTraining();
            finishAs(m, r);
            out.add(r);
            for (int i = 0; i < params.size(); i++) params.get(i).setStorage(trained.get(i));
        }
        return out;
    }

    /**
     * Leaves the weights in {@code method}'s stored form, measures the final numbers into {@code r} and writes
     * the weights out.
     */
    private void finishAs(Method method, SeedRun r) throws IOException {
        Quantization.finish(params, method.scheme(), spec.mode(), Seeds.mix(seed(), Seeds.QUANT));
        if (weightsFile != null) {
            Path file = weightsFile.apply(method.name());
            try {
                Files.createDirectories(file.getParent());
                octoquant.engine.nn.WeightsFile.save(model, file);
            } catch (IOException e) {
                throw WriteFailure.of(file, e);
            } catch (SafetensorsException e) {
                throw WriteFailure.of(file, e.getCause() != null ? e.getCause() : e);
            }
        }
        // The final evaluation, on the weights in their stored form, doubles as the inference warm-up.
        double[] fin = evaluate();
        r.finalTestLoss = fin[0];
        r.finalTestAccuracy = task.classification() ? fin[1] : Double.NaN;
        timeInference(r);
        r.weightBytes = Quantization.weightBytes(params);
        for (Parameter p : params) {
            if (Quantization.isBias(p)) continue;
            float[] w = p.storage().decodeAll();
            double step = gridStep(p);
            r.histograms.add(WeightHistogram.of(p.name(), w, 60, step));
            // Near zero, one bin per grid point: where nearest rounding and truncation differ (the dead zone).
            double zoomStep = Double.isFinite(step) ? step : 1.0 / 255;
            r.histograms.add(WeightHistogram.window(p.name() + " near zero", w, -12.5 * zoomStep,
                    12.5 * zoomStep, 25, step));
            break;
        }
    }

    private void trainEpoch(int epoch, int batchesPerEpoch, SeedRun result) {
        progress.startEpoch(String.format(Locale.ROOT, "%s epoch %d/%d", spec.label(), epoch + 1, config.epochs()),
                task.trainSize());
        model.train(true);
        double lossSum = 0;
        long correct = 0;
        int seen = 0;
        long step = (long) epoch * batchesPerEpoch;
        long t0 = System.nanoTime();
        try {
            for (BatchData b : task.trainBatches(Seeds.mix(seed(), Seeds.DATA), epoch)) {
                StopSignal.check();
                step++;
                optimizer.zeroGrad();
                Tensor out = model.forward(b.x());
                Tensor loss = task.loss(out, b);
                double lv = loss.item();
                if (!Double.isFinite(lv)) throw new ArithmeticException("loss is " + lv);
                correct += task.correct(out, b);
                loss.backward();
                for (TrainingProbe p : probes) p.afterBackward(step, b);
                optimizer.step();
                for (TrainingProbe p : probes) p.afterUpdate(step, lv);
                lossSum += lv * b.size();
                seen += b.size();
                progress.batch(seen, lossSum / seen);
            }
        } catch (ArithmeticException e) {
            result.status = "diverged";
            result.divergedAtEpoch = epoch + 1;
            progress.endEpoch("DIVERGED: the loss became NaN or infinite (" + e.getMessage()
                    + "); this run stops, the others go on");
            return;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double[] test = evaluate();
        if (!Double.isFinite(test[0])) {
            result.status = "diverged";
            result.divergedAtEpoch = epoch + 1;
            progress.endEpoch("DIVERGED: the test loss is " + test[0] + "; this run stops, the others go on");
            return;
        }
        double trainAcc = task.classification() ? (double) correct / seen : Double.NaN;
        double testAcc = task.classification() ? test[1] : Double.NaN;
        result.epochs.add(new EpochMetrics(epoch + 1, lossSum / seen, trainAcc, test[0], testAcc, secs));
        progress.endEpoch(task.classification()
                ? String.format(Locale.ROOT, "train loss %.4f acc %.2f%% | test loss %.4f acc %.2f%% | %.1fs (%,.0f ex/s)",
                        lossSum / seen, trainAcc * 100, test[0], testAcc * 100, secs, seen / secs)
                : String.format(Locale.ROOT, "train loss %.4f | test loss %.4f | %.1fs", lossSum / seen, test[0], secs));
    }

    /** Mean test loss and accuracy, without a graph. A non-finite loss comes back as NaN. */
    public double[] evaluate() {
        return evaluate(model, task);
    }

    /** Mean test loss and accuracy of {@code model} on {@code task}'s test set, without a graph. */
    public static double[] evaluate(Sequential model, Task task) {
        model.eval();
        double lossSum = 0;
        long correct = 0;
        int n = 0;
        try (Grad.Scope off = Grad.disabled()) {
            for (BatchData b : task.testBatches(RunSetConfig.EVAL_BATCH)) {
                StopSignal.check();
                Tensor out = model.forward(b.x());
                lossSum += task.loss(out, b).item() * (double) b.size();
                correct += task.correct(out, b);
                n += b.size();
            }
        } catch (ArithmeticException e) {
            return new double[] {Double.NaN, Double.NaN};
        } finally {
            model.train(true);
        }
        return new double[] {lossSum / n, (double) correct / n};
    }

    /**
     * The median of {@value RunSetConfig#INFERENCE_PASSES} timed passes over the test set, after warm-up passes
     * (at least one besides the final evaluation, and until half a second has gone into warming up, so the
     * JIT has compiled the inference path whichever method runs first).
     */
    private void timeInference(SeedRun result) {
        double[] secs = new double[RunSetConfig.INFERENCE_PASSES];
        model.eval();
        try (Grad.Scope off = Grad.disabled()) {
            long warmStart = System.nanoTime();
            for (int pass = 0; pass < 20 && (pass < 1 || System.nanoTime() - warmStart < 500_000_000L); pass++) {
                for (BatchData b : task.testBatches(RunSetConfig.EVAL_BATCH)) {
                    StopSignal.check();
                    model.forward(b.x());
                }
            }
            for (int pass = 0; pass < secs.length; pass++) {
                long t0 = System.nanoTime();
                for (BatchData b : task.testBatches(RunSetConfig.EVAL_BATCH)) {
                    StopSignal.check();
                    model.forward(b.x());
                }
                secs[pass] = (System.nanoTime() - t0) / 1e9;
            }
        } finally {
            model.train(true);
        }
        Arrays.sort(secs);
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        result.inferenceLoadPerCore = load >= 0 ? load / Runtime.getRuntime().availableProcessors() : Double.NaN;
        result.inferenceSeconds = secs[secs.length / 2];
        result.imagesPerSecond = task.testSize() / result.inferenceSeconds;
    }

    /** The distance between grid points of the stored weights, when there is one grid for the whole tensor. */
    static double gridStep(Parameter p) {
        if (p.storage() instanceof QuantizedStorage q && !q.perChannel() && q.policy() != ScalePolicy.MINMAX) {
            return q.step(0);
        }
        return Double.NaN;
    }

    // ------------------------------------------------------------------ checkpoints

    private Checkpoint save(SeedRun r) {
        Checkpoint c = new Checkpoint(config.hash());
        c.putString("method", methodKey());
        c.putLong("seed", seed());
        c.putLong("epoch", r.epochs.size());
        c.putString("status", r.status);
        c.putLong("divergedAtEpoch", r.divergedAtEpoch);
        int n = r.epochs.size();
        double[][] m = new double[5][n];
        for (int i = 0; i < n; i++) {
            EpochMetrics e = r.epochs.get(i);
            m[0][i] = e.trainLoss();
            m[1][i] = e.trainAccuracy();
            m[2][i] = e.testLoss();
            m[3][i] = e.testAccuracy();
            m[4][i] = e.trainSeconds();
        }
        c.putDoubles("metrics.trainLoss", m[0]).putDoubles("metrics.trainAccuracy", m[1])
                .putDoubles("metrics.testLoss", m[2]).putDoubles("metrics.testAccuracy", m[3])
                .putDoubles("metrics.trainSeconds", m[4]);
        StateWriter state = CheckpointState.writer(c);
        for (Parameter p : params) {
            c.putString("param." + p.name() + ".storage", p.storage().describe());
            c.putInts("param." + p.name() + ".shape", p.shape());
            c.putFloats("param." + p.name(), p.storage().decodeAll());
            // The complete state (packed codes, scales, rounding generator; QAT's shadow) for an exact resume.
            state.put("state." + p.name() + ".storage", stateful(p.storage()));
            if (p.mode() instanceof Stateful modeState) state.put("state." + p.name() + ".mode", modeState);
        }
        state.put("optim", optimizer);
        for (TrainingProbe p : probes) c.putString("probe." + p.name(), Json.write(p.saveState()));
        return c;
    }

    private void restore(SeedRun r) {
        Checkpoint c = CheckpointFile.read(checkpoint, config.hash());
        if (!c.string("method").equals(methodKey()) || c.longValue("seed") != seed()) {
            throw new CheckpointException("checkpoint " + checkpoint + " is for " + c.string("method") + " seed "
                    + c.longValue("seed") + ", not " + methodKey() + " seed " + seed());
        }
        int n = (int) c.longValue("epoch");
        double[] tl = c.doubles("metrics.trainLoss"), ta = c.doubles("metrics.trainAccuracy"),
                vl = c.doubles("metrics.testLoss"), va = c.doubles("metrics.testAccuracy"),
                ts = c.doubles("metrics.trainSeconds");
        for (int i = 0; i < n; i++) r.epochs.add(new EpochMetrics(i + 1, tl[i], ta[i], vl[i], va[i], ts[i]));
        r.status = c.string("status");
        r.divergedAtEpoch = (int) c.longValue("divergedAtEpoch");
        for (Parameter p : params) {
            String key = "param." + p.name();
            if (!Arrays.equals(c.ints(key + ".shape"), p.shape())) {
                throw new CheckpointException("checkpoint " + checkpoint + ": parameter " + p.name() + " has shape "
                        + Arrays.toString(c.ints(key + ".shape")) + ", the model has " + Arrays.toString(p.shape()));
            }
            if (!c.string(key + ".storage").equals(p.storage().describe())) {
                throw new CheckpointException("checkpoint " + checkpoint + ": parameter " + p.name() + " was stored as "
                        + c.string(key + ".storage") + ", this run stores it as " + p.storage().describe());
            }
            restoreState("state." + p.name() + ".storage", stateful(p.storage()), c);
            if (p.mode() instanceof Stateful modeState) restoreState("state." + p.name() + ".mode", modeState, c);
            if (!Arrays.equals(p.storage().decodeAll(), c.floats(key))) {
                throw new CheckpointException("checkpoint " + checkpoint + ": parameter " + p.name()
                        + " does not decode to the saved values after restoring; delete the checkpoint to rerun "
                        + spec.label() + " from the start");
            }
        }
        restoreState("optim", optimizer, c);
        for (TrainingProbe p : probes) {
            String key = "probe." + p.name();
            if (!c.has(key)) {
                throw new CheckpointException("checkpoint " + checkpoint + " has no '" + key + "' entry; delete it to rerun "
                        + spec.label() + " from the start");
            }
            p.restoreState(Json.parse(c.string(key)));
        }
        progress.line(String.format(Locale.ROOT, "%s: resumed after epoch %d from %s", spec.label(), n,
                checkpoint.getFileName()));
    }

    /** Restores one engine object; state that does not fit it becomes a one-line checkpoint error. */
    private void restoreState(String prefix, Stateful target, Checkpoint c) {
        try {
            CheckpointState.reader(c).restore(prefix, target);
        } catch (StateMismatchException e) {
            throw new CheckpointException("checkpoint " + checkpoint + ": " + e.getMessage() + "; delete it to rerun "
                    + spec.label() + " from the start");
        }
    }

    /** Every engine storage saves its own state; one that cannot would make the resume inexact. */
    private static Stateful stateful(WeightStorage s) {
        if (s instanceof Stateful st) return st;
        throw new IllegalStateException("storage " + s.describe() + " (" + s.getClass().getName()
                + ") does not implement octoquant.engine.state.Stateful, so it cannot be checkpointed");
    }
}
