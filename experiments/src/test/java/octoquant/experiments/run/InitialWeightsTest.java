package octoquant.experiments.run;

import octoquant.engine.nn.Models;
import octoquant.engine.nn.Sequential;
import octoquant.engine.nn.WeightsFile;
import octoquant.engine.param.Parameter;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.util.Rng;
import octoquant.experiments.DataError;
import octoquant.experiments.Main;
import octoquant.experiments.UserError;
import octoquant.experiments.grid.Probes;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.result.SeedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code --init-from}: every run starts from the file's weights; a changed or unfitting file is refused. */
class InitialWeightsTest {

    /** Records the weights a run starts from. */
    static final class FirstWeights implements TrainingProbe {
        final List<float[]> seen = new ArrayList<>();
        private Context ctx;

        public String name() {
            return "first";
        }

        public void attach(Context context) {
            ctx = context;
        }

        public void begin() {
            for (Parameter p : ctx.params()) seen.add(p.storage().decodeAll());
        }

        public Object saveState() {
            return java.util.Map.of();
        }

        public void restoreState(Object state) {}

        public void finish(SeedRun result) {}
    }

    private static Task tinyMnist() {
        RunSetConfig c = new RunSetConfig("mnist", 1, 1, 0, 64, 1e-3, OptimizerKind.ADAM,
                List.of(Method.parse("float")), TrainingMode.QAT, "mlp", 200, 100, RunSetConfig.Trainable.ALL, Probes.NONE);
        return Tasks.load(c, null);
    }

    private static RunSpec spec(InitialWeights init, int seed) {
        RunSetConfig c = new RunSetConfig("mnist", 1, 1, seed, 64, 1e-3, OptimizerKind.ADAM,
                List.of(Method.parse("quant8")), TrainingMode.STORAGE, "mlp", 200, 100, RunSetConfig.Trainable.ALL,
                Probes.NONE, init);
        return new RunSpec("", c, c.methods(), c.mode(), seed);
    }

    @Test
    void everyRunStartsFromTheFileWhateverItsSeed(@TempDir Path tmp) throws Exception {
        Sequential source = Models.mlp(new Rng(99));
        Path file = tmp.resolve("w.safetensors");
        WeightsFile.save(source, file);
        InitialWeights init = InitialWeights.of(file);
        Task task = tinyMnist();
        for (int seed : new int[] {0, 5}) {
            FirstWeights probe = new FirstWeights();
            new TrainingRun(task, spec(init, seed), tmp.resolve("c" + seed), TrainingRunResumeTest.QUIET, List.of(probe)).run();
            List<Parameter> expected = source.parameters();
            for (int i = 0; i < expected.size(); i++) {
                // quant8 storage mode: the run starts from the file's values on the 1/255 grid
                float[] want = expected.get(i).storage().decodeAll();
                float[] got = probe.seen.get(i);
                for (int k = 0; k < want.length; k++) {
                    double tolerance = expected.get(i).shape().length > 1 ? 0.5 / 255 + 1e-7 : 0;
                    assertEquals(want[k], got[k], tolerance, expected.get(i).name() + "[" + k + "], seed " + seed);
                }
            }
        }
    }

    @Test
    void aChangedOrUnfittingFileIsRefused(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("w.safetensors");
        WeightsFile.save(Models.mlp(new Rng(1)), file);
        InitialWeights init = InitialWeights.of(file);
        WeightsFile.save(Models.mlp(new Rng(2)), file);
        UserError changed = assertThrows(UserError.class, () -> new TrainingRun(tinyMnist(), spec(init, 0),
                tmp.resolve("c"), TrainingRunResumeTest.QUIET, List.of()).run());
        assertTrue(changed.getMessage().startsWith("--init-from " + init.file() + " changed since this run started"),
                changed.getMessage());

        Path cnn = tmp.resolve("cnn.safetensors");
        WeightsFile.save(Models.seedCnn(new Rng(1), 1, 28, 28), cnn);
        DataError wrong = assertThrows(DataError.class, () -> new TrainingRun(tinyMnist(), spec(InitialWeights.of(cnn), 0),
                tmp.resolve("d"), TrainingRunResumeTest.QUIET, List.of()).run());
        assertTrue(wrong.getMessage().startsWith("--init-from: " + cnn), wrong.getMessage());
    }

    @Test
    void runsWriteTheirWeightsAndResumeNeedsNoExperimentName(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        assertEquals(0, Main.run(new String[] {"mnist", "--epochs", "1", "--seeds", "1", "--methods", "float,octal8",
            "--limit-train", "200", "--limit-test", "100", "--out", dir.toString()}, quiet, quiet));
        for (String m : new String[] {"float", "octal8"}) {
            Path w = dir.resolve("weights/" + m + "-seed0.safetensors");
            assertTrue(Files.isRegularFile(w), w.toString());
            Sequential model = Models.mlp(null);
            WeightsFile.load(model, w, true);
        }
        assertEquals("octal8", WeightsFile.read(dir.resolve("weights/octal8-seed0.safetensors")).scheme("1.weight"));
        // Interrupted after the first method: "--resume DIR" alone finds the experiment in config.json.
        Files.delete(dir.resolve("runs/octal8-seed0.json"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"--resume", dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), quiet));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("float seed 0: finished before the interruption, kept"), text);
        assertTrue(Files.isRegularFile(dir.resolve("runs/octal8-seed0.json")));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.run(new String[] {"--resume", tmp.toString()}, quiet, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: --resume " + tmp + ": no config.json or audit.json there"),
                err.toString(StandardCharsets.UTF_8));
    }
}
