package octoquant.experiments.commands;

import octoquant.experiments.DataError;
import octoquant.experiments.cli.Options;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.io.OutputLock;
import octoquant.experiments.report.ConsoleTable;
import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.ResultsJson;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.grid.GridMerge;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code merge RUN_DIR… [--out DIR]}: combines the {@code results.json} of several runs of the same
 * experiment and configuration (typically the same sweep with different {@code --seed-offset} on several
 * machines) into one results set, report and table. Runs must agree on everything but their seeds; a seed
 * that appears twice is refused.
 */
public final class MergeCommand {
    private MergeCommand() {}

    /** Config keys allowed to differ between merged runs. */
    private static final Set<String> PER_RUN = Set.of("seeds", "seedOffset");

    public static Path run(Options o, PrintStream out) throws IOException {
        List<RunResults> parts = new ArrayList<>();
        for (String d : o.positional) parts.add(read(Path.of(d)));
        RunResults first = parts.get(0);
        RunResults merged = new RunResults(first.experiment);
        merged.environment.putAll(first.environment);
        merged.environment.put("mergedFrom", o.positional);
        for (int i = 0; i < parts.size(); i++) {
            RunResults p = parts.get(i);
            if (!p.experiment.equals(first.experiment)) {
                throw new DataError("merge: " + o.positional.get(i) + " is a '" + p.experiment + "' run, "
                        + o.positional.get(0) + " a '" + first.experiment + "' run");
            }
            for (Map.Entry<String, Object> e : first.config.entrySet()) {
                if (PER_RUN.contains(e.getKey())) continue;
                if (!Objects.equals(e.getValue(), p.config.get(e.getKey()))) {
                    throw new DataError("merge: " + o.positional.get(i) + " differs in " + e.getKey() + " ("
                            + p.config.get(e.getKey()) + " vs " + e.getValue() + "); only runs of the same configuration merge");
                }
            }
            for (MethodResult m : p.methods) {
                MethodResult into = merged.methodOrAdd(m.name, m.description);
                for (SeedRun r : m.runs) {
                    if (into.runs.stream().anyMatch(x -> x.seed == r.seed)) {
                        throw new DataError("merge: " + m.name + " seed " + r.seed + " appears in more than one run "
                                + "directory; give each machine its own --seed-offset");
                    }
                    into.runs.add(r);
                }
                into.runs.sort((a, b) -> Integer.compare(a.seed, b.seed));
            }
            merged.gradients.addAll(p.gradients);
        }
        merged.config.putAll(first.config);
        int seeds = merged.methods.stream().mapToInt(m -> m.runs.size()).max().orElse(0);
        merged.config.put("seeds", seeds);
        merged.config.put("seedOffset", merged.methods.stream().flatMap(m -> m.runs.stream()).mapToInt(r -> r.seed).min().orElse(0));
        Path dir = o.out != null ? o.out : Path.of("results", "merge-" + first.experiment + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        try (OutputLock lock = OutputLock.acquire(dir, out)) {
            GridMerge.writeOutputs(dir, merged);
        }
        out.printf("merged %d run directories of '%s' (%d seeds per method)%n%n", parts.size(), first.experiment, seeds);
        out.print(ConsoleTable.render(merged));
        out.println();
        out.println("wrote " + dir.resolve("results.json") + ", " + dir.resolve("curves.csv") + ", " + dir.resolve("report.html"));
        return dir;
    }

    private static RunResults read(Path dir) {
        Path f = Files.isDirectory(dir) ? dir.resolve("results.json") : dir;
        if (!Files.isRegularFile(f)) throw new DataError("merge: " + f + " does not exist; give run directories that hold a results.json");
        try {
            return ResultsJson.fromJson(Json.parse(Files.readString(f)));
        } catch (IOException e) {
            throw new DataError("merge: cannot read " + f + ": " + e.getMessage());
        } catch (JsonException e) {
            throw new DataError("merge: " + f + " is not an octoquant results file (" + e.getMessage() + ")");
        }
    }
}
