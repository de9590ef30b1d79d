package octoquant.experiments.run;

import octoquant.engine.kernels.Parallel;
import octoquant.engine.storage.QuantScheme;
import octoquant.experiments.UserError;
import octoquant.experiments.cli.Options;
import octoquant.experiments.io.AtomicFiles;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.report.ConsoleTable;
import octoquant.experiments.report.HtmlReport;
import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.ResultsJson;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Runs a training experiment: every method with every seed, one after the other, writing
 * {@code results.json}, {@code curves.csv} and {@code report.html} after each finished run (so an
 * interrupted sweep keeps what it finished), and the summary table at the end.
 *
 * <p>Output directory layout: {@code config.json} (the configuration, for {@code --resume}),
 * {@code checkpoints/<method>-seed<k>.ckpt}, {@code results.json}, {@code curves.csv}, {@code report.html}.
 */
public final class ExperimentRunner {
    private ExperimentRunner() {}

    public static Path run(Options o, PrintStream out) throws IOException {
        boolean resuming = o.resume != null;
        if (resuming) RunConfig.loadInto(o.resume, o);
        Parallel.setThreads(o.threads);
        Path dir = o.out != null ? o.out : defaultOut(o);
        if (!resuming && Files.exists(dir.resolve("config.json"))) {
            throw new UserError("--out " + dir + " already holds a run; continue it with --resume " + dir
                    + " or choose another --out");
        }
        RunResults results = resuming && Files.exists(dir.resolve("results.json")) ? readResults(dir) : null;
        if (results == null) results = new RunResults(o.experiment.cliName());

        Task task = Tasks.load(o);
        Files.createDirectories(dir.resolve("checkpoints"));
        if (!resuming) RunConfig.write(dir, o);
        results.config.clear();
        results.config.putAll(RunConfig.of(o));
        // A resumed run keeps the environment it started in and records the one it was finished in.
        if (resuming && !results.environment.isEmpty()) {
            results.environment.put("resumedIn", Environment.describe());
        } else {
            results.environment.clear();
            results.environment.putAll(Environment.describe());
        }
        if (task instanceof ImageTask it) results.environment.put("normalization", it.normalization().describe());
        results.environment.put("trainExamples", task.trainSize());
        results.environment.put("testExamples", task.testSize());

        Progress progress = Progress.forConsole(out);
        out.printf(Locale.ROOT, "%s: %,d training / %,d test examples; methods %s, mode %s, %d seed(s) from %d, %d epochs%n",
                task.describe(), task.trainSize(), task.testSize(), String.join(",", o.methods), o.mode, o.seeds,
                o.seedOffset, o.epochs);
        out.printf(Locale.ROOT, "kernels %s (%d float lanes), %d thread(s); results in %s%n",
                results.environment.get("kernelBackend"), results.environment.get("floatLanes"), Parallel.threads(), dir);
        byte[] hash = RunConfig.hash(o);
        for (String method : o.methods) {
            QuantScheme scheme = QuantScheme.parse(method);
            MethodResult mr = results.methodOrAdd(method, describe(scheme));
            for (int seed : o.seedList()) {
                if (mr.runs.stream().anyMatch(r -> r.seed == seed)) {
                    out.printf("%s seed %d: finished before the interruption, kept%n", method, seed);
                    continue;
                }
                Path ckpt = dir.resolve("checkpoints").resolve(method + "-seed" + seed + ".ckpt");
                MethodRun run = new MethodRun(task, o, method, seed, ckpt, hash, progress);
                SeedRun r = run.run();
                mr.runs.add(r);
                mr.runs.sort((a, b) -> Integer.compare(a.seed, b.seed));
                if (r.diverged()) {
                    out.printf("%s seed %d DIVERGED in epoch %d: left out of the means, marked in the report%n",
                            method, seed, r.divergedAtEpoch);
                } else if (task instanceof RegressionTask rt && seed == o.seedOffset) {
                    RegressionPrintout.print(out, method, run.model(), rt);
                }
                writeOutputs(dir, results);
            }
        }
        writeOutputs(dir, results);
        out.println();
        out.print(ConsoleTable.render(results));
        out.println();
        out.println("wrote " + dir.resolve("results.json") + ", " + dir.resolve("curves.csv") + ", "
                + dir.resolve("report.html"));
        return dir;
    }

    static String describe(QuantScheme scheme) {
        return scheme.isFloat() ? "fp32" : scheme.newStorage(2, 8, 0).describe();
    }

    public static void writeOutputs(Path dir, RunResults results) throws IOException {
        AtomicFiles.writeString(dir.resolve("results.json"), ResultsJson.write(results));
        AtomicFiles.writeString(dir.resolve("curves.csv"), ResultsJson.curvesCsv(results));
        String html = HtmlReport.render(results);
        AtomicFiles.writeString(dir.resolve("report.html"), html);
        octoquant.experiments.report.PlotFiles.write(dir.resolve("plots"), html);
    }

    private static RunResults readResults(Path dir) throws IOException {
        try {
            return ResultsJson.fromJson(Json.parse(Files.readString(dir.resolve("results.json"))));
        } catch (JsonException e) {
            throw new UserError(dir.resolve("results.json") + " is not a readable results file (" + e.getMessage() + ")");
        }
    }

    private static Path defaultOut(Options o) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        return Path.of("results", o.experiment.cliName() + "-" + stamp);
    }
}
