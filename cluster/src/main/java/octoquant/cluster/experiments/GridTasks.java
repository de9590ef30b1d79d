package octoquant.cluster.experiments;

import octoquant.cluster.grid.BadSpecException;
import octoquant.cluster.grid.GridJob;
import octoquant.engine.kernels.Parallel;
import octoquant.experiments.grid.RunExecutor;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.io.AtomicFiles;
import octoquant.experiments.run.Method;
import octoquant.experiments.run.Progress;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The experiments' grids as a sweep's job: a spec is a {@link RunSpec}'s canonical JSON, executed by the
 * experiments' own {@link RunExecutor} (the training loop {@code experiments.jar} runs, with its checkpoints and
 * resume), and merged by the experiments' own merge. The one setting executors get besides a spec is the data
 * location, {@code --data} (absolute); without it they look where {@code experiments.jar} looks.
 */
public final class GridTasks implements GridJob {
    /** The setting that carries {@code --data}. */
    public static final String DATA = "data";

    @Override
    public Plan plan(String[] experimentArgs, Path planDir, PrintStream console) throws Exception {
        String[] args = SweepArgs.normalize(experimentArgs);
        List<RunSpec> grid = ExperimentGrids.grid(args, planDir, console);
        Map<String, RunSetConfig> sets = new LinkedHashMap<>();
        for (RunSpec s : grid) sets.putIfAbsent(s.runSet(), s.config());
        // What a single experiment writes first: its configuration, which --resume of experiments.jar reads back.
        for (Map.Entry<String, RunSetConfig> set : sets.entrySet()) {
            Path dir = set.getKey().isEmpty() ? planDir : planDir.resolve(set.getKey());
            AtomicFiles.writeString(dir.resolve("config.json"), set.getValue().canonicalJson());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        String data = dataOption(args);
        if (data != null) settings.put(DATA, data);
        List<String> specs = new ArrayList<>();
        for (RunSpec s : grid) specs.add(s.toJsonText());
        return new Plan(specs, settings, summary(sets, data));
    }

    private static String dataOption(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data") && i + 1 < args.length) return args[i + 1];
            if (args[i].startsWith("--data=")) return args[i].substring("--data=".length());
        }
        return null;
    }

    private static String summary(Map<String, RunSetConfig> sets, String data) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, RunSetConfig> e : sets.entrySet()) {
            RunSetConfig c = e.getValue();
            parts.add(String.format(Locale.ROOT, "%s%s (%s): methods %s, mode %s, %d seed(s) from %d, %d epoch(s)",
                    e.getKey().isEmpty() ? "" : e.getKey() + ": ", c.experiment(), c.model(),
                    c.methods().stream().map(Method::name).collect(Collectors.joining(",")), c.mode().token(),
                    c.seeds(), c.seedOffset(), c.epochs()));
        }
        return String.join("; ", parts) + (data == null ? "; data where each executor finds it ($OCTOQUANT_DATA, "
                + "~/.cache/octoquant, ../shared/datasets)" : "; data " + data + " on every executor");
    }

    static RunSpec read(String spec) throws BadSpecException {
        try {
            return RunSpec.fromJsonText(spec);
        } catch (RuntimeException e) {
            throw new BadSpecException("not a run spec this build can run (" + e.getMessage() + "); the driver and "
                    + "the executors must run the same octoquant-cluster.jar", e);
        }
    }

    @Override
    public String resultFile(String spec) throws BadSpecException {
        return slashes(read(spec).resultFile(Path.of("")));
    }

    private static String slashes(Path rel) {
        List<String> parts = new ArrayList<>();
        for (Path p : rel) parts.add(p.toString());
        return String.join("/", parts);
    }

    @Override
    public String execute(String spec, Map<String, String> settings, Path outDir, int threads) throws Exception {
        RunSpec run = read(spec);
        String data = settings.get(DATA);
        Parallel.setThreads(threads);
        Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()), false);
        return RunExecutor.execute(run, outDir, data == null ? null : Path.of(data), quiet).result().toJsonText();
    }

    @Override
    public void merge(Path outDir, List<String> specs, PrintStream console) throws Exception {
        List<RunSpec> grid = new ArrayList<>();
        for (String s : specs) grid.add(read(s));
        ExperimentGrids.merge(outDir, grid, console);
    }
}
