package octoquant.experiments.grid;

import octoquant.experiments.io.AtomicFiles;
import octoquant.experiments.io.WriteFailure;
import octoquant.experiments.report.HtmlReport;
import octoquant.experiments.report.PlotFiles;
import octoquant.experiments.result.GradientSeries;
import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.ResultsJson;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.run.Method;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns per-run result files into what people read: for every run set of a grid, {@code results.json},
 * {@code curves.csv}, {@code report.html} and the plots. Runs not finished yet are left out, so merging after
 * every finished run keeps the outputs current.
 */
public final class GridMerge {
    private GridMerge() {}

    /** Merges every run set of {@code grid} under {@code out}; returns the results, one per run set in grid order. */
    public static List<RunResults> merge(Path out, List<RunSpec> grid) throws IOException {
        Map<String, List<RunSpec>> sets = new LinkedHashMap<>();
        for (RunSpec s : grid) sets.computeIfAbsent(s.runSet(), k -> new ArrayList<>()).add(s);
        List<RunResults> all = new ArrayList<>();
        for (List<RunSpec> specs : sets.values()) {
            Path dir = specs.get(0).runSetDir(out);
            RunResults r = collect(out, specs);
            writeOutputs(dir, r);
            all.add(r);
        }
        return all;
    }

    /**
     * The results of one run set from its finished runs' files: methods in the configuration's order, runs by
     * seed; the gradients experiment's traces as its series, in grid order.
     */
    public static RunResults collect(Path out, List<RunSpec> specs) throws IOException {
        RunSetConfig config = specs.get(0).config();
        RunResults r = new RunResults(config.experiment());
        r.config.putAll(config.toJson());
        for (Method m : config.methods()) r.methodOrAdd(m.name(), m.description());
        boolean first = true;
        for (RunSpec spec : specs) {
            Path file = spec.resultFile(out);
            if (!Files.isRegularFile(file)) continue;
            RunResultFile result = RunExecutor.readResult(file);
            if (first) {
                r.environment.putAll(result.environment());
                r.environment.putAll(result.data());
                first = false;
            } else if (!Objects.equals(result.environment().get("kernelBackend"), r.environment.get("kernelBackend"))
                    || !Objects.equals(result.environment().get("jdk"), r.environment.get("jdk"))) {
                r.environment.put("mixed", "runs of this set ran on more than one JDK or kernel backend");
            }
            for (RunResultFile.MethodRun mr : result.results()) {
                SeedRun run = mr.run();
                if (run.trace != null) {
                    GradientSeries g = run.trace;
                    g.finalTestAccuracy = run.finalTestAccuracy;
                    r.gradients.add(g);
                    run.trace = null;
                }
                MethodResult into = r.methodOrAdd(mr.method(), mr.description());
                into.runs.removeIf(x -> x.seed == run.seed);
                into.runs.add(run);
                into.runs.sort((a, b) -> Integer.compare(a.seed, b.seed));
            }
        }
        if (config.probes().trace()) r.methods.clear(); // the gradients report reads its series, not a method table
        return r;
    }

    /**
     * Writes a run set's {@code results.json}, {@code curves.csv}, {@code report.html} and plots, each atomically.
     *
     * @throws WriteFailure naming the file that could not be written; the files written before it are whole and
     *         the ones after it keep their previous version (all are merged again from the run files next time)
     */
    public static void writeOutputs(Path dir, RunResults results) throws IOException {
        AtomicFiles.writeString(dir.resolve("results.json"), ResultsJson.write(results));
        AtomicFiles.writeString(dir.resolve("curves.csv"), ResultsJson.curvesCsv(results));
        String html = HtmlReport.render(results);
        AtomicFiles.writeString(dir.resolve("report.html"), html);
        Path plots = dir.resolve("plots");
        try {
            PlotFiles.write(plots, html);
        } catch (IOException e) {
            throw WriteFailure.of(plots, e);
        }
    }
}
