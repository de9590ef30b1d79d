package octoquant.experiments.result;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of {@code results.json}: what ran (config), where (environment), and per method per seed
 * what came out; plus the gradients experiment's series when that experiment ran.
 */
public final class RunResults {
    public static final String SCHEMA = "octoquant-results/1";

    public final String experiment;
    /** The options in effect (epochs, seeds, batch size, …) as JSON values. */
    public final Map<String, Object> config = new LinkedHashMap<>();
    /** JDK, OS, kernel backend and vector width, threads, CPUs. */
    public final Map<String, Object> environment = new LinkedHashMap<>();
    public final List<MethodResult> methods = new ArrayList<>();
    /** The gradients experiment's per-configuration series (empty for other experiments). */
    public final List<GradientSeries> gradients = new ArrayList<>();

    public RunResults(String experiment) {
        this.experiment = experiment;
    }

    public Optional<MethodResult> method(String name) {
        return methods.stream().filter(m -> m.name.equals(name)).findFirst();
    }

    public MethodResult methodOrAdd(String name, String description) {
        return method(name).orElseGet(() -> {
            MethodResult m = new MethodResult(name, description);
            methods.add(m);
            return m;
        });
    }

    /** True when the experiment reports accuracy (classification). */
    public boolean hasAccuracy() {
        return methods.stream().flatMap(m -> m.runs.stream()).flatMap(r -> r.epochs.stream())
                .anyMatch(e -> Double.isFinite(e.testAccuracy()));
    }
}
