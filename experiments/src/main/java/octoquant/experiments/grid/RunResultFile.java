package octoquant.experiments.grid;

import octoquant.experiments.io.AtomicFiles;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.io.JsonObject;
import octoquant.experiments.result.ResultsJson;
import octoquant.experiments.result.SeedRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one finished run, {@code runs/<id>.json} in its run set's folder (schema {@value #SCHEMA}):
 * the spec it ran, where it ran, the data it saw, and one result per method. Written once, atomically, when
 * the run ends: a run whose file exists is finished, and executing it again only reads the file.
 *
 * <pre>
 * { "schema", "spec": {…RunSpec…}, "environment": {…}, "data": {"trainExamples", "testExamples", "normalization"},
 *   "results": [ { "method", "description", "run": {…one run of results.json…} } ] }
 * </pre>
 */
public record RunResultFile(RunSpec spec, Map<String, Object> environment, Map<String, Object> data,
                            List<MethodRun> results) {
    public static final String SCHEMA = "octoquant-run/1";

    /** One method's result within the run. */
    public record MethodRun(String method, String description, SeedRun run) {}

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("spec", spec.toJson());
        m.put("environment", environment);
        m.put("data", data);
        List<Object> rs = new ArrayList<>();
        for (MethodRun r : results) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("method", r.method());
            j.put("description", r.description());
            j.put("run", ResultsJson.runJson(r.run()));
            rs.add(j);
        }
        m.put("results", rs);
        return m;
    }

    public String toJsonText() {
        return Json.write(toJson());
    }

    /**
     * Writes the file atomically (a temporary name, then a rename), creating its folder.
     *
     * @throws octoquant.experiments.io.WriteFailure naming the file and the cause; nothing is left under its name
     */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJsonText());
    }

    /**
     * Reads a run's result file.
     *
     * @throws JsonException naming what is missing or mistyped (the caller names the file)
     */
    @SuppressWarnings("unchecked")
    public static RunResultFile parse(String text) {
        JsonObject j = new JsonObject(Json.parse(text), "");
        String schema = j.string("schema");
        if (!schema.equals(SCHEMA)) throw new JsonException("schema is '" + schema + "', this build reads '" + SCHEMA + "'");
        RunSpec spec;
        try {
            spec = RunSpec.fromJson(j.raw("spec"));
        } catch (IllegalArgumentException e) {
            throw new JsonException(e.getMessage());
        }
        List<MethodRun> results = new ArrayList<>();
        for (int i = 0; i < j.list("results").size(); i++) {
            JsonObject r = j.element("results", i);
            results.add(new MethodRun(r.string("method"), r.string("description"), ResultsJson.runFromJson(r.object("run"))));
        }
        return new RunResultFile(spec, new LinkedHashMap<>((Map<String, Object>) j.raw("environment")),
                new LinkedHashMap<>((Map<String, Object>) j.raw("data")), results);
    }

    public static RunResultFile read(Path file) throws IOException {
        return parse(Files.readString(file));
    }
}
