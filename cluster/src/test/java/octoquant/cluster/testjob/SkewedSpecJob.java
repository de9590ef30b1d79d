package octoquant.cluster.testjob;

import octoquant.cluster.experiments.GridTasks;
import octoquant.cluster.grid.BadSpecException;
import octoquant.cluster.grid.GridJob;
import octoquant.experiments.io.Json;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiments' grid as a driver of a newer build would plan it for executors of this one: the second spec
 * names a method this build does not know ({@value #UNKNOWN}). Everything else is {@link GridTasks}: the executors
 * run every spec, the skewed one included, through its {@code execute}.
 */
@SuppressWarnings("unchecked")
public final class SkewedSpecJob implements GridJob {
    static final String UNKNOWN = "octal9-from-a-newer-build";
    private final GridTasks real = new GridTasks();

    @Override
    public Plan plan(String[] args, Path planDir, PrintStream console) throws Exception {
        Plan plan = real.plan(args, planDir, console);
        List<String> specs = new ArrayList<>(plan.specs());
        specs.set(1, skew(specs.get(1)));
        return new Plan(specs, plan.settings(), plan.summary());
    }

    private static String skew(String spec) {
        Map<String, Object> run = new LinkedHashMap<>((Map<String, Object>) Json.parse(spec));
        run.put("methods", List.of(UNKNOWN));
        return Json.write(run);
    }

    @Override
    public String resultFile(String spec) throws BadSpecException {
        // The driver knows where the skewed run's result would go: where the run it replaced writes it.
        if (!spec.contains(UNKNOWN)) return real.resultFile(spec);
        Map<String, Object> run = new LinkedHashMap<>((Map<String, Object>) Json.parse(spec));
        run.put("methods", List.of("float"));
        return real.resultFile(Json.write(run));
    }

    @Override
    public String execute(String spec, Map<String, String> settings, Path outDir, int threads) throws Exception {
        return real.execute(spec, settings, outDir, threads);
    }

    @Override
    public void merge(Path outDir, List<String> specs, PrintStream console) throws Exception {
        real.merge(outDir, specs, console);
    }
}
