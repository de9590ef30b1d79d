package octoquant.experiments.commands;

import octoquant.engine.kernels.Parallel;
import octoquant.experiments.UserError;
import octoquant.experiments.cli.Options;
import octoquant.experiments.grid.GridMerge;
import octoquant.experiments.grid.LegacyRuns;
import octoquant.experiments.grid.RunExecutor;
import octoquant.experiments.grid.RunGrid;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.io.AtomicFiles;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.io.OutputLock;
import octoquant.experiments.memory.HeapCheck;
import octoquant.experiments.report.ConsoleTable;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.run.Progress;
import octoquant.experiments.run.RegressionPrintout;
import octoquant.experiments.run.RegressionTask;
import octoquant.experiments.run.Task;
import octoquant.experiments.run.Tasks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs a training experiment ({@code regression}, {@code mnist}, {@code fashion-mnist}, {@code cifar10}): the
 * grid of its methods and seeds, one run after the other, merging {@code results.json}, {@code curves.csv}
 * and {@code report.html} after each finished run (so an interrupted sweep keeps what it finished), and the
 * summary table at the end.
 *
 * <p>Output folder: {@code config.json} (the configuration, for {@code --resume}), {@code runs/<run>.json}
 * (each finished run), {@code checkpoints/<run>.ckpt}, {@code results.json}, {@code curves.csv},
 * {@code report.html}, {@code plots/}.
 */
public final class TrainCommand {
    private TrainCommand() {}

    public static Path run(Options o, PrintStream out) throws IOException {
        Parallel.setThreads(o.threads);
        Path dir = o.resume != null ? o.resume : o.out != null ? o.out : defaultOut(o.experiment.cliName());
        RunSetConfig config = o.resume != null ? readConfig(dir, o.experiment.cliName()) : RunSetConfig.of(o);
        HeapCheck.require(config);
        try (OutputLock lock = OutputLock.acquire(dir, out)) {
            return runLocked(o, out, dir, config);
        }
    }

    private static Path runLocked(Options o, PrintStream out, Path dir, RunSetConfig config) throws IOException {
        if (o.resume != null) {
            LegacyRuns.splitResults(dir, config);
        } else {
            if (Files.exists(dir.resolve("config.json"))) {
                throw new UserError("--out " + dir + " already holds a run; continue it with --resume " + dir
                        + " or choose another --out");
            }
            AtomicFiles.writeString(dir.resolve("config.json"), config.canonicalJson());
        }
        List<RunSpec> grid = RunGrid.of(config, "");
        Task task = Tasks.load(config, o.data);
        out.printf(Locale.ROOT, "%s: %,d training / %,d test examples; methods %s, mode %s, %d seed(s) from %d, %d epochs%n",
                task.describe(), task.trainSize(), task.testSize(),
                config.methods().stream().map(m -> m.name()).collect(Collectors.joining(",")), config.mode().token(),
                config.seeds(), config.seedOffset(), config.epochs());
        var env = octoquant.experiments.run.Environment.describe();
        out.printf(Locale.ROOT, "kernels %s (%d float lanes), %d thread(s); results in %s%n",
                env.get("kernelBackend"), env.get("floatLanes"), Parallel.threads(), dir);

        Progress progress = Progress.forConsole(out);
        for (RunSpec spec : grid) {
            RunExecutor.Outcome done = RunExecutor.execute(spec, dir, o.data, progress);
            if (!done.ranHere()) {
                out.printf("%s: finished before the interruption, kept%n", spec.label());
                continue;
            }
            SeedRun first = done.result().results().get(0).run();
            if (first.diverged()) {
                out.printf("%s DIVERGED in epoch %d: left out of the means, marked in the report%n", spec.label(),
                        first.divergedAtEpoch);
            } else if (task instanceof RegressionTask rt && spec.seed() == config.seedOffset()) {
                RegressionPrintout.print(out, spec.methods().get(0).name(), done.training().model(), rt);
            }
            GridMerge.merge(dir, grid);
        }
        RunResults results = GridMerge.merge(dir, grid).get(0);
        out.println();
        out.print(ConsoleTable.render(results));
        out.println();
        out.println("wrote " + dir.resolve("results.json") + ", " + dir.resolve("curves.csv") + ", "
                + dir.resolve("report.html"));
        return dir;
    }

    /** The configuration of an interrupted run in {@code dir}, for {@code --resume}. */
    static RunSetConfig readConfig(Path dir, String experiment) {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new UserError("--resume " + dir + ": no config.json there; give the directory an interrupted run wrote");
        }
        try {
            RunSetConfig c = RunSetConfig.fromJson(Json.parse(Files.readString(file)), "config.json");
            if (experiment != null && !c.experiment().equals(experiment)) {
                throw new UserError("--resume " + dir + " holds a '" + c.experiment() + "' run, not '" + experiment + "'");
            }
            return c;
        } catch (IOException e) {
            throw new UserError("--resume " + dir + ": cannot read config.json: " + e.getMessage());
        } catch (JsonException | IllegalArgumentException e) {
            throw new UserError("--resume " + dir + ": config.json is not a run configuration (" + e.getMessage() + ")");
        }
    }

    static Path defaultOut(String experiment) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        return Path.of("results", experiment + "-" + stamp);
    }
}
