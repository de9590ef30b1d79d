package octoquant.experiments.run;

import octoquant.engine.autograd.Grad;
import octoquant.engine.param.Parameter;
import octoquant.engine.nn.Sequential;
import octoquant.engine.optim.Adam;
import octoquant.engine.optim.Optimizer;
import octoquant.engine.optim.Sgd;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.quant.Quantization;
import octoquant.engine.storage.ScalePolicy;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.state.StateMismatchException;
import octoquant.engine.state.StateWriter;
import octoquant.engine.state.Stateful;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import octoquant.experiments.checkpoint.Checkpoint;
import octoquant.experiments.checkpoint.CheckpointException;
import octoquant.experiments.checkpoint.CheckpointFile;
import octoquant.experiments.checkpoint.CheckpointState;
import octoquant.experiments.cli.Options;
import octoquant.experiments.result.EpochMetrics;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.result.WeightHistogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Trains one method with one seed: builds the model from the seed, puts its weights in the method's
 * storage and mode, trains epoch by epoch with a checkpoint after each, then leaves the weights in their
 * stored form, evaluates, and times inference apart from training.
 *
 * <p>Divergence: a non-finite loss stops this run (status {@code diverged}); the caller goes on with the
 * other runs.
 */
public final class MethodRun {
    private final Task task;
    private final Options o;
    private final String method;
    private final QuantScheme scheme;
    private final TrainingMode mode;
    private final int seed;
    private final Path checkpoint;
    private final byte[] configHash;
    private final Progress progress;

    private Sequential model;
    private List<Parameter> params;
    private Optimizer optimizer;

    public MethodRun(Task task, Options o, String method, int seed, Path checkpoint, byte[] configHash, Progress progress) {
        this.task = task;
        this.o = o;
        this.method = method;
        this.scheme = QuantScheme.parse(method);
        this.mode = TrainingMode.parse(o.mode);
        this.seed = seed;
        this.checkpoint = checkpoint;
        this.configHash = configHash;
        this.progress = progress;
    }

    public Sequential model() {
        return model;
    }

    public SeedRun run() throws IOException {
        model = task.newModel(new Rng(Seeds.mix(seed, Seeds.INIT)));
        params = model.parameters();
        Quantization.prepare(params, scheme, mode, Seeds.mix(seed, Seeds.QUANT));
        optimizer = o.optimizer.equals("sgd") ? new Sgd(params, o.lr) : new Adam(params, o.lr);
        SeedRun result = new SeedRun(seed);
        result.parameterCount = model.parameterCount();
        if (Files.exists(checkpoint)) restore(result);
        for (int epoch = result.epochs.size(); epoch < o.epochs && !result.diverged(); epoch++) {
            trainEpoch(epoch, result);
            result.checkpointBytes = CheckpointFile.write(checkpoint, save(result));
        }
        if (result.checkpointBytes == 0 && Files.exists(checkpoint)) result.checkpointBytes = Files.size(checkpoint);
        result.trainSeconds = result.epochs.stream().mapToDouble(EpochMetrics::trainSeconds).sum();
        if (result.diverged()) return result;

        Quantization.finish(params, scheme, mode, Seeds.mix(seed, Seeds.QUANT));
        // The final evaluation, on the weights in their stored form, doubles as the inference warm-up.
        double[] fin = evaluate();
        result.finalTestLoss = fin[0];
        result.finalTestAccuracy = task.classification() ? fin[1] : Double.NaN;
        timeInference(result);
        result.weightBytes = Quantization.weightBytes(params);
        for (Parameter p : params) {
            if (Quantization.isBias(p)) continue;
            float[] w = p.storage().decodeAll();
            double step = gridStep(p);
            result.histograms.add(WeightHistogram.of(p.name(), w, 60, step));
            // Near zero, one bin per grid point: where nearest rounding and truncation differ (the dead zone).
            double zoomStep = Double.isFinite(step) ? step : 1.0 / 255;
            result.histograms.add(WeightHistogram.window(p.name() + " near zero", w, -12.5 * zoomStep,
                    12.5 * zoomStep, 25, step));
            break;
        }
        return result;
    }

