package octoquant.experiments.grid;

import octoquant.engine.kernels.Parallel;
import octoquant.engine.storage.QuantScheme;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.probe.GradientTraceProbe;
import octoquant.experiments.probe.MechanismProbe;
import octoquant.experiments.result.GradientSeries;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.run.Environment;
import octoquant.experiments.run.ImageTask;
import octoquant.experiments.run.Method;
import octoquant.experiments.run.Progress;
import octoquant.experiments.run.Task;
import octoquant.experiments.run.Tasks;
import octoquant.experiments.run.TrainingProbe;
import octoquant.experiments.run.TrainingRun;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes one {@link RunSpec} into its result file. Idempotent: a run whose result file exists is not run
 * again (its file is read back); a run interrupted earlier resumes from its checkpoint. Whoever executes a
 * spec — the experiments' own loop, an audit, a cluster executor — gets the same numbers.
 */
public final class RunExecutor {
    private RunExecutor() {}

    /** What executing a spec gave: its result file, and the trained model when it was trained here. */
    public record Outcome(RunResultFile result, boolean ranHere, TrainingRun training) {}

    /**
     * Runs {@code spec} with the data found from {@code data} (null: the default locations) under {@code out},
     * reporting epochs to {@code progress}; or reads its result when it finished before.
     */
    public static Outcome execute(RunSpec spec, Path out, Path data, Progress progress) throws IOException {
        Path file = spec.resultFile(out);
        if (Files.isRegularFile(file)) return new Outcome(readResult(file), false, null);
        Task task = Tasks.load(spec.config(), data);
        List<TrainingProbe> probes = probes(spec);
        Files.createDirectories(spec.checkpointFile(out).getParent());
        TrainingRun training = new TrainingRun(task, spec, spec.checkpointFile(out), progress, probes,
                method -> spec.weightsFile(out, method));
        List<SeedRun> runs = training.run();
        List<RunResultFile.MethodRun> results = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Method m = spec.methods().get(i);
            results.add(new RunResultFile.MethodRun(m.name(), m.description(), runs.get(i)));
        }
        RunResultFile result = new RunResultFile(spec, Environment.describe(), dataDescription(task), results);
        result.write(file);
        return new Outcome(result, true, training);
    }

    /**
     * The entry point for distributed execution: runs {@code spec} (given as {@link RunSpec#toJsonText}) under
     * {@code out} with {@code threads} kernel threads and the default data locations, quietly, and returns its
     * result file's JSON text.
     */
    public static String execute(String specJson, Path out, int threads) {
        RunSpec spec = RunSpec.fromJsonText(specJson);
        Parallel.setThreads(threads);
        try {
            Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()), false);
            return execute(spec, out, null, quiet).result().toJsonText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a finished run's result; an unreadable one is a data problem naming the file. */
    public static RunResultFile readResult(Path file) throws IOException {
        try {
            return RunResultFile.read(file);
        } catch (JsonException e) {
            throw new octoquant.experiments.DataError(file + " is not a readable run result (" + e.getMessage()
                    + "); delete it to run that run again");
        }
    }

    private static List<TrainingProbe> probes(RunSpec spec) {
        List<TrainingProbe> probes = new ArrayList<>();
        if (spec.config().probes().trace()) probes.add(new GradientTraceProbe(traceHeader(spec)));
        if (spec.config().probes().mechanism()) probes.add(new MechanismProbe());
        return probes;
    }

    /**
     * How the gradients experiment names a run's series: {@code float}, or mode, width and rounding, as in
     * {@code storage int4 nearest}. The method names of that experiment are {@code int<B>-<rounding>}.
     */
    static GradientSeries traceHeader(RunSpec spec) {
        Method m = spec.methods().get(0);
        QuantScheme s = m.scheme();
        if (s.isFloat()) return new GradientSeries("float", 32, "-", "float");
        String rounding = m.name().contains("-") ? m.name().substring(m.name().lastIndexOf('-') + 1) : "nearest";
        String mode = spec.mode().token();
        return new GradientSeries(mode + " int" + s.bits() + " " + rounding, s.bits(), rounding, mode);
    }

    private static Map<String, Object> dataDescription(Task task) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trainExamples", task.trainSize());
        m.put("testExamples", task.testSize());
        if (task instanceof ImageTask it) m.put("normalization", it.normalization().describe());
        return m;
    }
}
