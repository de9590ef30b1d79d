package octoquant.experiments.probe;

import octoquant.engine.param.Parameter;
import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.storage.FakeQuantView;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.UpdateStats;
import octoquant.engine.storage.WeightStorage;
import octoquant.experiments.io.JsonObject;
import octoquant.experiments.result.MechanismRecord;
import octoquant.experiments.result.ResultsJson;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.run.BatchData;
import octoquant.experiments.run.TrainingProbe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit's mechanism statistics: after every epoch, one {@link MechanismRecord} per parameter, weights and
 * biases apart — the storage's update counters over the epoch, how many weights sit at code 0 or in the
 * truncation dead zone, how many codes changed since the last epoch, mean |w|, and in qat the cosine between
 * the straight-through gradient and the fp32 gradient at the master weights, sampled {@value #COSINE_SAMPLES}
 * times an epoch.
 *
 * <p>It reads only what the run computes with anyway: at the end of an epoch the run has just evaluated the
 * test set, so a qat shadow is already encoded for the current masters and reading it draws no rounding.
 */
public final class MechanismProbe implements TrainingProbe {
    public static final int COSINE_SAMPLES = 8;

    private final List<MechanismRecord> records = new ArrayList<>();
    private Context ctx;
    private FloatTwin twin;
    private boolean qat;
    private long cosineEvery;
    private float[][] previous;
    private UpdateStats[] startTotals;
    private double cosineSum;
    private int cosineCount;

    @Override
    public String name() {
        return "mechanism";
    }

    @Override
    public void attach(Context context) {
        ctx = context;
        qat = !context.scheme().isFloat() && context.mode() == TrainingMode.QAT;
        twin = qat ? new FloatTwin(context.task()) : null;
        cosineEvery = Math.max(1, context.batchesPerEpoch() / COSINE_SAMPLES);
    }

    @Override
    public void begin() {
        mark();
    }

    /** Remembers the computed weights and the update counters the next epoch is measured from. */
    private void mark() {
        List<Parameter> params = ctx.params();
        previous = new float[params.size()][];
        startTotals = new UpdateStats[params.size()];
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            previous[i] = p.computeWeights().decodeAll();
            startTotals[i] = p.storage() instanceof QuantizedStorage q ? q.totalUpdates() : UpdateStats.NONE;
        }
        cosineSum = 0;
        cosineCount = 0;
    }

    @Override
    public void afterBackward(long step, BatchData batch) {
        if (qat && step % cosineEvery == 0) {
            double c = twin.cosine(ctx.params(), batch);
            if (Double.isFinite(c)) {
                cosineSum += c;
                cosineCount++;
            }
        }
    }

    @Override
    public void endEpoch(int epochsDone) {
        List<Parameter> params = ctx.params();
        double cosine = cosineCount == 0 ? Double.NaN : cosineSum / cosineCount;
        for (int i = 0; i < params.size(); i++) records.add(record(epochsDone, params.get(i), i, cosine));
        mark();
    }

    private MechanismRecord record(int epoch, Parameter p, int index, double cosine) {
        boolean bias = Quantization.isBias(p);
        WeightStorage computed = p.computeWeights();
        float[] w = computed.decodeAll();
        int n = w.length;
        long zeros = 0, changed = 0, dead = 0;
        double sumAbs = 0;
        float[] before = previous[index];
        // The grid step of each row: a storage's own, or in qat the step of the fake-quantized view it computes with.
        java.util.function.IntToDoubleFunction grid = computed instanceof QuantizedStorage q ? q::step
                : computed instanceof FakeQuantView view ? view::step : null;
        float[] master = qat && !bias ? p.storage().decodeAll() : null;
        double sumAbsMaster = 0;
        int cols = computed.cols();
        for (int k = 0; k < n; k++) {
            float v = w[k];
            if (v == 0f) zeros++;
            if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(before[k])) changed++;
            sumAbs += Math.abs(v);
            if (master != null) sumAbsMaster += Math.abs(master[k]);
            if (grid != null) {
                double ref = master != null ? master[k] : v;
                if (Math.abs(ref) < grid.applyAsDouble(k / cols)) dead++;
            }
        }
        double updates = Double.NaN, applied = Double.NaN, lost = Double.NaN, crossed = Double.NaN,
                clipped = Double.NaN, meanSteps = Double.NaN;
        if (ctx.mode() == TrainingMode.STORAGE && p.storage() instanceof QuantizedStorage q) {
            UpdateStats s = minus(q.totalUpdates(), startTotals[index]);
            long nonzero = s.applied() + s.lost();
            updates = nonzero;
            if (nonzero > 0) {
                applied = (double) s.applied() / nonzero;
                lost = (double) s.lost() / nonzero;
                crossed = (double) s.crossed() / nonzero;
                clipped = (double) s.clipped() / nonzero;
                meanSteps = s.requested() / nonzero / meanStep(q);
            }
        }
        return new MechanismRecord(epoch, p.name(), bias ? "bias" : "weight", n, updates, applied, lost, crossed, clipped,
                meanSteps, (double) zeros / n, sumAbs / n, master != null ? sumAbsMaster / n : Double.NaN,
                (double) changed / n, grid != null ? (double) dead / n : Double.NaN, bias ? Double.NaN : cosine);
    }

    private static UpdateStats minus(UpdateStats a, UpdateStats b) {
        return new UpdateStats(a.weights() - b.weights(), a.applied() - b.applied(), a.lost() - b.lost(),
                a.crossed() - b.crossed(), a.clipped() - b.clipped(), a.requested() - b.requested(),
                a.realized() - b.realized());
    }

    private static double meanStep(QuantizedStorage q) {
        double sum = 0;
        for (int r = 0; r < q.rows(); r++) sum += q.step(r);
        return sum / q.rows();
    }

    @Override
    public Object saveState() {
        List<Object> list = new ArrayList<>();
        for (MechanismRecord r : records) list.add(ResultsJson.mechanismJson(r));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("records", list);
        return m;
    }

    @Override
    public void restoreState(Object state) {
        JsonObject j = new JsonObject(state, "probe.mechanism");
        records.clear();
        for (int i = 0; i < j.list("records").size(); i++) records.add(ResultsJson.mechanismFromJson(j.element("records", i)));
        mark(); // checkpoints are written at the end of an epoch: the next one starts from here
    }

    @Override
    public void finish(SeedRun result) {
        result.mechanism.clear();
        result.mechanism.addAll(records);
    }
}
