package octoquant.experiments.run;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.param.Parameter;
import octoquant.engine.nn.Sequential;
import octoquant.engine.optim.Adam;
import octoquant.engine.optim.Optimizer;
import octoquant.engine.optim.Sgd;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.quant.Quantization;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import octoquant.experiments.UserError;
import octoquant.experiments.cli.Options;
import octoquant.experiments.io.AtomicFiles;
import octoquant.experiments.report.HtmlReport;
import octoquant.experiments.result.GradientSeries;
import octoquant.experiments.result.ResultsJson;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.WeightHistogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The teaching experiment: the MNIST MLP trained from the same initial weights on the same batches under
 * per-tensor max-abs integer storage at 4, 6 and 8 bits, in {@code storage} mode with rounding to nearest,
 * toward zero and stochastic, and in {@code qat} mode (nearest) for comparison, plus fp32 as the reference.
 *
 * <p>Logged about 200 times a run: the training loss (mean since the last log), the fraction of nonzero
 * updates that rounding discarded (storage mode), and in qat mode the cosine between the straight-through
 * gradient (computed through the quantized weights) and the gradient the fp32 master weights themselves
 * would get on the same batch. The first layer's weight histogram is kept at the start and after each
 * epoch.
 */
public final class GradientsExperiment {
    private GradientsExperiment() {}

    static final int[] BITS = {4, 6, 8};
    static final String[] ROUNDINGS = {"nearest", "zero", "stochastic"};
    static final int LOG_POINTS = 200;

    /** One configuration to train. */
    record Config(String name, String scheme, TrainingMode mode, int bits, String rounding) {}

    static List<Config> configs() {
        List<Config> c = new ArrayList<>();
        c.add(new Config("float", "float", TrainingMode.QAT, 32, "-"));
        for (int b : BITS) {
            for (String r : ROUNDINGS) {
                c.add(new Config("storage int" + b + " " + r, "int" + b + "-" + r, TrainingMode.STORAGE, b, r));
            }
        }
        for (int b : BITS) c.add(new Config("qat int" + b + " nearest", "int" + b + "-nearest", TrainingMode.QAT, b, "nearest"));
        return c;
    }

    public static Path run(Options o, PrintStream out) throws IOException {
        Parallel.setThreads(o.threads);
        Path dir = o.out != null ? o.out
                : Path.of("results", "gradients-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        if (Files.exists(dir.resolve("results.json"))) {
            throw new UserError("--out " + dir + " already holds results; choose another --out");
        }
        Task task = Tasks.load(o);
        RunResults results = new RunResults(o.experiment.cliName());
        results.config.putAll(RunConfig.of(o));
        results.config.put("methods", "storage/qat int{4,6,8} per-tensor maxabs × {nearest, zero, stochastic}");
        results.config.put("mode", "storage and qat");
        results.environment.putAll(Environment.describe());
        results.environment.put("trainExamples", task.trainSize());
        results.environment.put("testExamples", task.testSize());
        out.printf(Locale.ROOT, "gradients: MNIST MLP, %,d training examples, %d epochs, seed %d, lr %s (%s)%n",
                task.trainSize(), o.epochs, o.seedOffset, o.lr, o.optimizer);
        for (Config c : configs()) {
            GradientSeries g = train(c, task, o);
            results.gradients.add(g);
            out.printf(Locale.ROOT, "  %-26s final test accuracy %6.2f%%   mean lost fraction %s   mean cosine %s%n", c.name(),
                    g.finalTestAccuracy * 100, fmt(mean(g.lostFraction)), fmt(mean(g.cosine)));
            write(dir, results);
        }
        out.println("wrote " + dir.resolve("results.json") + ", " + dir.resolve("report.html"));
        return dir;
    }