    private void trainEpoch(int epoch, SeedRun result) {
        progress.startEpoch(String.format(Locale.ROOT, "%s seed %d epoch %d/%d", method, seed, epoch + 1, o.epochs),
                task.trainSize());
        model.train(true);
        double lossSum = 0;
        long correct = 0;
        int seen = 0;
        long t0 = System.nanoTime();
        try {
            for (BatchData b : task.trainBatches(Seeds.mix(seed, Seeds.DATA), epoch)) {
                optimizer.zeroGrad();
                Tensor out = model.forward(b.x());
                Tensor loss = task.loss(out, b);
                double lv = loss.item();
                if (!Double.isFinite(lv)) throw new ArithmeticException("loss is " + lv);
                correct += task.correct(out, b);
                loss.backward();
                optimizer.step();
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
        model.eval();
        double lossSum = 0;
        long correct = 0;
        int n = 0;
        try (Grad.Scope off = Grad.disabled()) {
            for (BatchData b : task.testBatches(RunConfig.EVAL_BATCH)) {
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
     * The median of {@value RunConfig#INFERENCE_PASSES} timed passes over the test set, after warm-up passes
     * (at least one besides the final evaluation, and until half a second has gone into warming up, so the
     * JIT has compiled the inference path whichever method runs first).
     */
    private void timeInference(SeedRun result) {
        double[] secs = new double[RunConfig.INFERENCE_PASSES];
        model.eval();
        try (Grad.Scope off = Grad.disabled()) {
            long warmStart = System.nanoTime();
            for (int pass = 0; pass < 20 && (pass < 1 || System.nanoTime() - warmStart < 500_000_000L); pass++) {
                for (BatchData b : task.testBatches(RunConfig.EVAL_BATCH)) model.forward(b.x());
            }
            for (int pass = 0; pass < secs.length; pass++) {
                long t0 = System.nanoTime();
                for (BatchData b : task.testBatches(RunConfig.EVAL_BATCH)) model.forward(b.x());
                secs[pass] = (System.nanoTime() - t0) / 1e9;
            }
        }
        Arrays.sort(secs);
        result.inferenceSeconds = secs[secs.length / 2];
        result.imagesPerSecond = task.testSize() / result.inferenceSeconds;
    }

    /** The distance between grid points of the stored weights, when there is one grid for the whole tensor. */
    private static double gridStep(Parameter p) {
        if (p.storage() instanceof QuantizedStorage q && !q.perChannel() && q.policy() != ScalePolicy.MINMAX) {
            return q.step(0);
        }
        return Double.NaN;
    }

    // ------------------------------------------------------------------ checkpoints

    private Checkpoint save(SeedRun r) {
        Checkpoint c = new Checkpoint(configHash);
        c.putString("method", method);
        c.putLong("seed", seed);
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
        return c;
    }

    private void restore(SeedRun r) {
        Checkpoint c = CheckpointFile.read(checkpoint, configHash);
        if (!c.string("method").equals(method) || c.longValue("seed") != seed) {
            throw new CheckpointException("checkpoint " + checkpoint + " is for " + c.string("method") + " seed "
                    + c.longValue("seed") + ", not " + method + " seed " + seed);
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
                        + method + " seed " + seed + " from the start");
            }
        }
        restoreState("optim", optimizer, c);
        progress.line(String.format(Locale.ROOT, "%s seed %d: resumed after epoch %d from %s", method, seed, n,
                checkpoint.getFileName()));
    }

    /** Restores one engine object; state that does not fit it becomes a one-line checkpoint error. */
    private void restoreState(String prefix, Stateful target, Checkpoint c) {
        try {
            CheckpointState.reader(c).restore(prefix, target);
        } catch (StateMismatchException e) {
            throw new CheckpointException("checkpoint " + checkpoint + ": " + e.getMessage() + "; delete it to rerun "
                    + method + " seed " + seed + " from the start");
        }
    }

    /** Every engine storage saves its own state; one that cannot would make the resume inexact. */
    private static Stateful stateful(WeightStorage s) {
        if (s instanceof Stateful st) return st;
        throw new IllegalStateException("storage " + s.describe() + " (" + s.getClass().getName()
                + ") does not implement octoquant.engine.state.Stateful, so it cannot be checkpointed");
    }
}
