package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The controls beside the claims, per data set and model: mean test accuracy of every storage-mode method
 * (quant8, octal8 and the int8-fixed controls), of fp32 (the ptq set's training) and of the bias-only control
 * (weights frozen at their initial values).
 */
public final class ControlsTable {
    private ControlsTable() {}

    /** One line: where, what, mean test accuracy (points) over {@code n} seeds. */
    public record Row(String setup, String runSet, String what, double accuracy, int n) {}

    public static List<Row> rows(Evidence ev) {
        List<Row> out = new ArrayList<>();
        for (PlannedSet s : ev.sets()) {
            if (s.role() != PlannedSet.Role.MAIN || s.mode() != TrainingMode.STORAGE) continue;
            String setup = new Target(s.experiment(), s.model(), "").shortName();
            Optional<PlannedSet> ptq = ev.main(s.experiment(), s.model(), TrainingMode.PTQ);
            ptq.ifPresent(p -> out.add(row(ev, setup, p, "float", "fp32 (trained once, in the ptq set)")));
            ev.withRole(PlannedSet.Role.BIAS_ONLY, s.experiment(), s.model())
                    .ifPresent(b -> out.add(row(ev, setup, b, "float", "bias-only: weights frozen at their initial values")));
            for (var m : s.config().methods()) out.add(row(ev, setup, s, m.name(), m.name() + " in storage mode"));
        }
        return out;
    }

    private static Row row(Evidence ev, String setup, PlannedSet s, String method, String what) {
        return new Row(setup, s.name(), what, ev.mean(s.name(), method, Metric.TEST_ACCURACY::of), ev.runs(s.name(), method).size());
    }
}
