package octoquant.experiments.result;

import octoquant.experiments.io.Csv;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.io.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RunResults} to and from {@code results.json} (schema {@value RunResults#SCHEMA}), and the curves
 * CSV. Accuracies are written as fractions; NaN (not defined, or the run diverged) as JSON null.
 *
 * <pre>
 * { "schema", "experiment", "config": {…}, "environment": {…},
 *   "methods": [ { "name", "description", "runs": [ {
 *       "seed", "status", "divergedAtEpoch",
 *       "epochs": [ { "epoch", "trainLoss", "trainAccuracy", "testLoss", "testAccuracy", "trainSeconds" } ],
 *       "finalTestAccuracy", "finalTestLoss", "trainSeconds", "inferenceSeconds", "imagesPerSecond",
 *       "parameterCount", "weightBytes", "checkpointBytes",
 *       "histograms": [ { "parameter", "lo", "hi", "counts", "gridStep" } ],
 *       "mechanism": [ { "epoch", "parameter", "kind", "weights", "updates", "applied", "lost", "crossed",
 *                        "clipped", "meanUpdateSteps", "zeroFraction", "meanAbs", "meanAbsMaster",
 *                        "changedFraction", "deadZoneFraction", "cosine" } ]   (only when recorded) } ] } ],
 *   "gradients": [ { "name", "bits", "rounding", "mode", "steps", "loss", "lostFraction", "cosine",
 *                    "finalTestAccuracy", "histograms": [ { …, "epoch" } ] } ] }
 * </pre>
 */
public final class ResultsJson {
    private ResultsJson() {}

    public static String write(RunResults r) {
        return Json.write(toJson(r));
    }

    public static Map<String, Object> toJson(RunResults r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", RunResults.SCHEMA);
        root.put("experiment", r.experiment);
        root.put("config", r.config);
        root.put("environment", r.environment);
        List<Object> methods = new ArrayList<>();
        for (MethodResult m : r.methods) {
            Map<String, Object> mj = new LinkedHashMap<>();
            mj.put("name", m.name);
            mj.put("description", m.description);
            List<Object> runs = new ArrayList<>();
            for (SeedRun s : m.runs) runs.add(runJson(s));
            mj.put("runs", runs);
            methods.add(mj);
        }
        root.put("methods", methods);
        List<Object> grads = new ArrayList<>();
        for (GradientSeries g : r.gradients) grads.add(gradientJson(g));
        root.put("gradients", grads);
        return root;
    }

    public static Map<String, Object> runJson(SeedRun s) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("seed", s.seed);
        j.put("status", s.status);
        j.put("divergedAtEpoch", s.divergedAtEpoch);
        List<Object> epochs = new ArrayList<>();
        for (EpochMetrics e : s.epochs) {
            Map<String, Object> ej = new LinkedHashMap<>();
            ej.put("epoch", e.epoch());
            ej.put("trainLoss", e.trainLoss());
            ej.put("trainAccuracy", e.trainAccuracy());
            ej.put("testLoss", e.testLoss());
            ej.put("testAccuracy", e.testAccuracy());
            ej.put("trainSeconds", e.trainSeconds());
            epochs.add(ej);
        }
        j.put("epochs", epochs);
        j.put("finalTestAccuracy", s.finalTestAccuracy);
        j.put("finalTestLoss", s.finalTestLoss);
        j.put("trainSeconds", s.trainSeconds);
        j.put("inferenceSeconds", s.inferenceSeconds);
        j.put("imagesPerSecond", s.imagesPerSecond);
        if (Double.isFinite(s.inferenceLoadPerCore)) j.put("inferenceLoadPerCore", s.inferenceLoadPerCore);
        j.put("parameterCount", s.parameterCount);
        j.put("weightBytes", s.weightBytes);
        j.put("checkpointBytes", s.checkpointBytes);
        List<Object> hs = new ArrayList<>();
        for (WeightHistogram h : s.histograms) hs.add(histogramJson(h, null));
        j.put("histograms", hs);
        if (!s.mechanism.isEmpty()) {
            List<Object> ms = new ArrayList<>();
            for (MechanismRecord m : s.mechanism) ms.add(mechanismJson(m));
            j.put("mechanism", ms);
        }
        if (s.trace != null) j.put("trace", gradientJson(s.trace));
        return j;
    }

    public static Map<String, Object> histogramJson(WeightHistogram h, Integer epoch) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("parameter", h.parameter());
        if (epoch != null) j.put("epoch", epoch);
        j.put("lo", h.lo());
        j.put("hi", h.hi());
        j.put("counts", h.counts());
        j.put("gridStep", h.gridStep());
        return j;
    }

    public static Map<String, Object> gradientJson(GradientSeries g) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", g.name);
        j.put("bits", g.bits);
        j.put("rounding", g.rounding);
        j.put("mode", g.mode);
        j.put("finalTestAccuracy", g.finalTestAccuracy);
        j.put("steps", g.steps);
        j.put("loss", g.loss);
        j.put("lostFraction", g.lostFraction);
        j.put("cosine", g.cosine);
        List<Object> hs = new ArrayList<>();
        for (int i = 0; i < g.histograms.size(); i++) hs.add(histogramJson(g.histograms.get(i), g.histogramEpochs.get(i)));
        j.put("histograms", hs);
        return j;
    }

    /**
     * Reads a parsed {@code results.json}.
     *
     * @throws JsonException naming the first missing or mistyped field
     */
    public static RunResults fromJson(Object parsed) {
        JsonObject root = new JsonObject(parsed, "");
        String schema = root.string("schema");
        if (!schema.equals(RunResults.SCHEMA)) {
            throw new JsonException("schema is '" + schema + "', this build reads '" + RunResults.SCHEMA + "'");
        }
        RunResults r = new RunResults(root.string("experiment"));
        copyMap(root.raw("config"), r.config);
        copyMap(root.raw("environment"), r.environment);
        for (int i = 0; i < root.list("methods").size(); i++) {
            JsonObject mj = root.element("methods", i);
            MethodResult m = new MethodResult(mj.string("name"), mj.string("description"));
            for (int k = 0; k < mj.list("runs").size(); k++) m.runs.add(runFromJson(mj.element("runs", k)));
            r.methods.add(m);
        }
        if (root.has("gradients")) {
            for (int i = 0; i < root.list("gradients").size(); i++) r.gradients.add(gradientFromJson(root.element("gradients", i)));
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static void copyMap(Object raw, Map<String, Object> into) {
        if (raw instanceof Map<?, ?> m) into.putAll((Map<String, Object>) m);
    }

    public static SeedRun runFromJson(JsonObject j) {
        SeedRun s = new SeedRun((int) j.integer("seed"));
        s.status = j.string("status");
        s.divergedAtEpoch = (int) j.integer("divergedAtEpoch");
        for (int i = 0; i < j.list("epochs").size(); i++) {
            JsonObject e = j.element("epochs", i);
            s.epochs.add(new EpochMetrics((int) e.integer("epoch"), e.number("trainLoss"), e.number("trainAccuracy"),
                    e.number("testLoss"), e.number("testAccuracy"), e.number("trainSeconds")));
        }
        s.finalTestAccuracy = j.number("finalTestAccuracy");
        s.finalTestLoss = j.number("finalTestLoss");
        s.trainSeconds = j.number("trainSeconds");
        s.inferenceSeconds = j.number("inferenceSeconds");
        s.imagesPerSecond = j.number("imagesPerSecond");
        if (j.has("inferenceLoadPerCore")) s.inferenceLoadPerCore = j.number("inferenceLoadPerCore");
        s.parameterCount = j.integer("parameterCount");
        s.weightBytes = j.integer("weightBytes");
        s.checkpointBytes = j.integer("checkpointBytes");
        for (int i = 0; i < j.list("histograms").size(); i++) s.histograms.add(histogramFromJson(j.element("histograms", i)));
        if (j.has("mechanism")) {
            for (int i = 0; i < j.list("mechanism").size(); i++) s.mechanism.add(mechanismFromJson(j.element("mechanism", i)));
        }
        if (j.has("trace")) s.trace = gradientFromJson(j.object("trace"));
        return s;
    }

    public static Map<String, Object> mechanismJson(MechanismRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", r.epoch());
        m.put("parameter", r.parameter());
        m.put("kind", r.kind());
        m.put("weights", r.weights());
        m.put("updates", r.updates());
        m.put("applied", r.applied());
        m.put("lost", r.lost());
        m.put("crossed", r.crossed());
        m.put("clipped", r.clipped());
        m.put("meanUpdateSteps", r.meanUpdateSteps());
        m.put("zeroFraction", r.zeroFraction());
        m.put("meanAbs", r.meanAbs());
        m.put("meanAbsMaster", r.meanAbsMaster());
        m.put("changedFraction", r.changedFraction());
        m.put("deadZoneFraction", r.deadZoneFraction());
        m.put("cosine", r.cosine());
        return m;
    }

    public static MechanismRecord mechanismFromJson(JsonObject j) {
        return new MechanismRecord((int) j.integer("epoch"), j.string("parameter"), j.string("kind"), j.integer("weights"),
                j.number("updates"), j.number("applied"), j.number("lost"), j.number("crossed"), j.number("clipped"),
                j.number("meanUpdateSteps"), j.number("zeroFraction"), j.number("meanAbs"), j.number("meanAbsMaster"),
                j.number("changedFraction"), j.number("deadZoneFraction"), j.number("cosine"));
    }

    public static WeightHistogram histogramFromJson(JsonObject h) {
        double[] c = h.numbers("counts");
        long[] counts = new long[c.length];
        for (int i = 0; i < c.length; i++) counts[i] = (long) c[i];
        return new WeightHistogram(h.string("parameter"), h.number("lo"), h.number("hi"), counts, h.number("gridStep"));
    }

    public static GradientSeries gradientFromJson(JsonObject j) {
        GradientSeries g = new GradientSeries(j.string("name"), (int) j.integer("bits"), j.string("rounding"), j.string("mode"));
        g.finalTestAccuracy = j.number("finalTestAccuracy");
        for (double d : j.numbers("steps")) g.steps.add((int) d);
        for (double d : j.numbers("loss")) g.loss.add(d);
        for (double d : j.numbers("lostFraction")) g.lostFraction.add(d);
        for (double d : j.numbers("cosine")) g.cosine.add(d);
        for (int i = 0; i < j.list("histograms").size(); i++) {
            JsonObject h = j.element("histograms", i);
            g.histograms.add(histogramFromJson(h));
            g.histogramEpochs.add((int) h.integer("epoch"));
        }
        return g;
    }

    /** One row per method, seed and epoch. */
    public static String curvesCsv(RunResults r) {
        Csv csv = new Csv(List.of("experiment", "method", "seed", "epoch", "train_loss", "train_accuracy", "test_loss",
                "test_accuracy", "train_seconds", "status"));
        for (MethodResult m : r.methods) {
            for (SeedRun s : m.runs) {
                for (EpochMetrics e : s.epochs) {
                    csv.row(r.experiment, m.name, s.seed, e.epoch(), e.trainLoss(), e.trainAccuracy(), e.testLoss(),
                            e.testAccuracy(), e.trainSeconds(), s.status);
                }
            }
        }
        return csv.toString();
    }
}
