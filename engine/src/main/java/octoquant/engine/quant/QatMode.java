package octoquant.engine.quant;

import octoquant.engine.storage.FakeQuantView;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.WeightStorage;

import octoquant.engine.param.Parameter;
import octoquant.engine.param.ParameterMode;
import octoquant.engine.state.StateReader;
import octoquant.engine.state.StateWriter;
import octoquant.engine.state.Stateful;

/**
 * Quantization-aware training of one parameter: {@link Parameter#storage()} holds fp32 master weights; the
 * kernels read a quantized shadow of them in the forward and the backward pass; the gradient with respect
 * to the shadow is passed to the master by the straight-through estimator.
 *
 * <p><b>When the shadow is re-encoded.</b> Once after each change of the master: {@link #prepareGradient}
 * (called once a step, right before the optimizer changes the master) marks it stale, and so does a change
 * of the master's {@link WeightStorage#version()}; forward and backward of the same step share one encode.
 * The shadow recalibrates its step from the master at every encode (maxabs / minmax follow the weights).
 *
 * <p><b>What the kernels read.</b> The shadow is a {@link FakeQuantView} of a storage of the scheme: each
 * encode is one fused quantize→dequantize pass over the master into an fp32 array that
 * {@link WeightStorage#floatView()} exposes, so the layers take their in-place fp32 path in the forward and
 * the backward pass with no per-tile decode. The values are bit-identical to decoding the packed codes of
 * the scheme; the packing itself happens only when the packed form is read ({@code sizeInBytes},
 * {@link Quantization#finish}, checkpoints).
 *
 * <p><b>Straight-through estimator.</b> The gradient passes unchanged where the weight's rounded code lay
 * inside the scheme's code range, and is zeroed where the quantizer clamped it. At the boundary: a weight
 * whose rounded code equals the end code (it rounds onto the last grid point, e.g. up to half a step
 * beyond it under nearest rounding) passes; only one whose rounded code lies beyond is masked.
 *
 * <p><b>When that happens.</b> By default the shadow recalibrates its step from the master at every encode
 * (maxabs to max |w|, minmax to [min, max] with the step widened for the rounded zero point), so it never
 * clamps and the STE is the identity; the seed's fixed grid is unbounded and never clamps either. With
 * {@code freezeScale} the step is calibrated at the first encode only (a fixed range, as a hardware
 * format would have): weights that later grow beyond it are clamped and receive no gradient.
 */
public final class QatMode implements ParameterMode, Stateful {
    private final QuantScheme scheme;
    private final long seed;
    private FakeQuantView shadow;
    private boolean[] clipped;
    private boolean stale = true;
    private long seenVersion = Long.MIN_VALUE;
    private long encodes;
    private final boolean freezeScale;

    /** @param seed seeds the shadow's stochastic rounding (ignored otherwise) */
    public QatMode(QuantScheme scheme, long seed) {
        this(scheme, seed, false);
    }

    /**
     * @param freezeScale calibrate the step at the first encode only, so weights that outgrow it clip
     */
    public QatMode(QuantScheme scheme, long seed, boolean freezeScale) {
        if (scheme.isFloat()) throw new IllegalArgumentException("QAT needs a quantized scheme, got " + scheme.name());
        this.scheme = scheme;
        this.seed = seed;
        this.freezeScale = freezeScale;
    }

    public QuantScheme scheme() {
        return scheme;
    }

    @Override
    public WeightStorage computeWeights(Parameter p) {
        WeightStorage master = p.storage();
        long v = master.version();
        if (shadow == null || shadow.rows() != master.rows() || shadow.cols() != master.cols()) {
            shadow = new FakeQuantView((QuantizedStorage) scheme.newStorage(master.rows(), master.cols(), seed));
            clipped = new boolean[master.length()];
            stale = true;
        }
        if (stale || v < 0 || v != seenVersion) {
            float[] values = master.floatView();
            if (values == null) values = master.decodeAll();
            if (freezeScale && encodes > 0) shadow.encodeKeepingScale(values, clipped);
            else shadow.encode(values, clipped);
            seenVersion = v;
            stale = false;
            encodes++;
        }
        return shadow;
    }

    /** Zeroes the gradient where the shadow's quantizer clamped the weight, then marks the shadow stale. */
    @Override
    public void prepareGradient(Parameter p) {
        if (shadow != null && shadow.lastClippedCount() > 0) {
            float[] g = p.grad();
            for (int i = 0; i < g.length; i++) if (clipped[i]) g[i] = 0f;
        }
        stale = true;
    }

    /** The current quantized copy (encoding it if needed), as the kernels read it. */
    public FakeQuantView shadow(Parameter p) {
        return (FakeQuantView) computeWeights(p);
    }

    /**
     * Hands the current quantized copy over for good (end of training): packed, its fp32 view dropped, so
     * inference decodes the stored codes; this mode encodes a fresh shadow if it is used again.
     */
    public QuantizedStorage releaseShadow(Parameter p) {
        QuantizedStorage s = shadow(p).release();
        shadow = null;
        return s;
    }

    /** How many times the shadow was encoded (once per step is the contract). */
    public long encodeCount() {
        return encodes;
    }

    /** Weights the last encode clamped (whose gradients the STE masks). */
    public long clippedCount() {
        return shadow == null ? 0 : shadow.lastClippedCount();
    }

    // ------------------------------------------------------------------ state
    // Configuration (rebuilt by construction): the scheme (checked on restore), the seed of the shadow's
    // rounding stream and freezeScale. State: the shadow (codes, steps, rounding generator… — its own
    // saveState) and its shape, the STE mask of its last encode, whether it is stale, the master version it
    // encoded and the encode count. A shadow not yet created (or released) is saved as shape [].

    @Override
    public void saveState(StateWriter out) {
        out.putString("scheme", scheme.name());
        out.putInts("shadowShape", shadow == null ? new int[0] : new int[] {shadow.rows(), shadow.cols()});
        if (shadow != null) {
            out.put("shadow", shadow);
            out.putBooleans("clipped", clipped);
        }
        out.putBoolean("stale", stale);
        out.putLong("seenVersion", seenVersion);
        out.putLong("encodes", encodes);
    }

    @Override
    public void restoreState(StateReader in) {
        in.expect("scheme", scheme.name(), "QAT mode");
        int[] shape = in.ints("shadowShape");
        if (shape.length == 0) {
            shadow = null;
            clipped = null;
        } else {
            if (shape.length != 2 || shape[0] <= 0 || shape[1] <= 0) {
                throw in.mismatch("shadowShape", "is not a rows x cols shape");
            }
            if (shadow == null || shadow.rows() != shape[0] || shadow.cols() != shape[1]) {
                // as computeWeights builds it; its whole state is overwritten next
                shadow = new FakeQuantView((QuantizedStorage) scheme.newStorage(shape[0], shape[1], seed));
            }
            in.restore("shadow", shadow);
            clipped = in.booleans("clipped", shape[0] * shape[1]);
        }
        stale = in.booleanValue("stale");
        seenVersion = in.longValue("seenVersion");
        encodes = in.longValue("encodes");
    }
}