    private static void write(Path dir, RunResults results) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve("results.json"), ResultsJson.write(results));
        String html = HtmlReport.render(results);
        AtomicFiles.writeString(dir.resolve("report.html"), html);
        octoquant.experiments.report.PlotFiles.write(dir.resolve("plots"), html);
    }

    static GradientSeries train(Config c, Task task, Options o) {
        int seed = o.seedOffset;
        QuantScheme scheme = QuantScheme.parse(c.scheme());
        Sequential model = task.newModel(new Rng(Seeds.mix(seed, Seeds.INIT)));
        List<Parameter> params = model.parameters();
        Quantization.prepare(params, scheme, c.mode(), Seeds.mix(seed, Seeds.QUANT));
        Optimizer opt = o.optimizer.equals("sgd") ? new Sgd(params, o.lr) : new Adam(params, o.lr);
        // A fp32 twin holding the master weights at the logged steps, for the reference gradient in qat.
        boolean qat = c.mode() == TrainingMode.QAT && !scheme.isFloat();
        Sequential twin = qat ? task.newModel(new Rng(0)) : null;

        GradientSeries g = new GradientSeries(c.name(), c.bits(), c.rounding(), scheme.isFloat() ? "float" : c.mode().token());
        Parameter first = params.stream().filter(p -> !Quantization.isBias(p)).findFirst().orElseThrow();
        histogram(g, first, 0);
        int batchesPerEpoch = (task.trainSize() + o.batchSize - 1) / o.batchSize;
        int logEvery = Math.max(1, batchesPerEpoch * o.epochs / LOG_POINTS);
        int step = 0;
        double lossAcc = 0, lostAcc = 0;
        int inInterval = 0;
        boolean diverged = false;
        for (int epoch = 0; epoch < o.epochs && !diverged; epoch++) {
            for (BatchData b : task.trainBatches(Seeds.mix(seed, Seeds.DATA), epoch)) {
                opt.zeroGrad();
                Tensor loss;
                try {
                    loss = task.loss(model.forward(b.x()), b);
                } catch (ArithmeticException e) {
                    diverged = true;
                    break;
                }
                loss.backward();
                step++;
                boolean log = step % logEvery == 0;
                double cosine = log && qat ? cosineToFloatGradient(params, twin, task, b) : Double.NaN;
                opt.step();
                lossAcc += loss.item();
                lostAcc += c.mode() == TrainingMode.STORAGE && !scheme.isFloat()
                        ? Quantization.lastUpdate(params).lostFraction() : Double.NaN;
                inInterval++;
                if (log) {
                    g.steps.add(step);
                    g.loss.add(lossAcc / inInterval);
                    g.lostFraction.add(lostAcc / inInterval);
                    g.cosine.add(cosine);
                    lossAcc = 0;
                    lostAcc = 0;
                    inInterval = 0;
                }
            }
            histogram(g, first, epoch + 1);
        }
        if (!diverged) {
            Quantization.finish(params, scheme, c.mode(), Seeds.mix(seed, Seeds.QUANT));
            g.finalTestAccuracy = accuracy(model, task);
        }
        return g;
    }

    /** Cosine between the gradient through the quantized weights and the fp32 gradient at the masters. */
    private static double cosineToFloatGradient(List<Parameter> params, Sequential twin, Task task, BatchData b) {
        List<Parameter> tp = twin.parameters();
        for (int i = 0; i < params.size(); i++) {
            tp.get(i).storage().encodeFrom(params.get(i).storage().decodeAll());
        }
        twin.zeroGrad();
        task.loss(twin.forward(b.x()), b).backward();
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < params.size(); i++) {
            float[] a = params.get(i).grad(), f = tp.get(i).grad();
            for (int k = 0; k < a.length; k++) {
                dot += (double) a[k] * f[k];
                na += (double) a[k] * a[k];
                nb += (double) f[k] * f[k];
            }
        }
        return na == 0 || nb == 0 ? Double.NaN : dot / Math.sqrt(na * nb);
    }

    private static void histogram(GradientSeries g, Parameter p, int epoch) {
        double step = p.computeWeights() instanceof QuantizedStorage q && !q.perChannel() ? q.step(0) : Double.NaN;
        g.histograms.add(WeightHistogram.of(p.name(), p.storage().decodeAll(), 80, step));
        g.histogramEpochs.add(epoch);
    }

    private static double accuracy(Sequential model, Task task) {
        model.eval();
        long correct = 0;
        int n = 0;
        try (Grad.Scope off = Grad.disabled()) {
            for (BatchData b : task.testBatches(RunConfig.EVAL_BATCH)) {
                correct += task.correct(model.forward(b.x()), b);
                n += b.size();
            }
        } finally {
            model.train(true);
        }
        return (double) correct / n;
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "  -  ";
    }
}
