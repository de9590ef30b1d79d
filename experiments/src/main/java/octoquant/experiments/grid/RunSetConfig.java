package octoquant.experiments.grid;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.checkpoint.CheckpointFile;
import octoquant.experiments.cli.Experiment;
import octoquant.experiments.cli.Options;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.io.JsonObject;
import octoquant.experiments.run.InitialWeights;
import octoquant.experiments.run.Method;
import octoquant.experiments.run.ModelKind;
import octoquant.experiments.run.OptimizerKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that decides the numbers of a set of runs that share one {@code results.json}: the task, the
 * model, the training set-up and the methods and seeds it covers. Written as {@code config.json} (its
 * canonical JSON), hashed into every checkpoint of the set, and read back by {@code --resume}. The thread
 * count and the data location are not part of it: they must not change the numbers.
 *
 * @param experiment the task: {@code regression}, {@code mnist}, {@code fashion-mnist}, {@code cifar10} or
 *                   {@code gradients}
 * @param model      {@code mlp}, {@code cnn}, or the regression's {@code mlp-10-64-1}
 * @param mode       the mode every method of the set trains in (the gradients set gives each run its own)
 * @param trainable  {@link Trainable#ALL}, or {@link Trainable#BIASES} for the control that freezes every weight at
 *                   its initial value
 * @param probes     what the runs record besides the metrics ({@link Probes})
 * @param initFrom   weights every run starts from instead of its seeded initialisation, or null
 */
public record RunSetConfig(String experiment, int epochs, int seeds, int seedOffset, int batchSize, double lr,
                           OptimizerKind optimizer, List<Method> methods, TrainingMode mode, String model,
                           int limitTrain, int limitTest, Trainable trainable, Probes probes,
                           InitialWeights initFrom) {
    public static final int EVAL_BATCH = 256;
    public static final int INFERENCE_PASSES = 3;

    /** Which parameters train. */
    public enum Trainable {
        ALL, BIASES;

        String token() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public RunSetConfig {
        methods = List.copyOf(methods);
        if (probes == null) probes = Probes.NONE;
        if (trainable == null) trainable = Trainable.ALL;
    }

    /** A set whose runs start from their seeded initialisation. */
    public RunSetConfig(String experiment, int epochs, int seeds, int seedOffset, int batchSize, double lr,
                        OptimizerKind optimizer, List<Method> methods, TrainingMode mode, String model,
                        int limitTrain, int limitTest, Trainable trainable, Probes probes) {
        this(experiment, epochs, seeds, seedOffset, batchSize, lr, optimizer, methods, mode, model, limitTrain,
                limitTest, trainable, probes, null);
    }

    /** The configuration a training command line describes. */
    public static RunSetConfig of(Options o) {
        String model = o.experiment == Experiment.REGRESSION ? "mlp-10-64-1" : o.model.token();
        boolean gradients = o.experiment == Experiment.GRADIENTS;
        Probes probes = gradients ? Probes.ALL : Probes.NONE;
        return new RunSetConfig(o.experiment.cliName(), o.epochs, gradients ? 1 : o.seeds, o.seedOffset, o.batchSize, o.lr, o.optimizer,
                o.methods, o.mode, model, o.limitTrain, o.limitTest, Trainable.ALL, probes,
                o.initFrom == null ? null : InitialWeights.of(o.initFrom));
    }

    public int[] seedList() {
        int[] s = new int[seeds];
        for (int i = 0; i < seeds; i++) s[i] = seedOffset + i;
        return s;
    }

    /** The image model, for the image tasks. */
    public ModelKind modelKind() {
        return ModelKind.parse(model);
    }

    /**
     * The canonical JSON object. Keys added after the first release ({@code trainable}, {@code probes},
     * {@code initFrom}) are
     * written only when they differ from their defaults, so every configuration written before keeps its text
     * and its checkpoints' hash.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", experiment);
        m.put("epochs", epochs);
        m.put("seeds", seeds);
        m.put("seedOffset", seedOffset);
        m.put("batchSize", batchSize);
        m.put("lr", lr);
        m.put("optimizer", optimizer.token());
        List<Object> names = new ArrayList<>();
        for (Method x : methods) names.add(x.name());
        m.put("methods", names);
        m.put("mode", mode.token());
        m.put("model", model);
        m.put("limitTrain", limitTrain);
        m.put("limitTest", limitTest);
        m.put("evalBatchSize", EVAL_BATCH);
        m.put("inferencePasses", INFERENCE_PASSES);
        if (trainable != Trainable.ALL) m.put("trainable", trainable.token());
        if (probes != Probes.NONE) m.put("probes", probes.token());
        if (initFrom != null) {
            Map<String, Object> init = new LinkedHashMap<>();
            init.put("file", initFrom.file().toString());
            init.put("sha256", initFrom.sha256());
            m.put("initFrom", init);
        }
        return m;
    }

    public String canonicalJson() {
        return Json.write(toJson());
    }

    /** The SHA-256 of the canonical JSON: every checkpoint of the set carries it. */
    public byte[] hash() {
        return CheckpointFile.hashConfig(canonicalJson());
    }

    /**
     * Reads a configuration written by {@link #toJson}.
     *
     * @throws JsonException naming the first missing or mistyped key
     * @throws IllegalArgumentException for a method, mode, optimizer or model this build does not know
     */
    public static RunSetConfig fromJson(Object parsed, String where) {
        JsonObject c = new JsonObject(parsed, where);
        List<Method> methods = new ArrayList<>();
        for (Object x : c.list("methods")) methods.add(Method.parse(String.valueOf(x)));
        Trainable trainable = c.has("trainable") ? Trainable.valueOf(c.string("trainable").toUpperCase(java.util.Locale.ROOT))
                : Trainable.ALL;
        Probes probes = c.has("probes") ? Probes.parse(c.string("probes")) : Probes.NONE;
        InitialWeights init = null;
        if (c.has("initFrom")) {
            JsonObject i = c.object("initFrom");
            init = new InitialWeights(java.nio.file.Path.of(i.string("file")), i.string("sha256"));
        }
        return new RunSetConfig(c.string("experiment"), (int) c.integer("epochs"), (int) c.integer("seeds"),
                (int) c.integer("seedOffset"), (int) c.integer("batchSize"), c.number("lr"),
                OptimizerKind.parse(c.string("optimizer")), methods, TrainingMode.parse(c.string("mode")),
                c.string("model"), (int) c.integer("limitTrain"), (int) c.integer("limitTest"), trainable, probes, init);
    }

    public RunSetConfig withMethods(List<Method> m) {
        return new RunSetConfig(experiment, epochs, seeds, seedOffset, batchSize, lr, optimizer, m, mode, model,
                limitTrain, limitTest, trainable, probes, initFrom);
    }
}
