package octoquant.experiments.grid;

import octoquant.experiments.UserError;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
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
import java.util.Optional;

/**
 * Output folders written before runs had their own result files keep their finished runs only in
 * {@code results.json}. Before such a folder is resumed, its finished runs are written out as run result
 * files, so they are kept and not trained again.
 */
public final class LegacyRuns {
    private LegacyRuns() {}

    public static void splitResults(Path dir, RunSetConfig config) throws IOException {
        Path results = dir.resolve("results.json");
        if (Files.isDirectory(dir.resolve("runs")) || !Files.isRegularFile(results)) return;
        RunResults old;
        try {
            old = ResultsJson.fromJson(Json.parse(Files.readString(results)));
        } catch (JsonException e) {
            throw new UserError(results + " is not a readable results file (" + e.getMessage() + ")");
        }
        Map<String, Object> environment = new LinkedHashMap<>(old.environment);
        Map<String, Object> data = new LinkedHashMap<>();
        for (String k : List.of("trainExamples", "testExamples", "normalization")) {
            Object v = environment.remove(k);
            if (v != null) data.put(k, v);
        }
        for (RunSpec spec : RunGrid.of(config, "")) {
            List<RunResultFile.MethodRun> found = new ArrayList<>();
            for (Method m : spec.methods()) {
                Optional<SeedRun> run = old.method(m.name()).flatMap(mr -> find(mr, spec.seed()));
                if (run.isEmpty()) break;
                found.add(new RunResultFile.MethodRun(m.name(), m.description(), run.get()));
            }
            if (found.size() == spec.methods().size()) {
                new RunResultFile(spec, environment, data, found).write(spec.resultFile(dir));
            }
        }
    }

    private static Optional<SeedRun> find(MethodResult m, int seed) {
        return m.runs.stream().filter(r -> r.seed == seed).findFirst();
    }
}
