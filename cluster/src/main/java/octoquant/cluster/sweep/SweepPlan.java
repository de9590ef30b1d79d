package octoquant.cluster.sweep;

import octoquant.cluster.grid.BadSpecException;
import octoquant.cluster.grid.GridJob;
import octoquant.cluster.store.OutputStore;
import octoquant.experiments.io.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The grid of a sweep: its specs in report order and each one's result file. It is recorded in the output as
 * {@code _sweep/grid.json}; a sweep restarted into the same output must have the same grid.
 */
final class SweepPlan {
    static final String LEDGER = "_sweep/grid.json";

    private final String jobClass;
    private final List<String> experimentArgs;
    private final List<RunInput> runs;
    private final Map<String, String> settings;
    private final String summary;

    private SweepPlan(String jobClass, List<String> experimentArgs, List<RunInput> runs, GridJob.Plan plan) {
        this.jobClass = jobClass;
        this.experimentArgs = List.copyOf(experimentArgs);
        this.runs = List.copyOf(runs);
        this.settings = plan.settings();
        this.summary = plan.summary() == null ? "" : plan.summary();
    }

    /** Plans the grid in {@code planDir} (see {@link GridJob#plan}). */
    static SweepPlan make(GridJob job, String jobClass, List<String> experimentArgs, Path planDir, PrintStream console)
            throws Exception {
        GridJob.Plan plan = job.plan(experimentArgs.toArray(String[]::new), planDir, console);
        List<String> specs = plan.specs();
        if (specs.isEmpty()) throw new SweepException(ExitCode.USAGE, "the experiment arguments describe no run");
        List<RunInput> runs = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            String result;
            try {
                result = job.resultFile(specs.get(i));
            } catch (BadSpecException e) {
                throw new SweepException(ExitCode.BAD_SPEC, "grid spec " + (i + 1) + " cannot be read: " + e.getMessage(), e);
            }
            Integer other = seen.putIfAbsent(result, i);
            if (other != null) {
                throw new IllegalStateException(jobClass + " gives specs " + (other + 1) + " and " + (i + 1)
                        + " the same result file " + result);
            }
            runs.add(new RunInput(i, specs.get(i), result));
        }
        return new SweepPlan(jobClass, experimentArgs, runs, plan);
    }

    /** What every executor gets besides a spec. */
    Map<String, String> settings() {
        return settings;
    }

    /** One line saying what the grid is, or empty. */
    String summary() {
        return summary;
    }

    List<RunInput> runs() {
        return runs;
    }

    List<String> specs() {
        return runs.stream().map(RunInput::spec).toList();
    }

    int size() {
        return runs.size();
    }

    /** The runs whose result file is not in the output yet. */
    List<RunInput> pending(OutputStore store) throws IOException {
        List<RunInput> pending = new ArrayList<>();
        for (RunInput r : runs) if (!store.exists(r.resultFile())) pending.add(r);
        return pending;
    }

    String ledger() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "octoquant-sweep/1");
        doc.put("job", jobClass);
        doc.put("experimentArgs", experimentArgs);
        doc.put("specs", specs());
        return Json.write(doc);
    }

    /**
     * Checks that the output holds no sweep or a sweep of this grid, and says which.
     *
     * @return true when an earlier start of this sweep recorded the grid there
     * @throws SweepException (usage) when the output holds a sweep of another grid
     */
    boolean resumes(OutputStore store) throws IOException {
        String theirs = store.readString(LEDGER).orElse(null);
        if (theirs == null) return false;
        if (sameSpecs(theirs)) return true;
        throw new SweepException(ExitCode.USAGE, "--out " + store.describe() + " holds a sweep of another grid ("
                + LEDGER + "); resume it with the arguments it was started with, or use another --out");
    }

    /** Records the grid in the output. */
    void record(OutputStore store) throws IOException {
        store.writeString(LEDGER, ledger());
    }

    private boolean sameSpecs(String theirs) {
        try {
            Object doc = Json.parse(theirs);
            return doc instanceof Map<?, ?> m && jobClass.equals(m.get("job")) && specs().equals(m.get("specs"));
        } catch (RuntimeException unreadable) {
            return false;
        }
    }
}
