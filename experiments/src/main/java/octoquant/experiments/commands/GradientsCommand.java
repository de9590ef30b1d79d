package octoquant.experiments.commands;

import octoquant.engine.kernels.Parallel;
import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.UserError;
import octoquant.experiments.cli.Options;
import octoquant.experiments.grid.GridMerge;
import octoquant.experiments.grid.RunExecutor;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.io.AtomicFiles;
import octoquant.experiments.io.OutputLock;
import octoquant.experiments.memory.HeapCheck;
import octoquant.experiments.result.GradientSeries;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.run.Method;
import octoquant.experiments.run.Progress;
import octoquant.experiments.run.Task;
import octoquant.experiments.run.Tasks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The teaching experiment: the MNIST MLP (or the seed's CNN, {@code --model cnn}) trained from the same initial
 * weights on the same batches under per-tensor max-abs integer storage at 4, 6 and 8 bits, in {@code storage}
 * mode with rounding to nearest, toward zero and stochastic, and in {@code qat} mode (nearest) for comparison,
 * plus fp32 as the reference. Each configuration is one run of the ordinary training loop with the gradient
 * trace recording (loss, updates lost to rounding, straight-through cosine, weight histograms per epoch) and
 * the mechanism statistics per epoch and layer; {@code --resume} continues an interrupted one.
 */
public final class GradientsCommand {
    private GradientsCommand() {}

    static final int[] BITS = {4, 6, 8};
    static final String[] ROUNDINGS = {"nearest", "zero", "stochastic"};

    /** The runs: fp32, storage int{4,6,8} × {nearest, zero, stochastic}, qat int{4,6,8} nearest; one seed. */
    public static List<RunSpec> grid(RunSetConfig config) {
        List<RunSpec> specs = new ArrayList<>();
        int seed = config.seedOffset();
        specs.add(new RunSpec("", config, List.of(Method.parse("float")), TrainingMode.QAT, seed));
        for (int b : BITS) {
            for (String r : ROUNDINGS) specs.add(new RunSpec("", config, List.of(Method.parse("int" + b + "-" + r)), TrainingMode.STORAGE, seed));
        }
        for (int b : BITS) specs.add(new RunSpec("", config, List.of(Method.parse("int" + b + "-nearest")), TrainingMode.QAT, seed));
        return specs;
    }

    public static Path run(Options o, PrintStream out) throws IOException {
        Parallel.setThreads(o.threads);
        Path dir = o.resume != null ? o.resume : o.out != null ? o.out : TrainCommand.defaultOut("gradients");
        RunSetConfig config = o.resume != null ? TrainCommand.readConfig(dir, "gradients")
                : RunSetConfig.of(o).withMethods(List.of());
        HeapCheck.require(config);
        try (OutputLock lock = OutputLock.acquire(dir, out)) {
            return runLocked(o, out, dir, config);
        }
    }

    private static Path runLocked(Options o, PrintStream out, Path dir, RunSetConfig config) throws IOException {
        if (o.resume == null) {
            if (Files.exists(dir.resolve("config.json")) || Files.exists(dir.resolve("results.json"))) {
                throw new UserError("--out " + dir + " already holds results; continue it with --resume " + dir
                        + " or choose another --out");
            }
            AtomicFiles.writeString(dir.resolve("config.json"), config.canonicalJson());
        }
        List<RunSpec> grid = grid(config);
        Task task = Tasks.load(config, o.data);
        out.printf(Locale.ROOT, "gradients: %s, %,d training examples, %d epochs, seed %d, lr %s (%s)%n",
                task.describe(), task.trainSize(), config.epochs(), config.seedOffset(), config.lr(),
                config.optimizer().token());
        Progress progress = Progress.forConsole(out);
        for (RunSpec spec : grid) {
            RunExecutor.execute(spec, dir, o.data, progress);
            RunResults r = merge(dir, grid);
            GradientSeries g = r.gradients.get(r.gradients.size() - 1);
            out.printf(Locale.ROOT, "  %-26s final test accuracy %6.2f%%   mean lost fraction %s   mean cosine %s%n", g.name,
                    g.finalTestAccuracy * 100, fmt(mean(g.lostFraction)), fmt(mean(g.cosine)));
        }
        out.println("wrote " + dir.resolve("results.json") + ", " + dir.resolve("report.html"));
        return dir;
    }

    public static RunResults merge(Path dir, List<RunSpec> grid) throws IOException {
        RunResults r = GridMerge.collect(dir, grid);
        r.config.put("methods", "storage/qat int{4,6,8} per-tensor maxabs × {nearest, zero, stochastic}");
        r.config.put("mode", "storage and qat");
        GridMerge.writeOutputs(dir, r);
        return r;
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "  -  ";
    }
}
