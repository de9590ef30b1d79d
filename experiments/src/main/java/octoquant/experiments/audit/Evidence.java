package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** What an audit measured: its plan and every run set's merged results, with the lookups the claims need. */
public final class Evidence {
    /** Per-seed numbers of two methods, paired by seed (only seeds where both are finite). */
    public record Pairs(int[] seeds, double[] x, double[] y) {
        public int n() {
            return seeds.length;
        }
    }

    private final AuditConfig config;
    private final Map<String, RunResults> bySet;
    private final java.util.function.Function<String, String> missingData;

    /**
     * @param missingData for a data set's experiment name, why its data is not here (the data set module's message on
     *                    how to provide it), or null when it is
     */
    public Evidence(AuditConfig config, Map<String, RunResults> bySet, java.util.function.Function<String, String> missingData) {
        this.config = config;
        this.bySet = Map.copyOf(bySet);
        this.missingData = missingData;
    }

    /** Why a data set's files are not here, or null when they are (the regression's are generated). */
    public String missingData(String experiment) {
        return missingData.apply(experiment);
    }

    public AuditConfig config() {
        return config;
    }

    /** The claims' run set of a data set, model and mode, when the plan has one. */
    public Optional<PlannedSet> main(String experiment, String model, TrainingMode mode) {
        return config.runSets().stream().filter(s -> s.role() == PlannedSet.Role.MAIN && s.experiment().equals(experiment)
                && s.model().equals(model) && s.mode() == mode).findFirst();
    }

    public Optional<PlannedSet> withRole(PlannedSet.Role role, String experiment, String model) {
        return config.runSets().stream().filter(s -> s.role() == role && s.experiment().equals(experiment)
                && s.model().equals(model)).findFirst();
    }

    /** The set the plan meant to run but could not (its data is missing), with the reason. */
    public Optional<NotRun> notRun(String experiment, String model, TrainingMode mode) {
        return config.notRun().stream().filter(n -> n.set().experiment().equals(experiment) && n.set().model().equals(model)
                && n.set().mode() == mode).findFirst();
    }

    public List<PlannedSet> sets() {
        return config.runSets();
    }

    public Optional<RunResults> results(String set) {
        return Optional.ofNullable(bySet.get(set));
    }

    /** The finished runs of one method in a set, by seed. */
    public Map<Integer, SeedRun> runs(String set, String method) {
        Map<Integer, SeedRun> m = new TreeMap<>();
        results(set).flatMap(r -> r.method(method)).map((MethodResult mr) -> mr.runs).orElse(List.of())
                .forEach(r -> m.put(r.seed, r));
        return m;
    }

    /** {@code fx} of method {@code a} and {@code fy} of method {@code b} in set {@code set}, paired by seed. */
    public Pairs pairs(String set, String a, ToDoubleFunction<SeedRun> fx, String b, ToDoubleFunction<SeedRun> fy) {
        return pairs(runs(set, a), fx, runs(set, b), fy);
    }

    public static Pairs pairs(Map<Integer, SeedRun> ra, ToDoubleFunction<SeedRun> fx, Map<Integer, SeedRun> rb,
                              ToDoubleFunction<SeedRun> fy) {
        List<Integer> seeds = new ArrayList<>();
        List<double[]> v = new ArrayList<>();
        for (Map.Entry<Integer, SeedRun> e : ra.entrySet()) {
            SeedRun other = rb.get(e.getKey());
            if (other == null) continue;
            double x = fx.applyAsDouble(e.getValue()), y = fy.applyAsDouble(other);
            if (!Double.isFinite(x) || !Double.isFinite(y)) continue;
            seeds.add(e.getKey());
            v.add(new double[] {x, y});
        }
        double[] x = new double[v.size()], y = new double[v.size()];
        for (int i = 0; i < v.size(); i++) {
            x[i] = v.get(i)[0];
            y[i] = v.get(i)[1];
        }
        return new Pairs(seeds.stream().mapToInt(Integer::intValue).toArray(), x, y);
    }

    /** Mean over the finished runs of {@code method} in {@code set} of {@code f} (NaN values left out). */
    public double mean(String set, String method, ToDoubleFunction<SeedRun> f) {
        return runs(set, method).values().stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
    }
}
