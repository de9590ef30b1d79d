package octoquant.experiments.cli;

import octoquant.engine.storage.QuantScheme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.run.Method;
import octoquant.experiments.run.ModelKind;
import octoquant.experiments.run.OptimizerKind;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CliParserTest {

    private static Options parse(String... args) throws UsageException {
        return CliParser.parse(args);
    }

    @Test
    void defaultsFollowTheSeed() throws UsageException {
        Options o = parse("mnist");
        assertEquals(Experiment.MNIST, o.experiment);
        assertEquals(20, o.epochs);
        assertEquals(3, o.seeds);
        assertEquals(64, o.batchSize);
        assertEquals(1e-3, o.lr);
        assertEquals(OptimizerKind.ADAM, o.optimizer);
        assertEquals(List.of("float", "quant8", "octal8"), names(o));
        assertEquals(TrainingMode.QAT, o.mode);
        assertEquals(ModelKind.MLP, o.model);
        assertEquals(50, parse("regression").epochs);
        assertEquals(ModelKind.CNN, parse("cifar10").model);
    }

    @Test
    void readsEveryOptionInBothSpellings() throws UsageException {
        Options o = parse("fashion-mnist", "--data", "/d", "--out=/o", "--epochs", "2", "--seeds=5", "--seed-offset", "7",
                "--batch-size", "32", "--lr", "5e-4", "--optimizer", "SGD", "--threads", "2", "--methods",
                "float, int4-pc-maxabs-stochastic,octal6", "--mode", "storage", "--model", "cnn", "--limit-train",
                "1000", "--limit-test", "200");
        assertEquals(Path.of("/d"), o.data);
        assertEquals(Path.of("/o"), o.out);
        assertEquals(2, o.epochs);
        assertEquals(5, o.seeds);
        assertArrayEquals(new int[] {7, 8, 9, 10, 11}, o.seedList());
        assertEquals(32, o.batchSize);
        assertEquals(5e-4, o.lr);
        assertEquals(OptimizerKind.SGD, o.optimizer);
        assertEquals(2, o.threads);
        assertEquals(List.of("float", "int4-pc-maxabs-stochastic", "octal6"), names(o));
        assertEquals(TrainingMode.STORAGE, o.mode);
        assertEquals(ModelKind.CNN, o.model);
        assertEquals(1000, o.limitTrain);
        assertEquals(200, o.limitTest);
    }

    @Test
    void quantizeTakesValuesIncludingNegativeOnes() throws UsageException {
        Options o = parse("quantize", "0.75", "-0.5", "--bits", "4", "-1e-3");
        assertEquals(List.of("0.75", "-0.5", "-1e-3"), o.positional);
        assertEquals(4, o.bits);
    }

    @Test
    void helpNeverFails() throws UsageException {
        assertTrue(parse("--help").help);
        assertTrue(parse("nonsense", "--epochs", "x", "-h").help);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiterString = " => ", value = {
        "'' => no experiment given",
        "train => unknown experiment 'train' (expected one of: regression, mnist, fashion-mnist, cifar10, gradients, audit, quantize, merge, list)",
        "--epochs 3 => the experiment comes first, got option '--epochs'",
        "mnist --epoch 3 => unknown option '--epoch'",
        "mnist --epochs => option --epochs needs a value",
        "mnist --epochs x => option --epochs needs a whole number, got 'x'",
        "mnist --epochs 0 => option --epochs must be at least 1, got 0",
        "mnist --epochs 2.5 => option --epochs needs a whole number, got '2.5'",
        "mnist --seeds 0 => option --seeds must be at least 1, got 0",
        "mnist --batch-size -3 => option --batch-size must be at least 1, got -3",
        "mnist --threads 99999 => option --threads must be at most 1024, got 99999",
        "mnist --lr abc => option --lr needs a number, got 'abc'",
        "mnist --lr -1 => option --lr must be a positive number up to 10, got -1",
        "mnist --lr NaN => option --lr must be a positive number up to 10, got NaN",
        "mnist --optimizer rmsprop => option --optimizer must be one of adam|sgd, got 'rmsprop'",
        "mnist --mode fp16 => option --mode must be one of qat|storage|ptq, got 'fp16'",
        "mnist --model resnet => option --model must be one of mlp|cnn, got 'resnet'",
        "mnist --methods float,,quant8 => option --methods has an empty name in 'float,,quant8'",
        "mnist --methods float,float => option --methods names 'float' twice",
        "mnist --epochs 2 --epochs 3 => option --epochs is given twice",
        "mnist extra => unexpected argument 'extra' for 'mnist'",
        "mnist --bits 4 => option --bits does not apply to 'mnist'",
        "list --epochs 3 => option --epochs does not apply to 'list'",
        "quantize => quantize needs at least one VALUE, e.g. quantize 0.75",
        "quantize abc => quantize: 'abc' is not a number",
        "quantize 1e9 => quantize: '1e9' is outside -10000..10000",
        "quantize 0.5 --bits 17 => option --bits must be at most 16, got 17",
        "quantize 0.5 --bits 1 => option --bits must be at least 2, got 1",
        "merge => merge needs at least one RUN_DIR",
        "merge a --epochs 3 => option --epochs does not apply to 'merge'",
        "cifar10 --model mlp => cifar10 runs the seed's CNN only; drop --model mlp",
        "gradients --methods float => gradients fixes its own methods and modes; drop --methods/--mode",
        "mnist --resume r --out o => --resume continues in the given directory; drop --out",
        "mnist --resume r --epochs 3 => --resume uses the interrupted run's own configuration; drop --epochs (only --threads and --data may change)",
        "gradients --seeds 2 => gradients runs one seed (pick it with --seed-offset)",
    })
    void badCommandLinesSayWhatIsWrong(String line, String message) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        UsageException e = assertThrows(UsageException.class, () -> CliParser.parse(args));
        assertEquals(message, e.getMessage());
    }

    @Test
    void methodNamesAreCheckedByTheEngineGrammar() throws Exception {
        UsageException e = assertThrows(UsageException.class, () -> CliParser.parse(new String[] {"mnist", "--methods", "float,quant9x"}));
        assertEquals("unknown method 'quant9x'; methods: " + QuantScheme.GRAMMAR, e.getMessage());
        e = assertThrows(UsageException.class, () -> CliParser.parse(new String[] {"mnist", "--methods", "int17"}));
        assertEquals("method 'int17': bit width must be 2..16; methods: " + QuantScheme.GRAMMAR, e.getMessage());
        e = assertThrows(UsageException.class, () -> CliParser.parse(new String[] {"mnist", "--methods", "int8-pc-h0.5"}));
        assertTrue(e.getMessage().startsWith("method 'int8-pc-h0.5': headroom must be >= 1"), e.getMessage());
        // every documented form parses, the storage-mode headroom included
        CliParser.parse(new String[] {"mnist", "--methods", "float,quant4,octal8,int12,int4-pc-minmax-stochastic-h4"});
    }

    private static List<String> names(Options o) {
        return o.methods.stream().map(Method::name).toList();
    }
}
