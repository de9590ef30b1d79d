package octoquant.bench.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import octoquant.bench.EpochOptions;
import octoquant.engine.nn.Models;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DJL contestant runs offline from the jars Maven resolved (libtorch extracted from the native jar into
 * target/djl-cache), builds the same models as octoquant and trains. A smoke run, not a measurement: a few
 * seconds, most of them loading libtorch.
 */
class DjlContestantSmokeTest {
    private static Engine engine;

    @BeforeAll
    static void loadPyTorchOffline() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the bench depends on PyTorch's linux-x86_64 native jar only");
        // One thread: PyTorch's default is one per core, so this shows the setting is honoured, and a
        // spin-waiting second OpenMP thread would make the test slow on a shared machine.
        engine = DjlPyTorch.load(1, Path.of("target", "djl-cache"));
    }

    @Test
    void pyTorch271RunsWithTheRequestedThreads() {
        assertEquals("2.7.1", engine.getVersion());
        assertEquals(1, DjlPyTorch.intraOpThreads());
        assertEquals(1, DjlPyTorch.interOpThreads());
    }

    @Test
    void modelsHaveTheReferenceParameterCounts() {
        for (String name : new String[] {"mlp", "cnn"}) {
            try (Model model = DjlTrainEpoch.newModel(name); Trainer ignored = DjlTrainEpoch.newTrainer(model, DjlModels.imageShape(name))) {
                long djl = model.getBlock().getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
                long octoquant = name.equals("mlp") ? Models.mlp(new Rng(1)).parameterCount()
                        : Models.seedCnn(new Rng(1), 3, 32, 32).parameterCount();
                assertEquals(octoquant, djl, name + ": parameters in DJL vs octoquant");
            }
        }
    }

    @Test
    void adamStepsFitOneFixedBatch() {
        try (Model model = DjlTrainEpoch.newModel("mlp");
                Trainer trainer = DjlTrainEpoch.newTrainer(model, DjlModels.imageShape("mlp"));
                NDManager data = NDManager.newBaseManager()) {
            NDArray x = data.randomNormal(0, 1, new Shape(64, 1, 28, 28), DataType.FLOAT32);
            NDArray y = data.randomInteger(0, 10, new Shape(64), DataType.INT64);
            float first = DjlTrainEpoch.trainStep(trainer, x, y).getFloat();
            float last = first;
            for (int s = 0; s < 30; s++) last = DjlTrainEpoch.trainStep(trainer, x, y).getFloat();
            // Random labels on 64 images can be memorised: the loss must fall well below its start.
            assertTrue(last < 0.5f * first, "loss " + first + " -> " + last + " after 30 Adam steps on one batch");
        }
    }

    @Test
    void epochPrintsEveryFigureOfTheContract() {
        EpochOptions o = EpochOptions.parse(new String[] {"--model", "mlp", "--train-size", "640", "--test-size", "128",
                "--warmup-steps", "2", "--warmup-seconds", "0", "--infer-passes", "1"}, 1, 30, 3);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            DjlTrainEpoch.run(o, engine);
        } finally {
            System.setOut(stdout);
        }
        Map<String, Double> figures = new HashMap<>();
        for (String line : buffer.toString(StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("djl")) {
                assertEquals(4, f.length, line);
                assertEquals("mlp", f[1], line);
                figures.put(f[2], Double.parseDouble(f[3]));
            } else {
                assertTrue(line.isEmpty() || line.startsWith("#"), "not a comment: " + line);
            }
        }
        for (String metric : new String[] {"train_epoch_seconds", "train_epoch_cpu_seconds", "infer_images_per_second", "peak_rss_mb"}) {
            assertTrue(figures.getOrDefault(metric, -1.0) > 0, metric + " in " + figures);
        }
        // Mean cross-entropy on random labels, from an initialisation that is not PyTorch's own: near ln 10.
        double loss = figures.get("train_mean_loss");
        assertTrue(loss > 1.5 && loss < 4, "train_mean_loss " + loss);
    }
}
