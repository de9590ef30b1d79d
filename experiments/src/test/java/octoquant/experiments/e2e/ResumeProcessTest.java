package octoquant.experiments.e2e;

import octoquant.experiments.result.RunResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Kill a run after a checkpoint, resume it, and get the numbers of a run that was never interrupted. */
class ResumeProcessTest {

    private static List<String> args(Path out) {
        return new ArrayList<>(List.of("mnist", "--epochs", "3", "--seeds", "1", "--methods", "float,quant8",
                "--limit-train", "4000", "--limit-test", "300", "--data", CliProcess.sharedData().toString(),
                "--out", out.toString()));
    }

    @Test
    void killedAndResumedRunEndsWithTheUninterruptedNumbers(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole"), broken = tmp.resolve("broken");
        CliProcess.Result a = CliProcess.run(args(whole).toArray(String[]::new));
        assertEquals(0, a.code(), a.err());

        Process p = CliProcess.start(CliProcess.directCommand(args(broken).toArray(String[]::new)),
                tmp.resolve("broken.log").toFile());
        Path ckpt = broken.resolve("checkpoints/quant8-seed0.ckpt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertTrue(Files.exists(ckpt), "the run wrote quant8's first checkpoint before it was killed");
        RunResults partial = CliProcess.results(broken);
        assertTrue(partial.method("quant8").map(m -> m.runs.isEmpty()).orElse(true),
                "quant8 was interrupted (killed before it finished): " + Files.readString(tmp.resolve("broken.log")));

        CliProcess.Result resumed = CliProcess.run("mnist", "--resume", broken.toString());
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("float seed 0: finished before the interruption, kept"), resumed.out());
        assertTrue(resumed.out().matches("(?s).*quant8 seed 0: resumed after epoch [12] from quant8-seed0.ckpt.*"),
                resumed.out());
        ExperimentsProcessTest.assertSameNumbers(CliProcess.results(whole), CliProcess.results(broken));
    }
}
