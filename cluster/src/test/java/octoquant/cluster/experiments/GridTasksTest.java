package octoquant.cluster.experiments;

import octoquant.cluster.grid.BadSpecException;
import octoquant.cluster.grid.GridJob;
import octoquant.cluster.testkit.SameNumbers;
import octoquant.cluster.testkit.SharedData;
import octoquant.experiments.audit.AuditConfig;
import octoquant.experiments.audit.AuditPreparation;
import octoquant.experiments.cli.CliParser;
import octoquant.experiments.cli.UsageException;
import octoquant.experiments.commands.GradientsCommand;
import octoquant.experiments.commands.TrainCommand;
import octoquant.experiments.grid.RunGrid;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.grid.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The experiments' grids as a sweep's job, in this JVM, against what experiments.jar's own command does. */
class GridTasksTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final String[] GRID = {"regression", "--epochs", "2", "--seeds", "2", "--methods", "float,octal8"};
    private final GridTasks job = new GridTasks();

    @Test
    void thePlanIsTheExperimentsGridAndItsConfiguration(@TempDir Path tmp) throws Exception {
        GridJob.Plan plan = job.plan(GRID, tmp, QUIET);
        RunSetConfig config = RunSetConfig.of(CliParser.parse(GRID));
        assertEquals(RunGrid.of(config, "").stream().map(RunSpec::toJsonText).toList(), plan.specs());
        assertEquals(List.of("runs/float-seed0.json", "runs/float-seed1.json", "runs/octal8-seed0.json",
                "runs/octal8-seed1.json"), resultFiles(plan));
        assertEquals(config.canonicalJson(), Files.readString(tmp.resolve("config.json")));
        assertEquals(Map.of(), plan.settings(), "no --data: executors look where experiments.jar looks");

        String[] withData = {"mnist", "--data", "some/where", "--seeds", "1"};
        GridJob.Plan p = job.plan(withData, Files.createDirectories(tmp.resolve("d")), QUIET);
        assertEquals(Map.of(GridTasks.DATA + "mnist", Path.of("some/where").toAbsolutePath().toString()), p.settings(),
                "--data reaches every executor, made absolute against the driver's working directory");
        assertTrue(p.summary().contains("data " + Path.of("some/where").toAbsolutePath()), p.summary());
        assertEquals(RunGrid.of(RunSetConfig.of(CliParser.parse(withData)), "").get(0).toJsonText(), p.specs().get(0),
                "the data location is not part of a run");
    }

    private List<String> resultFiles(GridJob.Plan plan) throws BadSpecException {
        List<String> files = new ArrayList<>();
        for (String s : plan.specs()) files.add(job.resultFile(s));
        return files;
    }

    @Test
    void executedAndMergedTheGridGivesWhatTheExperimentsOwnCommandWrites(@TempDir Path tmp) throws Exception {
        List<String> args = new ArrayList<>(List.of(GRID));
        args.addAll(List.of("--threads", "1", "--out", tmp.resolve("experiments").toString()));
        TrainCommand.run(CliParser.parse(args.toArray(String[]::new)), QUIET);

        Path out = tmp.resolve("sweep");
        GridJob.Plan plan = job.plan(GRID, Files.createDirectories(out), QUIET);
        for (int i = plan.specs().size() - 1; i >= 0; i--) job.execute(plan.specs().get(i), plan.settings(), out, 2);
        job.merge(out, plan.specs(), QUIET);
        SameNumbers.assertSame(tmp.resolve("experiments"), out);

        Path first = out.resolve(job.resultFile(plan.specs().get(0)));
        long written = Files.getLastModifiedTime(first).toMillis();
        String text = Files.readString(first);
        String again = job.execute(plan.specs().get(0), plan.settings(), out, 1);
        assertEquals(text, again, "a finished run returns its result");
        assertEquals(text, Files.readString(first), "and is not run again");
        assertEquals(written, Files.getLastModifiedTime(first).toMillis());
    }

    @Test
    void aSpecThisBuildCannotReadIsABadSpec(@TempDir Path tmp) throws Exception {
        String spec = job.plan(GRID, tmp, QUIET).specs().get(0).replace("\"float\"", "\"float-from-a-newer-build\"");
        BadSpecException e = assertThrows(BadSpecException.class, () -> job.execute(spec, Map.of(), tmp, 1));
        assertTrue(e.getMessage().startsWith("not a run spec this build can run ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("); the driver and the executors must run the same octoquant-cluster.jar"),
                e.getMessage());
        assertThrows(BadSpecException.class, () -> job.resultFile("{not json"));
        assertThrows(BadSpecException.class, () -> job.resultFile("{\"runSet\": \"\"}"));
    }

    @Test
    void optionsOfTheSweepItselfAreRefusedWithTheSweepsEquivalent(@TempDir Path tmp) {
        UsageException resume = assertThrows(UsageException.class,
                () -> job.plan(new String[] {"mnist", "--resume", "results/x"}, tmp, QUIET));
        assertEquals("--resume: a sweep resumes when it is started again with the same command and the same --out",
                resume.getMessage());
        UsageException quantize = assertThrows(UsageException.class, () -> job.plan(new String[] {"quantize", "0.5"}, tmp, QUIET));
        assertEquals("'quantize' has no runs to distribute", quantize.getMessage());
    }

    @Test
    void theGradientsExperimentIsItsThirteenRuns(@TempDir Path tmp) throws Exception {
        String[] args = {"gradients", "--epochs", "1"};
        GridJob.Plan plan = job.plan(args, tmp, QUIET);
        RunSetConfig config = RunSetConfig.of(CliParser.parse(args)).withMethods(List.of());
        assertEquals(GradientsCommand.grid(config).stream().map(RunSpec::toJsonText).toList(), plan.specs());
        assertEquals(13, plan.specs().size(), "fp32, storage int4/6/8 x 3 roundings, qat int4/6/8");
        assertEquals("runs/storage-int4-nearest-seed0.json", job.resultFile(plan.specs().get(1)));
        assertEquals(config.canonicalJson(), Files.readString(tmp.resolve("config.json")), "what experiments.jar gradients writes");
    }

    /**
     * An audit plans (finds its data, calibrates, writes audit.json) once, in the plan directory; a restart plans
     * nothing again but resumes that plan, and a restart with other arguments is refused.
     */
    @Test
    void anAuditIsPlannedOnceThenResumedFromItsPlanFiles(@TempDir Path tmp) throws Exception {
        String data = SharedData.root().toString();
        String[] audit = {"audit", "--data", data, "--seeds", "2", "--epochs", "1", "--limit-train", "200", "--limit-test", "100"};
        Path planDir = Files.createDirectories(tmp.resolve("plan"));
        GridJob.Plan first = job.plan(audit, planDir, QUIET);
        AuditConfig config = AuditPreparation.read(planDir);
        assertEquals(config.grid().stream().map(RunSpec::toJsonText).toList(), first.specs(), "the audit's own plan");
        for (String spec : first.specs()) {
            RunSpec run = RunSpec.fromJsonText(spec);
            assertEquals(run.runSet() + "/runs/" + run.id() + ".json", job.resultFile(spec));
            assertEquals(run.config().canonicalJson(), Files.readString(planDir.resolve(run.runSet()).resolve("config.json")));
        }
        assertTrue(Files.isRegularFile(planDir.resolve("calibration.json")));
        assertEquals(data, first.settings().get(GridTasks.DATA + "mnist"), "the audit reads MNIST under --data");
        assertEquals(null, first.settings().get(GridTasks.DATA + "regression"), "generated, no data folder");

        byte[] planned = Files.readAllBytes(planDir.resolve("audit.json"));
        GridJob.Plan again = job.plan(audit, planDir, QUIET);
        assertEquals(first.specs(), again.specs());
        assertEquals(first.settings(), again.settings());
        assertTrue(java.util.Arrays.equals(planned, Files.readAllBytes(planDir.resolve("audit.json"))), "not planned again");

        String[] other = audit.clone();
        other[4] = "3";
        UsageException e = assertThrows(UsageException.class, () -> job.plan(other, planDir, QUIET));
        assertEquals("the output holds an audit started as 'audit --seeds 2 --epochs 1 --limit-train 200 --limit-test "
                + "100'; restart it with those arguments (--data may change), or use another --out", e.getMessage());
    }
}
