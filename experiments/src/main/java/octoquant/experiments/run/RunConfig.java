package octoquant.experiments.run;

import octoquant.experiments.UserError;
import octoquant.experiments.checkpoint.CheckpointFile;
import octoquant.experiments.cli.Experiment;
import octoquant.experiments.cli.Options;
import octoquant.experiments.io.Json;
import octoquant.experiments.io.JsonException;
import octoquant.experiments.io.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options that decide a run's numbers, as a canonical JSON object: written to {@code config.json} at
 * the start of a run, hashed into every checkpoint, and read back by {@code --resume}. The thread count
 * and the data location are left out on purpose: they must not change the numbers.
 */
public final class RunConfig {
    public static final int EVAL_BATCH = 256;
    public static final int INFERENCE_PASSES = 3;

    private RunConfig() {}

    public static Map<String, Object> of(Options o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", o.experiment.cliName());
        m.put("epochs", o.epochs);
        m.put("seeds", o.seeds);
        m.put("seedOffset", o.seedOffset);
        m.put("batchSize", o.batchSize);
        m.put("lr", o.lr);
        m.put("optimizer", o.optimizer);
        m.put("methods", new ArrayList<>(o.methods));
        m.put("mode", o.mode);
        m.put("model", o.experiment == Experiment.REGRESSION ? "mlp-10-64-1" : o.model);
        m.put("limitTrain", o.limitTrain);
        m.put("limitTest", o.limitTest);
        m.put("evalBatchSize", EVAL_BATCH);
        m.put("inferencePasses", INFERENCE_PASSES);
        return m;
    }

    public static byte[] hash(Options o) {
        return CheckpointFile.hashConfig(Json.write(of(o)));
    }

    /**
     * Fills {@code o} from the {@code config.json} of an interrupted run in {@code dir}; only the thread count
     * and the data location of the new command line are kept.
     */
    public static void loadInto(Path dir, Options o) {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new UserError("--resume " + dir + ": no config.json there; give the directory an interrupted run wrote");
        }
        try {
            JsonObject c = new JsonObject(Json.parse(Files.readString(file)), "config.json");
            String exp = c.string("experiment");
            if (!exp.equals(o.experiment.cliName())) {
                throw new UserError("--resume " + dir + " holds a '" + exp + "' run, not '" + o.experiment.cliName() + "'");
            }
            o.epochs = (int) c.integer("epochs");
            o.seeds = (int) c.integer("seeds");
            o.seedOffset = (int) c.integer("seedOffset");
            o.batchSize = (int) c.integer("batchSize");
            o.lr = c.number("lr");
            o.optimizer = c.string("optimizer");
            List<String> methods = new ArrayList<>();
            for (Object m : c.list("methods")) methods.add(String.valueOf(m));
            o.methods = methods;
            o.mode = c.string("mode");
            if (o.experiment != Experiment.REGRESSION) o.model = c.string("model");
            o.limitTrain = (int) c.integer("limitTrain");
            o.limitTest = (int) c.integer("limitTest");
            o.out = dir;
        } catch (IOException e) {
            throw new UserError("--resume " + dir + ": cannot read config.json: " + e.getMessage());
        } catch (JsonException e) {
            throw new UserError("--resume " + dir + ": config.json is not a run configuration (" + e.getMessage() + ")");
        }
    }

    public static void write(Path dir, Options o) throws IOException {
        octoquant.experiments.io.AtomicFiles.writeString(dir.resolve("config.json"), Json.write(of(o)));
    }
}
