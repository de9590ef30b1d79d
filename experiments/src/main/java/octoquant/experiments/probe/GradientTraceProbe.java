package octoquant.experiments.probe;

import octoquant.engine.param.Parameter;
import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.experiments.io.JsonObject;
import octoquant.experiments.result.GradientSeries;
import octoquant.experiments.result.ResultsJson;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.result.WeightHistogram;
import octoquant.experiments.run.BatchData;
import octoquant.experiments.run.TrainingProbe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gradients experiment's trace: about {@value #LOG_POINTS} points per run, each the mean over the
 * steps since the last point of the training loss and of the fraction of nonzero updates that rounding
 * discarded (storage mode), and at the point's own step the cosine between the straight-through gradient and
 * the fp32 gradient at the master weights (qat); the first weight matrix's histogram at the start and after
 * every epoch, drawn against its grid.
 */
public final class GradientTraceProbe implements TrainingProbe {
    public static final int LOG_POINTS = 200;

    private final GradientSeries series;
    private Context ctx;
    private FloatTwin twin;
    private Parameter first;
    private boolean qat;
    private boolean storage;
    private long logEvery;
    private double lossAcc;
    private double lostAcc;
    private int inInterval;
    private double pendingCosine = Double.NaN;

    /** {@code header} names the series (its name, bits, rounding and mode); the probe fills the rest. */
    public GradientTraceProbe(GradientSeries header) {
        this.series = header;
    }

    @Override
    public String name() {
        return "trace";
    }

    @Override
    public void attach(Context context) {
        this.ctx = context;
        boolean quantized = !context.scheme().isFloat();
        qat = quantized && context.mode() == TrainingMode.QAT;
        storage = quantized && context.mode() == TrainingMode.STORAGE;
        twin = qat ? new FloatTwin(context.task()) : null;
        first = context.params().stream().filter(p -> !Quantization.isBias(p)).findFirst().orElseThrow();
        logEvery = Math.max(1, (long) context.batchesPerEpoch() * context.epochs() / LOG_POINTS);
    }

    @Override
    public void begin() {
        histogram(0);
    }

    @Override
    public void afterBackward(long step, BatchData batch) {
        pendingCosine = qat && step % logEvery == 0 ? twin.cosine(ctx.params(), batch) : Double.NaN;
    }

    @Override
    public void afterUpdate(long step, double loss) {
        lossAcc += loss;
        lostAcc += storage ? Quantization.lastUpdate(ctx.params()).lostFraction() : Double.NaN;
        inInterval++;
        if (step % logEvery == 0) {
            series.steps.add((int) step);
            series.loss.add(lossAcc / inInterval);
            series.lostFraction.add(lostAcc / inInterval);
            series.cosine.add(pendingCosine);
            lossAcc = 0;
            lostAcc = 0;
            inInterval = 0;
        }
    }

    @Override
    public void endEpoch(int epochsDone) {
        histogram(epochsDone);
    }

    private void histogram(int epoch) {
        double step = first.computeWeights() instanceof QuantizedStorage q && !q.perChannel() ? q.step(0) : Double.NaN;
        series.histograms.add(WeightHistogram.of(first.name(), first.storage().decodeAll(), 80, step));
        series.histogramEpochs.add(epoch);
    }

    @Override
    public Object saveState() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("series", ResultsJson.gradientJson(series));
        m.put("lossAcc", lossAcc);
        m.put("lostAcc", lostAcc);
        m.put("inInterval", inInterval);
        return m;
    }

    @Override
    public void restoreState(Object state) {
        JsonObject j = new JsonObject(state, "probe.trace");
        GradientSeries saved = ResultsJson.gradientFromJson(j.object("series"));
        series.steps.clear();
        series.steps.addAll(saved.steps);
        series.loss.clear();
        series.loss.addAll(saved.loss);
        series.lostFraction.clear();
        series.lostFraction.addAll(saved.lostFraction);
        series.cosine.clear();
        series.cosine.addAll(saved.cosine);
        series.histograms.clear();
        series.histograms.addAll(saved.histograms);
        series.histogramEpochs.clear();
        series.histogramEpochs.addAll(saved.histogramEpochs);
        lossAcc = j.number("lossAcc");
        lostAcc = j.number("lostAcc");
        inInterval = (int) j.integer("inInterval");
    }

    @Override
    public void finish(SeedRun result) {
        result.trace = series;
    }
}
