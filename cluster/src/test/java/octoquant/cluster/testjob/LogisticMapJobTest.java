package octoquant.cluster.testjob;

import octoquant.cluster.grid.BadSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The stand-in job is only a fair test of the sweep if its result depends on its spec alone. */
class LogisticMapJobTest {
    private final LogisticMapJob job = new LogisticMapJob();

    @Test
    void theResultDependsOnTheSpecAloneNotOnThreadsOrInterruptions(@TempDir Path tmp) throws Exception {
        List<String> specs = job.specs(new String[] {"logistic", "--runs", "2", "--epochs", "3", "--steps", "20000", "--lanes", "7"});
        String one = job.execute(specs.get(1), tmp.resolve("one"), 1);
        assertEquals(one, job.execute(specs.get(1), tmp.resolve("three"), 3));
        assertEquals(one, job.execute(specs.get(1), tmp.resolve("one"), 2), "a finished run returns its stored result");
        assertNotEquals(one, job.execute(specs.get(0), tmp.resolve("one"), 1), "another seed, other numbers");

        // Interrupted after its first epoch: only the first epoch's checkpoint is left. It resumes from there.
        List<String> short1 = job.specs(new String[] {"logistic", "--runs", "2", "--epochs", "1", "--steps", "20000", "--lanes", "7"});
        job.execute(short1.get(1), tmp.resolve("cut"), 2);
        Files.delete(tmp.resolve("cut").resolve(job.resultFile(short1.get(1))));
        assertEquals(one, job.execute(specs.get(1), tmp.resolve("cut"), 2));
    }

    @Test
    void aSpecItCannotReadIsABadSpec(@TempDir Path tmp) throws Exception {
        String bad = job.specs(new String[] {"logistic", "--runs", "2", "--unreadable", "1"}).get(0);
        assertEquals("logistic/runs/r00.json", job.resultFile(bad));
        BadSpecException e = assertThrows(BadSpecException.class, () -> job.execute(bad, tmp, 1));
        assertEquals("spec.epochs should be an integer", e.getMessage());
        assertThrows(BadSpecException.class, () -> job.resultFile("{not json"));
    }
}
