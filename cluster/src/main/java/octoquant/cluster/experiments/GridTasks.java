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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The experiments' grids as a sweep's job: a spec is a {@link RunSpec}'s canonical JSON, executed by the
 * experiments' own {@link RunExecutor} (the training loop {@code experiments.jar} runs, with its checkpoints and
 * resume), and merged by the experiments' own merge. The settings executors get besides a spec are the data
 * folders: {@code --data} (absolute), or for an audit where its plan found each data set; for an experiment without
 * them they look where {@code experiments.jar} looks.
 */
public final class GridTasks implements GridJob {
    /** The settings that carry, per experiment, the data folder its runs read: {@code data.mnist} … */
    public static final String DATA = "data.";

    @Override
    public Plan plan(String[] experimentArgs, Path planDir, PrintStream console) throws Exception {
        String[] args = SweepArgs.normalize(experimentArgs);
        ExperimentGrids.Planned planned = ExperimentGrids.grid(args, planDir, console);
        Map<String, RunSetConfig> sets = new LinkedHashMap<>();
        for (RunSpec s : planned.grid()) sets.putIfAbsent(s.runSet(), s.config());
        // What a single experiment writes first: its configuration, which --resume of experiments.jar reads back.
        for (Map.Entry<String, RunSetConfig> set : sets.entrySet()) {
            Path config = (set.getKey().isEmpty() ? planDir : planDir.resolve(set.getKey())).resolve("config.json");
            if (!Files.exists(config)) AtomicFiles.writeString(config, set.getValue().canonicalJson());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        planned.dataRoots().forEach((experiment, root) -> settings.put(DATA + experiment, root));
        List<String> specs = new ArrayList<>();
        for (RunSpec s : planned.grid()) specs.add(s.toJsonText());
        return new Plan(specs, settings, summary(sets, planned));
    }

    private static String summary(Map<String, RunSetConfig> sets, ExperimentGrids.Planned planned) {
        String what;
        if (sets.size() == 1) {
            RunSetConfig c = sets.values().iterator().next();
            what = String.format(Locale.ROOT, "%s (%s): methods %s, mode %s, %d seed(s) from %d, %d epoch(s)",
                    c.experiment(), c.model(), c.methods().stream().map(Method::name).collect(Collectors.joining(",")),
                    c.mode().token(), c.seeds(), c.seedOffset(), c.epochs());
        } else {
            what = sets.size() + " run sets";
        }
        Set<String> roots = new java.util.TreeSet<>(planned.dataRoots().values());
        boolean someWithout = planned.grid().stream().map(s -> s.config().experiment()).distinct()
                .anyMatch(e -> !e.equals("regression") && !planned.dataRoots().containsKey(e));
        String data = roots.isEmpty() ? "" : "; data " + String.join(", ", roots) + " on every executor";
        if (someWithout) data += "; " + (roots.isEmpty() ? "data" : "other data") + " where each executor finds it "
                + "($OCTOQUANT_DATA, ~/.cache/octoquant, ../shared/datasets from its working directory)";
        return what + data;
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
        String data = settings.get(DATA + run.config().experiment());
        ExecutorHeap.require(run);
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
