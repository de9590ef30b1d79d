package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.report.LinePlot;
import octoquant.experiments.report.MethodStyle;

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

    /** One plot per quantity and model (MLP, CNN), one line per method of the storage or qat run set. */
    public static List<Figure> mechanism(Evidence ev) {
        List<Figure> out = new ArrayList<>();
        for (String model : List.of("mlp", "cnn")) {
            out.add(mechanismPlot(ev, model, TrainingMode.STORAGE, "Share of nonzero weight updates rounding discarded",
                    "share of updates lost", MechanismSummary.Epoch::lost, true, "Updates below half a grid step vanish under "
                            + "round to nearest (quant8); truncation (octal8) keeps every update toward zero as a whole step and "
                            + "drops those away from zero; stochastic rounding keeps each in expectation."));
            out.add(mechanismPlot(ev, model, TrainingMode.STORAGE, "Share of weights at code 0", "share of weights at 0",
                    MechanismSummary.Epoch::zeroFraction, true, "Truncation's dead zone: every |w| below one step is stored as 0."));
            out.add(mechanismPlot(ev, model, TrainingMode.STORAGE, "Mean |w| of the stored weights", "mean |w|",
                    MechanismSummary.Epoch::meanAbs, true, "A falling line is weights draining toward zero."));
            out.add(mechanismPlot(ev, model, TrainingMode.STORAGE, "Share of weights whose code changed in the epoch",
                    "share of codes changed", MechanismSummary.Epoch::changed, true, "How much of the network moved at all."));
            out.add(mechanismPlot(ev, model, TrainingMode.QAT, "Share of master weights in the truncation dead zone",
                    "share within one step of 0", MechanismSummary.Epoch::deadZone, true, "fp32 masters with |w| below one grid "
                            + "step: octal8 computes with 0 for each of them."));
            out.add(mechanismPlot(ev, model, TrainingMode.QAT, "Codes flipped per epoch", "share of codes changed",
                    MechanismSummary.Epoch::changed, true, "How often the quantized copy the passes use changes."));
            out.add(mechanismPlot(ev, model, TrainingMode.QAT, "Cosine of the straight-through gradient with the fp32 gradient",
                    "cosine", MechanismSummary.Epoch::cosine, false, "1 means computing with the quantized weights leaves the "
                            + "gradient's direction unchanged."));
        }
        out.removeIf(f -> f == null);
        return out;
    }

    private static Figure mechanismPlot(Evidence ev, String model, TrainingMode mode, String title, String yLabel,
                                        ToDoubleFunction<MechanismSummary.Epoch> f, boolean share, String caption) {
        Optional<PlannedSet> set = ev.sets().stream().filter(s -> s.role() == PlannedSet.Role.MAIN && s.model().equals(model)
                && s.mode() == mode && s.hasMethod("quant8")).findFirst();
        if (set.isEmpty()) return null;
        String where = new Target(set.get().experiment(), model, "").shortName();
        LinePlot plot = new LinePlot(title + " (" + mode.token() + ", " + where + ")", "epoch", yLabel).integerX();
        if (share && !yLabel.startsWith("mean")) plot.yFromZero();
        int lines = 0, seeds = 0;
        for (var m : set.get().config().methods()) {
            // int8-fixed-zero computes octal8's numbers bit for bit (claim 8): its line would hide under octal8's.
            if (m.scheme().isFloat() || m.name().equals("int8-fixed-zero")) continue;
            List<MechanismSummary.Epoch> es = MechanismSummary.of(ev, set.get().name(), m.name());
            double[] x = es.stream().mapToDouble(MechanismSummary.Epoch::epoch).toArray();
            double[] y = es.stream().mapToDouble(f).toArray();
            if (java.util.Arrays.stream(y).noneMatch(Double::isFinite)) continue;
            plot.add(new LinePlot.Series(m.name(), x, y, null, null, MethodStyle.of(m.name(), mode.token())));
            seeds = Math.max(seeds, ev.runs(set.get().name(), m.name()).size());
            lines++;
        }
        if (lines == 0) return null;
        plot.note("mean over " + seeds + " seeds and all weight matrices (biases apart); no band");
        return new Figure(plot.svg(), caption + " Each line is the mean over seeds of all weight matrices of " + where
                + " (biases apart), run set " + set.get().name() + ".");
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
            MethodStyle style = MethodStyle.of(method, "storage");
            acc.add(new LinePlot.Series(method, x, ps.stream().mapToDouble(SweepPoint::accuracy).toArray(), null, null, style));
            lost.add(new LinePlot.Series(method, x, ps.stream().mapToDouble(SweepPoint::lost).toArray(), null, null, style));
        }
        int seeds = points.stream().mapToInt(SweepPoint::n).max().orElse(0);
        acc.note("mean over " + seeds + " seeds at epoch " + sweep.get(0).config().epochs() + "; no band").yFromZero();
        lost.note("mean over " + seeds + " seeds, all weight matrices, epoch " + sweep.get(0).config().epochs() + "; no band")
                .yFromZero();
        String note = " Mean over seeds at epoch " + sweep.get(0).config().epochs() + "; half a grid step is 1.96 (×1000): Adam "
                + "moves a weight by about the learning rate per step.";
        return List.of(new Figure(acc.svg(), "Test accuracy." + note), new Figure(lost.svg(), "Updates lost to rounding." + note));
    }
}
