package octoquant.experiments.sweep;

import octoquant.experiments.UserError;
import octoquant.experiments.audit.AuditMerge;
import octoquant.experiments.audit.AuditPreparation;
import octoquant.experiments.cli.CliParser;
import octoquant.experiments.cli.Experiment;
import octoquant.experiments.cli.Options;
import octoquant.experiments.cli.UsageException;
import octoquant.experiments.commands.GradientsCommand;
import octoquant.experiments.grid.GridMerge;
import octoquant.experiments.grid.RunGrid;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.report.ConsoleTable;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The two entry points a distributed executor needs for any experiment or audit: the grid a command line
 * describes, and the merge of a finished (or partly finished) grid into what the command itself would have
 * written. Executing the specs in between is {@code RunExecutor.execute(specJson, out, threads)}.
 */
public final class Sweeps {
    private Sweeps() {}

    /** The grid of {@code args} (as given to {@code experiments.jar}), quietly; see {@link #grid(String[], PrintStream)}. */
    public static List<RunSpec> grid(String[] args) throws UsageException, IOException {
        return grid(args, new PrintStream(OutputStream.nullOutputStream()));
    }

    /**
     * The runs {@code args} describe: a training experiment's methods × seeds (one ptq run per seed), the gradients
     * experiment's configurations, or an audit's plan. An audit is prepared here as {@code audit} would prepare it:
     * its data sets located, its calibration measured (progress to {@code console}) and {@code audit.json} written to
     * its {@code --out} folder (with {@code --resume DIR}: read back), because its merge needs them.
     *
     * @throws UsageException for a bad command line or an experiment that has no runs ({@code list}, {@code quantize},
     *                        {@code merge})
     */
    public static List<RunSpec> grid(String[] args, PrintStream console) throws UsageException, IOException {
        Options o = CliParser.parse(args);
        if (o.help) throw new UsageException("--help describes no runs");
        if (o.experiment == Experiment.AUDIT) return AuditPreparation.prepare(o, console).grid();
        if (!o.experiment.trains()) throw new UsageException("'" + o.experiment.cliName() + "' has no runs to distribute");
        RunSetConfig config = o.resume != null ? readConfig(o.resume)
                : o.experiment == Experiment.GRADIENTS ? RunSetConfig.of(o).withMethods(List.of()) : RunSetConfig.of(o);
        return config.experiment().equals("gradients") ? GradientsCommand.grid(config) : RunGrid.of(config, "");
    }

    /**
     * Writes what the experiment writes once its runs are done, from the run files under {@code out}: an audit's run
     * sets, verdicts and report (when {@code out} holds {@code audit.json}), the gradients report, or an experiment's
     * results.json, curves and report; and prints the closing table to {@code console}.
     */
    public static void merge(Path out, List<RunSpec> grid, PrintStream console) throws IOException {
        if (grid.isEmpty()) throw new IllegalArgumentException("an empty grid has nothing to merge");
        if (Files.isRegularFile(out.resolve("audit.json"))) {
            AuditMerge.merge(out, grid, console);
        } else if (grid.get(0).config().experiment().equals("gradients")) {
            GradientsCommand.merge(out, grid);
            console.println("wrote " + out.resolve("results.json") + ", " + out.resolve("report.html"));
        } else {
            console.print(ConsoleTable.render(GridMerge.merge(out, grid).get(0)));
        }
    }

    private static RunSetConfig readConfig(Path dir) {
        Path file = dir.resolve("config.json");
        try {
            return RunSetConfig.fromJson(Json.parse(Files.readString(file)), "config.json");
        } catch (IOException e) {
            throw new UserError("--resume " + dir + ": cannot read config.json: " + e.getMessage());
        } catch (JsonException | IllegalArgumentException e) {
            throw new UserError("--resume " + dir + ": config.json is not a run configuration (" + e.getMessage() + ")");
        }
    }
}
