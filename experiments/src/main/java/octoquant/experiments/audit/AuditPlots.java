package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.report.LinePlot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The audit's plots (SVG, drawn by the project's report helpers): the mechanism quantities per epoch for quant8
 * and octal8, MLP and CNN; the learning-rate sweep.
 */
public final class AuditPlots {
    private AuditPlots() {}

    /** A titled plot with its caption. */
    public record Figure(String svg, String caption) {}

    public static List<Figure> mechanism(Evidence ev) {
        List<Figure> out = new ArrayList<>();
        out.add(mechanismPlot(ev, TrainingMode.STORAGE, "Share of nonzero weight updates rounding discarded (storage mode)",
                "share of updates lost", MechanismSummary.Epoch::lost, "Updates below half a grid step vanish under round to "
                        + "nearest (quant8); truncation (octal8) keeps every update toward zero as a whole step and drops those away from zero."));
        out.add(mechanismPlot(ev, TrainingMode.STORAGE, "Share of weights at code 0 (storage mode)", "share of weights at 0",
                MechanismSummary.Epoch::zeroFraction, "Truncation's dead zone: every |w| below one step is stored as 0."));
        out.add(mechanismPlot(ev, TrainingMode.STORAGE, "Mean |w| of the stored weights (storage mode)", "mean |w|",
                MechanismSummary.Epoch::meanAbs, "A falling line is weights draining toward zero."));
        out.add(mechanismPlot(ev, TrainingMode.STORAGE, "Share of weights whose code changed in the epoch (storage mode)",
                "share of codes changed", MechanismSummary.Epoch::changed, "How much of the network moved at all."));
        out.add(mechanismPlot(ev, TrainingMode.QAT, "Share of master weights in the truncation dead zone (qat)",
                "share within one step of 0", MechanismSummary.Epoch::deadZone, "fp32 masters with |w| below one grid step: "
                        + "octal8 computes with 0 for each of them."));
        out.add(mechanismPlot(ev, TrainingMode.QAT, "Codes flipped per epoch (qat)", "share of codes changed",
                MechanismSummary.Epoch::changed, "How often the quantized copy the passes use changes."));
        out.add(mechanismPlot(ev, TrainingMode.QAT, "Cosine of the straight-through gradient with the fp32 gradient (qat)",
                "cosine", MechanismSummary.Epoch::cosine, "1 means the quantized forward pass leaves the gradient's direction unchanged."));
        out.removeIf(f -> f == null);
        return out;
    }

    private static Figure mechanismPlot(Evidence ev, TrainingMode mode, String title, String yLabel,
                                        ToDoubleFunction<MechanismSummary.Epoch> f, String caption) {
        LinePlot plot = new LinePlot(title, "epoch", yLabel).integerX();
        int lines = 0;
        for (String model : List.of("mlp", "cnn")) {
            Optional<PlannedSet> set = ev.sets().stream().filter(s -> s.role() == PlannedSet.Role.MAIN && s.model().equals(model)
                    && s.mode() == mode && s.hasMethod("quant8")).findFirst();
            if (set.isEmpty()) continue;
            for (String method : List.of("quant8", "octal8")) {
                List<MechanismSummary.Epoch> es = MechanismSummary.of(ev, set.get().name(), method);
                double[] x = es.stream().mapToDouble(MechanismSummary.Epoch::epoch).toArray();
                double[] y = es.stream().mapToDouble(f).toArray();
                if (java.util.Arrays.stream(y).noneMatch(Double::isFinite)) continue;
                plot.add(new LinePlot.Series(method + " " + mode.token() + " " + new Target(set.get().experiment(), model, "").shortName(),
                        x, y, null, null));
                lines++;
            }
        }
        if (lines == 0) return null;
        return new Figure(plot.svg(), caption + " Each line is the mean over seeds of all weight matrices (biases apart).");
    }

    /** Test accuracy and updates lost against the learning rate, storage mode, one line per method. */
    public static List<Figure> sweep(Evidence ev) {
        List<PlannedSet> sweep = ev.sets().stream().filter(s -> s.role() == PlannedSet.Role.LR_SWEEP).toList();
        if (sweep.isEmpty()) return List.of();
        List<SweepPoint> points = SweepPoint.of(ev);
        String where = new Target(sweep.get(0).experiment(), sweep.get(0).model(), "").shortName();
        LinePlot acc = new LinePlot("Test accuracy against the learning rate (storage mode, " + where + ")",
                "learning rate × 1000", "test accuracy %");
        LinePlot lost = new LinePlot("Share of weight updates lost against the learning rate (storage mode)", "learning rate × 1000",
                "share of updates lost");
        for (String method : sweep.get(0).config().methods().stream().map(Object::toString).toList()) {
            List<SweepPoint> ps = points.stream().filter(p -> p.method().equals(method)).toList();
            double[] x = ps.stream().mapToDouble(p -> p.lr() * 1000).toArray();
            acc.add(new LinePlot.Series(method, x, ps.stream().mapToDouble(SweepPoint::accuracy).toArray(), null, null));
            lost.add(new LinePlot.Series(method, x, ps.stream().mapToDouble(SweepPoint::lost).toArray(), null, null));
        }
        String note = " Mean over seeds at epoch " + sweep.get(0).config().epochs() + "; half a grid step is 1.96 (×1000): Adam "
                + "moves a weight by about the learning rate per step.";
        return List.of(new Figure(acc.svg(), "Test accuracy." + note), new Figure(lost.svg(), "Updates lost to rounding." + note));
    }
}
