package octoquant.experiments.sweep;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.cli.UsageException;
import octoquant.experiments.grid.RunExecutor;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The distributed entry points: a command line's grid, and the merge of its executed specs. */
class SweepsTest {

    @Test
    void gridsOfTrainingExperimentsAndTheGradientsExperiment() throws Exception {
        List<RunSpec> mnist = Sweeps.grid(new String[] {"mnist", "--seeds", "2", "--methods", "float,quant8"});
        assertEquals(List.of("float-seed0", "float-seed1", "quant8-seed0", "quant8-seed1"), mnist.stream().map(RunSpec::id).toList());
        List<RunSpec> ptq = Sweeps.grid(new String[] {"fashion-mnist", "--mode", "ptq", "--seeds", "3"});
        assertEquals(3, ptq.size());
        assertEquals(3, ptq.get(0).methods().size());
        assertEquals(TrainingMode.PTQ, ptq.get(0).mode());
        assertEquals(13, Sweeps.grid(new String[] {"gradients"}).size());
        assertThrows(UsageException.class, () -> Sweeps.grid(new String[] {"list"}));
        assertThrows(UsageException.class, () -> Sweeps.grid(new String[] {"mnist", "--bogus"}));
    }

    @Test
    void executedSpecsMergeIntoTheExperimentsOutputs(@TempDir Path out) throws Exception {
        List<RunSpec> grid = Sweeps.grid(new String[] {"regression", "--seeds", "2", "--epochs", "2", "--methods", "quant8,octal8"});
        for (RunSpec s : grid) {
            String result = RunExecutor.execute(s.toJsonText(), out, 1);
            assertTrue(result.contains("\"octoquant-run/1\""));
        }
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Sweeps.merge(out, grid, new PrintStream(console, true, "UTF-8"));
        @SuppressWarnings("unchecked")
        Map<String, Object> results = (Map<String, Object>) Json.parse(Files.readString(out.resolve("results.json")));
        assertEquals("regression", results.get("experiment"));
        assertTrue(Files.isRegularFile(out.resolve("report.html")));
        assertTrue(console.toString("UTF-8").contains("quant8"), console.toString("UTF-8"));
    }
}
