package octoquant.cluster.experiments;

import octoquant.experiments.audit.AuditPreparation;
import octoquant.experiments.audit.DataSources;
import octoquant.experiments.cli.CliParser;
import octoquant.experiments.cli.Experiment;
import octoquant.experiments.cli.Options;
import octoquant.experiments.cli.UsageException;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.io.AtomicFiles;
import octoquant.experiments.io.Json;
import octoquant.experiments.sweep.Sweeps;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that turns an experiment command line into its runs, and finished runs into what the experiment
 * writes, exactly as {@code experiments.jar} does on one machine: the experiments' {@link Sweeps#grid} and
 * {@link Sweeps#merge} for every experiment that trains ({@code regression}, {@code mnist}, {@code fashion-mnist},
 * {@code cifar10}, {@code gradients}) and for {@code audit}.
 *
 * <p>An audit settles its plan before its runs (data sets found, calibration measured) and keeps it in its
 * folder ({@code audit.json}, {@code calibration.json}, each run set's {@code config.json}); here that folder is
 * the plan directory, whose files the sweep keeps in its output. Started again, the sweep resumes that plan
 * ({@code audit --resume}), as {@code experiments.jar audit --resume} would; the arguments it was started with
 * are kept beside it ({@value #AUDIT_ARGS}) so that a restart with other arguments is refused, not ignored.
 */
final class ExperimentGrids {
    static final String AUDIT_ARGS = "_sweep/audit-args.json";

    /** A grid and, per experiment, the data folder its runs read (what {@code --data} is for them), if known. */
    record Planned(List<RunSpec> grid, Map<String, String> dataRoots) {}

    private ExperimentGrids() {}

    static Planned grid(String[] args, Path planDir, PrintStream console) throws UsageException, IOException {
        Options o = CliParser.parse(args);
        if (o.help) throw new UsageException("--help describes no runs");
        if (o.experiment == Experiment.AUDIT) return audit(args, o, planDir, console);
        List<RunSpec> grid = Sweeps.grid(args, console);
        Map<String, String> roots = new LinkedHashMap<>();
        if (o.data != null) for (RunSpec s : grid) roots.put(s.config().experiment(), o.data.toString());
        return new Planned(grid, roots);
    }

    private static Planned audit(String[] args, Options o, Path planDir, PrintStream console)
            throws UsageException, IOException {
        List<String> identity = withoutData(args);
        List<String> effective = new ArrayList<>();
        if (Files.isRegularFile(planDir.resolve("audit.json"))) {
            List<?> started = (List<?>) Json.parse(Files.readString(planDir.resolve(AUDIT_ARGS)));
            if (!started.equals(identity)) {
                throw new UsageException("the output holds an audit started as '" + String.join(" ", started.stream()
                        .map(String::valueOf).toList()) + "'; restart it with those arguments (--data may change), "
                        + "or use another --out");
            }
            effective.addAll(List.of("audit", "--resume", planDir.toString()));
            if (o.data != null) effective.addAll(List.of("--data", o.data.toString()));
        } else {
            effective.addAll(Arrays.asList(args));
            effective.addAll(List.of("--out", planDir.toString()));
            AtomicFiles.writeString(planDir.resolve(AUDIT_ARGS), Json.write(identity));
        }
        List<RunSpec> grid = Sweeps.grid(effective.toArray(String[]::new), console);
        // Where the audit itself would read each data set: --data, or where the plan found it.
        String data = o.data != null ? o.data.toString() : AuditPreparation.read(planDir).data();
        DataSources sources = new DataSources(data == null ? null : Path.of(data));
        Map<String, String> roots = new LinkedHashMap<>();
        for (RunSpec s : grid) {
            String experiment = s.config().experiment();
            if (roots.containsKey(experiment)) continue;
            Path root = sources.source(experiment).root();
            if (root != null) roots.put(experiment, root.toAbsolutePath().normalize().toString());
        }
        return new Planned(grid, roots);
    }

    private static List<String> withoutData(String[] args) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data")) {
                i++;
            } else if (!args[i].startsWith("--data=")) {
                kept.add(args[i]);
            }
        }
        return kept;
    }

    /** Writes what the experiment writes once its runs are done, and its closing summary on {@code console}. */
    static void merge(Path out, List<RunSpec> grid, PrintStream console) throws IOException {
        Sweeps.merge(out, grid, console);
    }
}
