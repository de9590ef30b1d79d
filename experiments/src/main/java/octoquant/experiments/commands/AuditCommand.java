package octoquant.experiments.commands;

import octoquant.engine.kernels.Parallel;
import octoquant.experiments.audit.AuditMerge;
import octoquant.experiments.audit.AuditPreparation;
import octoquant.experiments.audit.NotRun;
import octoquant.experiments.audit.PlannedSet;
import octoquant.experiments.cli.Options;
import octoquant.experiments.grid.GridMerge;
import octoquant.experiments.grid.RunExecutor;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.io.OutputLock;
import octoquant.experiments.memory.HeapCheck;
import octoquant.experiments.run.Progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code audit}: tests every claim of the seed. Prepares the plan (and the calibration), prints it with an
 * estimated time, executes its runs one after the other — each run set merged after each of its runs, an ETA
 * line after each — and finally merges the run sets and writes the verdicts, {@code verdicts.json} and
 * {@code report.html}. {@code --resume DIR} runs the same plan again: finished runs are kept, an interrupted
 * one continues from its checkpoint.
 */
public final class AuditCommand {
    private AuditCommand() {}

    public static Path run(Options o, PrintStream out) throws IOException {
        Parallel.setThreads(o.threads);
        Path dir = AuditPreparation.outputFolder(o);
        try (OutputLock lock = OutputLock.acquire(dir, out)) {
            return runLocked(o, dir, out);
        }
    }

    private static Path runLocked(Options o, Path dir, PrintStream out) throws IOException {
        AuditPreparation.Prepared p = AuditPreparation.prepare(o, dir, out);
        List<RunSpec> grid = p.grid();
        grid.stream().map(RunSpec::config).distinct().forEach(HeapCheck::require);
        printPlan(p, grid, out);
        Map<String, List<RunSpec>> bySet = new LinkedHashMap<>();
        for (RunSpec s : grid) bySet.computeIfAbsent(s.runSet(), k -> new java.util.ArrayList<>()).add(s);

        Progress progress = Progress.forConsole(out);
        double estimatedAll = 0;
        for (RunSpec s : grid) estimatedAll += finite(p.calibration().estimate(s));
        double estimatedDone = 0, estimatedRan = 0, secondsRan = 0;
        long start = System.nanoTime();
        int index = 0;
        for (RunSpec spec : grid) {
            index++;
            double estimate = finite(p.calibration().estimate(spec));
            long t0 = System.nanoTime();
            RunExecutor.Outcome done = RunExecutor.execute(spec, p.dir(), p.dataRoot(spec.config().experiment()), progress);
            estimatedDone += estimate;
            if (done.ranHere()) {
                secondsRan += (System.nanoTime() - t0) / 1e9;
                estimatedRan += estimate;
                GridMerge.merge(p.dir(), bySet.get(spec.runSet()));
            } else {
                out.printf("%s: finished before, kept%n", spec.label());
            }
            double pace = estimatedRan > 0 ? secondsRan / estimatedRan : 1;
            out.printf(Locale.ROOT, "[%d/%d] ETA %s left (elapsed %s; pace %.2fx the calibration)%n", index, grid.size(),
                    minutes((estimatedAll - estimatedDone) * pace), minutes((System.nanoTime() - start) / 1e9), pace);
        }
        AuditMerge.merge(p.dir(), grid, out);
        out.printf(Locale.ROOT, "audit wall time %s%n", minutes((System.nanoTime() - start) / 1e9));
        return p.dir();
    }

    private static void printPlan(AuditPreparation.Prepared p, List<RunSpec> grid, PrintStream out) {
        var c = p.config();
        out.printf(Locale.ROOT, "audit plan (budget %s, %d seeds): %d run sets, %d runs; results in %s%n", c.budget().token(),
                c.seeds(), c.runSets().size(), grid.size(), p.dir());
        Set<String> noted = new java.util.HashSet<>();
        for (PlannedSet s : c.runSets()) {
            var src = p.sources().source(s.experiment());
            if (src.note() != null && noted.add(s.experiment())) out.println("  note: " + src.note());
        }
        for (PlannedSet s : c.runSets()) {
            double t = 0;
            int runs = 0;
            for (RunSpec r : grid) {
                if (!r.runSet().equals(s.name())) continue;
                t += finite(p.calibration().estimate(r));
                runs++;
            }
            var cfg = s.config();
            out.printf(Locale.ROOT, "  %-34s %-10s %-48s %2d epochs %s, %3d runs, about %s%n", s.name(), s.role().token(),
                    cfg.methods().stream().map(Object::toString).reduce((a, b) -> a + "," + b).orElse(""), cfg.epochs(),
                    cfg.limitTrain() > 0 ? String.format(Locale.ROOT, "on %,d examples", cfg.limitTrain()) : "on all examples",
                    runs, minutes(t));
        }
        for (NotRun n : c.notRun()) out.printf("  %-34s not run here: %s%n", n.set().name(), n.reason());
        double total = AuditPreparation.total(p.calibration(), c.runSets());
        out.printf(Locale.ROOT, "estimated time: %s on %d thread(s) (from the calibration; finished runs are kept on resume)%n",
                minutes(total), Parallel.threads());
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    static String minutes(double seconds) {
        if (seconds < 90) return String.format(Locale.ROOT, "%.0f s", seconds);
        if (seconds < 5400) return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
