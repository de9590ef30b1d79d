package octoquant.experiments.e2e;

import octoquant.experiments.io.OutputLock;
import octoquant.experiments.result.RunResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** One live run per output folder, through real processes: races, and a lock left by a killed process. */
class OutputLockProcessTest {
    static final int RACES = 20;
    private static final Pattern HOLDER = Pattern.compile("error: (.*) is in use by another run \\(pid (\\d+) on host "
            + "(\\S+), started (\\S+)\\); wait for it to end, or choose another folder");

    private static String[] args(Path out, int epochs) {
        return new String[] {"regression", "--epochs", Integer.toString(epochs), "--seeds", "1", "--methods", "float",
                "--out", out.toString()};
    }

    @Test
    void twoRunsStartedTogetherOnOneFolderNeverBothWrite(@TempDir Path tmp) throws Exception {
        CliProcess.Result ref = CliProcess.run(args(tmp.resolve("reference"), 2));
        assertEquals(0, ref.code(), ref.err());
        RunResults expected = CliProcess.results(tmp.resolve("reference"));
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        int inUse = 0, alreadyHeld = 0;
        for (int trial = 0; trial < RACES; trial++) {
            Path dir = tmp.resolve("race" + trial);
            int offsetMs = rnd.nextInt(200);
            boolean secondFirst = rnd.nextBoolean();
            File[] logs = {tmp.resolve(trial + "a.out").toFile(), tmp.resolve(trial + "a.err").toFile(),
                    tmp.resolve(trial + "b.out").toFile(), tmp.resolve(trial + "b.err").toFile()};
            Process[] p = new Process[2];
            int first = secondFirst ? 1 : 0;
            p[first] = CliProcess.start(CliProcess.directCommand(args(dir, 2)), logs[2 * first], logs[2 * first + 1]);
            Thread.sleep(offsetMs);
            p[1 - first] = CliProcess.start(CliProcess.directCommand(args(dir, 2)), logs[2 * (1 - first)],
                    logs[2 * (1 - first) + 1]);
            int[] code = new int[2];
            for (int i = 0; i < 2; i++) {
                assertTrue(p[i].waitFor(120, TimeUnit.SECONDS), "trial " + trial + " finished");
                code[i] = p[i].exitValue();
            }
            String where = "trial " + trial + " (offset " + offsetMs + " ms, seed " + seed + ")";
            int winner = code[0] == 0 ? 0 : 1, loser = 1 - winner;
            assertEquals(0, code[winner], where + ": one run succeeds\n" + Files.readString(logs[2 * winner + 1].toPath()));
            assertNotEquals(0, code[loser], where + ": the other is refused");
            String loserErr = firstError(Files.readString(logs[2 * loser + 1].toPath()));
            assertEquals("", Files.readString(logs[2 * loser].toPath()), where + ": the refused run printed no progress");
            if (code[loser] == 2) {
                inUse++;
                Matcher m = HOLDER.matcher(loserErr);
                assertTrue(m.matches(), where + ": " + loserErr);
                assertEquals(dir.toString(), m.group(1));
                assertEquals(p[winner].pid(), Long.parseLong(m.group(2)), where + ": names the live holder");
            } else {
                // Started after the winner had finished: refused as a folder that holds a finished run.
                alreadyHeld++;
                assertEquals(1, code[loser], where + ": " + loserErr);
                assertTrue(loserErr.contains("already holds a run; continue it with --resume"), loserErr);
            }
            // Nothing interleaved: the winner's console shows each epoch once, the folder holds exactly its run.
            String out = Files.readString(logs[2 * winner].toPath());
            assertEquals(1, count(out, "float seed 0 epoch 1/2"), where + "\n" + out);
            assertEquals(1, count(out, "float seed 0 epoch 2/2"), where + "\n" + out);
            try (var runs = Files.list(dir.resolve("runs"))) {
                assertEquals(List.of("float-seed0.json"), runs.map(f -> f.getFileName().toString()).toList());
            }
            assertEquals(List.of(), temporaryFiles(dir), where);
            assertEquals("", Files.readString(dir.resolve(OutputLock.FILE_NAME)), where + ": the lock was released");
            ExperimentsProcessTest.assertSameNumbers(expected, CliProcess.results(dir));
        }
        System.out.printf("[OutputLockProcessTest] %d races (seed %d): %d refused as in use, %d as already finished, "
                + "never two writers%n", RACES, seed, inUse, alreadyHeld);
        assertTrue(inUse >= RACES / 4, "the races overlap: " + inUse + " of " + RACES);
    }

    @Test
    void aLockLeftByAKilledProcessIsTakenOver(@TempDir Path tmp) throws Exception {
        CliProcess.Result ref = CliProcess.run(args(tmp.resolve("reference"), 40));
        assertEquals(0, ref.code(), ref.err());
        Path dir = tmp.resolve("killed");
        Process p = CliProcess.start(CliProcess.directCommand(args(dir, 40)), tmp.resolve("killed.log").toFile());
        Path ckpt = dir.resolve("checkpoints/float-seed0.ckpt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9: no shutdown hook, the lock file keeps its record
        assertTrue(Files.exists(ckpt), Files.readString(tmp.resolve("killed.log")));
        assertFalse(Files.exists(dir.resolve("runs/float-seed0.json")), "killed before the run finished");
        String record = Files.readString(dir.resolve(OutputLock.FILE_NAME));
        assertTrue(record.contains("pid=" + p.pid()), record);

        CliProcess.Result resumed = CliProcess.run("--resume", dir.toString());
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().startsWith("note: " + dir + " had a stale lock from pid " + p.pid() + " on host "),
                resumed.out());
        assertTrue(resumed.out().contains("ended without releasing it (killed or crashed); the lock was taken over"),
                resumed.out());
        ExperimentsProcessTest.assertSameNumbers(CliProcess.results(tmp.resolve("reference")), CliProcess.results(dir));
        assertEquals("", Files.readString(dir.resolve(OutputLock.FILE_NAME)));
    }

    @Test
    void mergeIntoAFolderInUseIsRefused(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, CliProcess.run(args(run, 1)).code());
        Path busy = tmp.resolve("busy");
        Process holder = CliProcess.start(CliProcess.directCommand(args(busy, 400)), tmp.resolve("busy.log").toFile());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(busy.resolve("config.json")) && holder.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(holder.isAlive(), Files.readString(tmp.resolve("busy.log")));
            CliProcess.Result merge = CliProcess.run("merge", run.toString(), "--out", busy.toString());
            assertEquals(2, merge.code(), merge.err());
            assertTrue(merge.firstErrorLine().startsWith("error: " + busy + " is in use by another run (pid "
                    + holder.pid() + " on host "), merge.err());
            CliProcess.Result resume = CliProcess.run("--resume", busy.toString());
            assertEquals(2, resume.code(), resume.err());
            assertTrue(resume.firstErrorLine().startsWith("error: " + busy + " is in use by another run (pid "
                    + holder.pid()), resume.err());
        } finally {
            ProcessTable.killAll(holder);
        }
    }

    static String firstError(String err) {
        return err.lines().filter(l -> !l.startsWith("WARNING: Using incubator") && !l.startsWith("octoquant: kernels"))
                .findFirst().orElse("");
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    /** Temporary files of the atomic writers ({@code .<name>.<random>.tmp}) anywhere under {@code dir}. */
    static List<Path> temporaryFiles(Path dir) throws java.io.IOException {
        List<Path> found = new ArrayList<>();
        try (var all = Files.walk(dir)) {
            all.filter(f -> f.getFileName().toString().endsWith(".tmp")).forEach(found::add);
        }
        return found;
    }
}
