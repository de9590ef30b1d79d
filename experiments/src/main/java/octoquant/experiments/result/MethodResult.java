package octoquant.experiments.result;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** One method's runs over all seeds. */
public final class MethodResult {
    public final String name;
    /** The storage's own description, e.g. {@code int8 fixed nearest-even}. */
    public String description;
    public final List<SeedRun> runs = new ArrayList<>();

    public MethodResult(String name, String description) {
        this.name = name;
        this.description = description;
    }

    /** One number per seed (NaN where a run has none), for statistics. */
    public double[] perSeed(ToDoubleFunction<SeedRun> metric) {
        return runs.stream().mapToDouble(metric).toArray();
    }

    public long divergedRuns() {
        return runs.stream().filter(SeedRun::diverged).count();
    }
}
