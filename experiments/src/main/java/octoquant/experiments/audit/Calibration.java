package octoquant.experiments.audit;

import octoquant.datasets.Regression;
import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.grid.Probes;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonObject;
import octoquant.experiments.probe.MechanismProbe;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.run.Method;
import octoquant.experiments.run.Progress;
import octoquant.experiments.run.Task;
import octoquant.experiments.run.Tasks;
import octoquant.experiments.run.TrainingRun;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long the audit's runs take on this machine, measured before it starts: for every (data set, model, mode,
 * method) of the plan, a short training on the real data ({@value #BATCHES} batches, twice, the second timed
 * after the first warmed the code up) and a timed inference, through the same training loop and probes as the
 * runs. Kept in {@code calibration.json} so a resumed audit does not measure again.
 *
 * @param seconds per key ({@link #key}): {@code [training seconds per example, inference seconds per example]}
 */
public record Calibration(Map<String, double[]> seconds) {
    public static final int BATCHES = 12;
    public static final String FILE = "calibration.json";

    /** The calibration key of a method in a run set: ptq and bias-only train fp32, as {@code float}. */
    static String key(RunSetConfig c, Method m) {
        String method = c.mode() == TrainingMode.PTQ || m.scheme().isFloat() ? "float" : m.name();
        String mode = method.equals("float") ? "float" : c.mode().token();
        return c.experiment() + "|" + c.model() + "|" + mode + "|" + method;
    }

    /** Measures every key the plan needs that {@code known} lacks; {@code dataRoot} gives each data set's root. */
    public static Calibration measure(List<PlannedSet> plan, Calibration known, java.util.function.Function<String, Path> dataRoot,
                                      Path scratch, PrintStream console) throws IOException {
        Map<String, double[]> out = new LinkedHashMap<>(known.seconds);
        Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()), false);
        for (PlannedSet s : plan) {
            RunSetConfig c = s.config();
            for (Method m : c.methods()) {
                String key = key(c, m);
                if (out.containsKey(key)) continue;
                boolean fp32 = key.endsWith("|float");
                RunSetConfig probe = new RunSetConfig(c.experiment(), 2, 1, 0, c.batchSize(), c.lr(), c.optimizer(),
                        List.of(fp32 ? Method.parse("float") : m), fp32 ? TrainingMode.QAT : c.mode(), c.model(),
                        BATCHES * c.batchSize(), 512, RunSetConfig.Trainable.ALL, Probes.MECHANISM);
                Task task = Tasks.load(probe, dataRoot.apply(c.experiment()));
                Path ckpt = Files.createTempFile(scratch, "calibration", ".ckpt");
                Files.delete(ckpt);
                try {
                    RunSpec spec = new RunSpec("", probe, probe.methods(), probe.mode(), 0);
                    SeedRun r = new TrainingRun(task, spec, ckpt, quiet, List.of(new MechanismProbe())).run().get(0);
                    double train = r.epochs.size() == 2 ? r.epochs.get(1).trainSeconds() / task.trainSize() : Double.NaN;
                    double infer = r.inferenceSeconds / task.testSize();
                    out.put(key, new double[] {train, infer});
                    console.printf(java.util.Locale.ROOT, "  calibrated %-46s %8.1f us/example training, %6.1f us/example inference%n",
                            key.replace('|', ' '), train * 1e6, infer * 1e6);
                } finally {
                    Files.deleteIfExists(ckpt);
                }
            }
        }
        return new Calibration(out);
    }

    /** The estimated wall seconds of one run: training, the per-epoch evaluations, final evaluation and timing. */
    public double estimate(RunSpec spec) {
        RunSetConfig c = spec.config();
        int train = trainSize(c), test = testSize(c);
        double[] t = seconds.get(key(c, spec.methods().get(0)));
        if (t == null || !Double.isFinite(t[0])) return Double.NaN;
        double infer = Double.isFinite(t[1]) ? t[1] : 0;
        double training = c.epochs() * (train * t[0] + test * infer);
        double perMethod = Math.max(0.5, test * infer) + (RunSetConfig.INFERENCE_PASSES + 1) * test * infer;
        return training + spec.methods().size() * perMethod;
    }

    public static int trainSize(RunSetConfig c) {
        int full = switch (c.experiment()) {
            case "regression" -> Regression.DEFAULT_TRAIN;
            case "cifar10" -> 50_000;
            default -> 60_000;
        };
        return c.limitTrain() > 0 && !c.experiment().equals("regression") ? Math.min(full, c.limitTrain()) : full;
    }

    public static int testSize(RunSetConfig c) {
        int full = c.experiment().equals("regression") ? Regression.DEFAULT_TEST : 10_000;
        return c.limitTest() > 0 && !c.experiment().equals("regression") ? Math.min(full, c.limitTest()) : full;
    }

    public static Calibration empty() {
        return new Calibration(new LinkedHashMap<>());
    }

    public String toJsonText() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", "octoquant-calibration/1");
        m.put("batches", BATCHES);
        Map<String, Object> keys = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : seconds.entrySet()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("trainSecondsPerExample", e.getValue()[0]);
            v.put("inferenceSecondsPerExample", e.getValue()[1]);
            keys.put(e.getKey(), v);
        }
        m.put("seconds", keys);
        return Json.write(m);
    }

    public static Calibration parse(String text) {
        JsonObject j = new JsonObject(Json.parse(text), "calibration.json");
        JsonObject s = j.object("seconds");
        Map<String, double[]> out = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = (Map<String, Object>) j.raw("seconds");
        for (String k : new ArrayList<>(raw.keySet())) {
            JsonObject v = s.object(k);
            out.put(k, new double[] {v.number("trainSecondsPerExample"), v.number("inferenceSecondsPerExample")});
        }
        return new Calibration(out);
    }
}
