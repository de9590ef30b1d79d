package octoquant.experiments.audit;

import octoquant.experiments.UserError;
import octoquant.experiments.cli.Options;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.io.AtomicFiles;
import octoquant.experiments.io.JsonException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything an audit settles before its first run: the plan (budget, overrides, which data sets are here,
 * the adaptive training-set size from the calibration), written to {@code audit.json}, and the calibration,
 * written to {@code calibration.json}; or, for {@code --resume}, both read back. Each run set's folder gets
 * its {@code config.json}, as a single experiment's would.
 */
public final class AuditPreparation {
    private AuditPreparation() {}

    /** A prepared audit: its folder, configuration, calibration and where each data set is read from. */
    public record Prepared(Path dir, AuditConfig config, Calibration calibration, DataSources sources) {
        public Path dataRoot(String experiment) {
            return sources.source(experiment).root();
        }

        public List<RunSpec> grid() {
            return config.grid();
        }
    }

    /** The folder an audit command line writes: {@code --resume DIR}, {@code --out DIR} or a new timestamped one. */
    public static Path outputFolder(Options o) {
        if (o.resume != null) return o.resume;
        return o.out != null ? o.out : Path.of("results", "audit-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    }

    public static Prepared prepare(Options o, PrintStream console) throws IOException {
        return prepare(o, outputFolder(o), console);
    }

    /** Prepares the audit in {@code dir} (the caller holds its lock). */
    public static Prepared prepare(Options o, Path dir, PrintStream console) throws IOException {
        if (o.resume != null) return resume(o, console);
        Budget budget = Budget.parse(o.budget);
        Overrides ov = new Overrides(o.given.contains("--seeds") ? o.seeds : 0, o.given.contains("--epochs") ? o.epochs : 0,
                o.given.contains("--limit-train") ? o.limitTrain : 0, o.given.contains("--limit-test") ? o.limitTest : 0);
        if (Files.exists(dir.resolve("audit.json"))) {
            throw new UserError("--out " + dir + " already holds an audit; finish it with audit --resume " + dir
                    + " or choose another --out");
        }
        Files.createDirectories(dir);
        DataSources sources = new DataSources(o.data);
        List<Integer> candidates = budget.adaptiveLimits().isEmpty() ? List.of(0) : budget.adaptiveLimits();
        List<PlannedSet> widest = AuditPlan.expand(budget, ov, candidates.get(0));
        List<PlannedSet> runnable = runnable(widest, sources, null);
        console.printf("audit, budget %s: calibrating on the real data (%d training batches per data set, model, mode and method)%n",
                budget.token(), Calibration.BATCHES);
        Calibration cal = Calibration.measure(runnable, calibrationIn(dir), e -> sources.source(e).root(),
                Files.createDirectories(dir.resolve("calibration")), console);
        AtomicFiles.writeString(dir.resolve(Calibration.FILE), cal.toJsonText());
        deleteDir(dir.resolve("calibration"));
        int chosen = candidates.get(0);
        boolean adaptive = !budget.adaptiveLimits().isEmpty() && ov.limitTrain() == 0;
        if (adaptive) {
            chosen = candidates.get(candidates.size() - 1);
            for (int limit : candidates) {
                double t = total(cal, runnable(AuditPlan.expand(budget, ov, limit), sources, null));
                if (t <= 0.95 * budget.seconds()) {
                    chosen = limit;
                    break;
                }
            }
            console.printf(Locale.ROOT, "the %s budget's CNN trains on %,d examples: the largest of %s whose estimate fits %d min%n",
                    budget.token(), chosen, candidates, budget.seconds() / 60);
        }
        List<NotRun> notRun = new ArrayList<>();
        List<PlannedSet> plan = runnable(AuditPlan.expand(budget, ov, chosen), sources, notRun);
        int seeds = ov.seeds() > 0 ? ov.seeds() : budget.seeds();
        AuditConfig config = new AuditConfig(budget, seeds, ov, o.data == null ? null : o.data.toString(), adaptive ? chosen : 0,
                plan, notRun);
        for (PlannedSet s : plan) {
            Path setDir = dir.resolve(s.name());
            Files.createDirectories(setDir);
            AtomicFiles.writeString(setDir.resolve("config.json"), s.config().canonicalJson());
        }
        AtomicFiles.writeString(dir.resolve("audit.json"), config.toJsonText());
        return new Prepared(dir, config, cal, sources);
    }

    private static Prepared resume(Options o, PrintStream console) throws IOException {
        Path dir = o.resume;
        AuditConfig config = read(dir);
        Path data = o.data != null ? o.data : config.data() == null ? null : Path.of(config.data());
        DataSources sources = new DataSources(data);
        for (PlannedSet s : config.runSets()) {
            DataSources.Source src = sources.source(s.experiment());
            if (!src.found()) throw new octoquant.experiments.DataError(src.missing());
        }
        Calibration cal = calibrationIn(dir);
        if (cal.seconds().isEmpty()) {
            cal = Calibration.measure(config.runSets(), cal, e -> sources.source(e).root(),
                    Files.createDirectories(dir.resolve("calibration")), console);
            AtomicFiles.writeString(dir.resolve(Calibration.FILE), cal.toJsonText());
            deleteDir(dir.resolve("calibration"));
        }
        return new Prepared(dir, config, cal, sources);
    }

    /** The audit configuration in {@code dir}; a missing or unreadable one is one line saying what to do. */
    public static AuditConfig read(Path dir) {
        Path file = dir.resolve("audit.json");
        if (!Files.isRegularFile(file)) {
            throw new UserError("--resume " + dir + ": no audit.json there; give the folder an interrupted audit wrote");
        }
        try {
            return AuditConfig.parse(Files.readString(file));
        } catch (IOException e) {
            throw new UserError("--resume " + dir + ": cannot read audit.json: " + e.getMessage());
        } catch (JsonException | IllegalArgumentException e) {
            throw new UserError("--resume " + dir + ": audit.json is not an audit configuration (" + e.getMessage() + ")");
        }
    }

    /** The sets whose data is here; the others go to {@code notRun} (when given) with the reason. */
    private static List<PlannedSet> runnable(List<PlannedSet> plan, DataSources sources, List<NotRun> notRun) {
        List<PlannedSet> out = new ArrayList<>();
        for (PlannedSet s : plan) {
            DataSources.Source src = sources.source(s.experiment());
            if (src.found()) out.add(s);
            else if (notRun != null) notRun.add(new NotRun(s, src.missing()));
        }
        return out;
    }

    /** The estimated seconds of every run of {@code sets}. */
    public static double total(Calibration cal, List<PlannedSet> sets) {
        double t = 0;
        for (RunSpec s : AuditPlan.grid(sets)) {
            double e = cal.estimate(s);
            if (Double.isFinite(e)) t += e;
        }
        return t;
    }

    private static Calibration calibrationIn(Path dir) throws IOException {
        Path f = dir.resolve(Calibration.FILE);
        if (!Files.isRegularFile(f)) return Calibration.empty();
        try {
            return Calibration.parse(Files.readString(f));
        } catch (JsonException e) {
            return Calibration.empty();
        }
    }

    private static void deleteDir(Path d) throws IOException {
        if (!Files.isDirectory(d)) return;
        try (var s = Files.list(d)) {
            for (Path p : s.toList()) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(d);
    }
}
