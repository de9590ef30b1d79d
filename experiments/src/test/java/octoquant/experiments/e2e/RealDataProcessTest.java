package octoquant.experiments.e2e;

import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static octoquant.experiments.e2e.ExperimentsProcessTest.assertSameNumbers;
import static octoquant.experiments.e2e.ExperimentsProcessTest.assertTableMeansMatch;
import static org.junit.jupiter.api.Assertions.*;

/** End-to-end runs on the real MNIST in ../shared/datasets (small limits, one epoch). */
class RealDataProcessTest {

    @Test
    void mnistOnRealDataWithSmallLimits(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("mnist");
        CliProcess.Result r = CliProcess.run("mnist", "--epochs", "1", "--seeds", "2", "--methods", "float,octal8",
                "--limit-train", "2000", "--limit-test", "500", "--data", CliProcess.sharedData().toString(),
                "--out", dir.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        RunResults res = CliProcess.results(dir);
        for (MethodResult m : res.methods) {
            for (SeedRun s : m.runs) {
                assertEquals(101_770, s.parameterCount);
                assertTrue(s.finalTestAccuracy > 0.75, m.name + " accuracy " + s.finalTestAccuracy);
                assertTrue(s.imagesPerSecond > 0 && s.inferenceSeconds > 0);
            }
        }
        assertEquals(500, ((Number) res.environment.get("testExamples")).intValue());
        assertTrue(res.method("octal8").get().runs.get(0).weightBytes < res.method("float").get().runs.get(0).weightBytes);
        assertTableMeansMatch(r.out(), res, true);
        assertTrue(r.out().contains("octal8 - float"), r.out());
    }


    @Test
    void sameSeedSameNumbersWhateverTheThreadCount(@TempDir Path tmp) throws Exception {
        RunResults one = null;
        for (String threads : new String[] {"1", "2"}) {
            Path dir = tmp.resolve("t" + threads);
            CliProcess.Result r = CliProcess.run("mnist", "--epochs", "1", "--seeds", "1", "--methods", "float,quant8",
                    "--limit-train", "1000", "--limit-test", "200", "--threads", threads, "--data",
                    CliProcess.sharedData().toString(), "--out", dir.toString());
            assertEquals(0, r.code(), r.err());
            RunResults res = CliProcess.results(dir);
            assertEquals(Integer.parseInt(threads), ((Number) res.environment.get("threads")).intValue());
            if (one == null) {
                one = res;
            } else {
                assertSameNumbers(one, res);
            }
        }
    }
}
