package octoquant.experiments.grid;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.io.JsonObject;
import octoquant.experiments.run.Method;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One independent run: a training of one model from one seed, in one mode, under the configuration of its
 * run set. It is the unit a grid is made of and the unit a cluster distributes; executing it gives the same
 * numbers wherever and with however many threads it runs.
 *
 * <p>A run trains one method, except in {@code ptq} mode: training there is fp32 whatever the method, so one
 * run trains once and then quantizes its fp32 weights with each of {@code methods} (bit-identical to training
 * each method on its own, as the tests check).
 *
 * @param runSet the run set's folder relative to the output folder ({@code ""} when the output folder is the
 *               run set, as for a single experiment)
 */
public record RunSpec(String runSet, RunSetConfig config, List<Method> methods, TrainingMode mode, int seed) {
    public RunSpec {
        methods = List.copyOf(methods);
        if (methods.isEmpty()) throw new IllegalArgumentException("a run needs at least one method");
        if (methods.size() > 1 && mode != TrainingMode.PTQ) {
            throw new IllegalArgumentException("only a ptq run quantizes one training several ways, not " + mode.token());
        }
    }

    /**
     * The run's name within its set, used for its result and checkpoint files: {@code quant8-seed0};
     * {@code float+quant8+octal8-seed0} for a ptq run; prefixed by the mode when it is not the set's
     * ({@code storage-int4-nearest-seed0} in the gradients set).
     */
    public String id() {
        String names = methods.stream().map(Method::name).collect(Collectors.joining("+"));
        String prefix = mode == config.mode() ? "" : mode.token() + "-";
        return prefix + names + "-seed" + seed;
    }

    /** The run set's folder under {@code out}. */
    public Path runSetDir(Path out) {
        return runSet.isEmpty() ? out : out.resolve(runSet);
    }

    /** Where the run's finished result goes: written once, atomically, when the run ends. */
    public Path resultFile(Path out) {
        return runSetDir(out).resolve("runs").resolve(id() + ".json");
    }

    /** Where the run's checkpoint goes after every epoch. */
    public Path checkpointFile(Path out) {
        return runSetDir(out).resolve("checkpoints").resolve(id() + ".ckpt");
    }

    /** Where a method's final weights go, in their stored form, as safetensors. */
    public Path weightsFile(Path out, String method) {
        return runSetDir(out).resolve("weights").resolve(method + "-seed" + seed + ".safetensors");
    }

    /** A label for progress lines: {@code quant8 seed 0}, {@code storage int4-nearest seed 0}. */
    public String label() {
        String names = methods.stream().map(Method::name).collect(Collectors.joining(","));
        String what = methods.size() > 1 ? "ptq(" + names + ")" : names;
        if (mode != config.mode()) what = mode.token() + " " + what;
        return (runSet.isEmpty() ? "" : runSet + ": ") + what + " seed " + seed;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runSet", runSet);
        m.put("config", config.toJson());
        List<Object> names = new ArrayList<>();
        for (Method x : methods) names.add(x.name());
        m.put("methods", names);
        m.put("mode", mode.token());
        m.put("seed", seed);
        return m;
    }

    /** The spec as one line of canonical JSON: what a grid hands to whoever executes it. */
    public String toJsonText() {
        return Json.write(toJson());
    }

    /**
     * Reads a spec written by {@link #toJson}.
     *
     * @throws IllegalArgumentException with one line naming what is wrong
     */
    public static RunSpec fromJson(Object parsed) {
        try {
            JsonObject j = new JsonObject(parsed, "run spec");
            List<Method> methods = new ArrayList<>();
            for (Object x : j.list("methods")) methods.add(Method.parse(String.valueOf(x)));
            return new RunSpec(j.string("runSet"), RunSetConfig.fromJson(j.raw("config"), "run spec config"), methods,
                    TrainingMode.parse(j.string("mode")), (int) j.integer("seed"));
        } catch (JsonException e) {
            throw new IllegalArgumentException("not a run spec: " + e.getMessage());
        }
    }

    public static RunSpec fromJsonText(String text) {
        try {
            return fromJson(Json.parse(text));
        } catch (JsonException e) {
            throw new IllegalArgumentException("not a run spec: " + e.getMessage());
        }
    }
}
