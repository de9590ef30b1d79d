package octoquant.cluster.experiments;

import octoquant.experiments.cli.CliParser;
import octoquant.experiments.cli.Experiment;
import octoquant.experiments.cli.Options;
import octoquant.experiments.cli.UsageException;
import octoquant.experiments.grid.GridMerge;
import octoquant.experiments.grid.RunGrid;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.report.ConsoleTable;
import octoquant.experiments.result.RunResults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The one place that turns an experiment command line into its runs, and finished runs into the experiment's
 * reports, exactly as {@code experiments.jar} does on one machine: {@link CliParser}, {@link RunSetConfig#of},
 * {@link RunGrid#of} (the grid of {@code TrainCommand}), and {@link GridMerge} plus the closing
 * {@link ConsoleTable}.
 */
final class ExperimentGrids {
    private ExperimentGrids() {}

    /**
     * The runs of a training experiment ({@code regression}, {@code mnist}, {@code fashion-mnist},
     * {@code cifar10}). {@code planDir} is where an experiment that settles things before its runs would keep
     * them; a training experiment settles nothing.
     */
    static List<RunSpec> grid(String[] args, Path planDir, PrintStream console) throws UsageException, IOException {
        Options o = CliParser.parse(args);
        if (o.help) throw new UsageException("--help describes no runs");
        if (!o.experiment.trains() || o.experiment == Experiment.GRADIENTS) {
            throw new UsageException("'" + o.experiment.cliName() + "' has no runs a sweep can distribute (it runs "
                    + "regression, mnist, fashion-mnist and cifar10)");
        }
        return RunGrid.of(RunSetConfig.of(o), "");
    }

    /** Writes every run set's results.json, curves.csv, report.html and plots, and prints the summary table. */
    static void merge(Path out, List<RunSpec> grid, PrintStream console) throws IOException {
        for (RunResults r : GridMerge.merge(out, grid)) console.print(ConsoleTable.render(r));
    }
}
