package octoquant.engine.integer;

import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.WeightStorage;

import octoquant.engine.kernels.Parallel;

/**
 * Integer inference of a fully connected layer {@code y = x·Wᵀ + b} (Jacob et al. 2018): int8 activations
 * with a calibrated scale and zero point, int8 weight codes from a {@link QuantizedStorage} (maxabs or
 * minmax, at most 8 bits, per tensor or per channel), int32 accumulation in {@link IntGemm}, and either a
 * float output ({@code acc·sIn·sW[j] + b[j]}) or an int8 output for the next layer, requantized with a
 * fixed-point multiplier and an int32 bias.
 */
public final class IntegerLinear {
    private final IntWeights w;
    private final float[] bias;
    private final ActivationQuant in;

    /**
     * @param weight the stored weights, {@code out × in}
     * @param bias   fp32 bias of length {@code out}, or null
     * @param in     quantization of this layer's input (calibrated beforehand)
     */
    public IntegerLinear(WeightStorage weight, float[] bias, ActivationQuant in) {
        this.w = IntWeights.of(weight, "IntegerLinear");
        if (bias != null && bias.length != w.rows()) {
            throw new IllegalArgumentException("IntegerLinear: bias has " + bias.length + " values for " + w.rows() + " outputs");
        }
        this.bias = bias;
        this.in = in;
    }

    public ActivationQuant inputQuant() {
        return in;
    }

    public int inFeatures() {
        return w.cols();
    }

    public int outFeatures() {
        return w.rows();
    }

    /** The step of output {@code j}'s weights (its accumulator step is {@code inputQuant().scale()} times it). */
    public float weightScale(int j) {
        return w.scale(j);
    }

    /** Batch rows per thread chunk at least: below that, splitting costs more than it saves. */
    private static final int ROWS_PER_CHUNK = 8;

    /** int32 accumulators for a batch of {@code batch} quantized input rows. */
    public int[] accumulate(byte[] xq, int batch) {
        if (xq.length != batch * w.cols()) {
            throw new IllegalArgumentException("IntegerLinear: input of " + xq.length + " values is not " + batch + "x" + w.cols());
        }
        int n = w.rows(), k = w.cols();
        int[] acc = new int[batch * n];
        // rows of the batch are independent: a split over threads changes no bit of the int32 sums
        Parallel.forRange(batch, ROWS_PER_CHUNK, (first, end) -> {
            if (first == 0 && end == batch) {
                IntGemm.gemm(batch, n, k, xq, in.zeroPoint(), w.codes(), w.zeroPoints(), acc);
                return;
            }
            int[] part = new int[(end - first) * n];
            IntGemm.gemm(end - first, n, k, java.util.Arrays.copyOfRange(xq, first * k, end * k), in.zeroPoint(),
                    w.codes(), w.zeroPoints(), part);
            System.arraycopy(part, 0, acc, first * n, part.length);
        });
        return acc;
    }

    /** Float output from float input: the input is quantized with {@link #inputQuant()} first. */
    public float[] forward(float[] x, int batch) {
        return toFloat(accumulate(in.quantize(x), batch), batch);
    }

    /** Float output from int8 input. */
    public float[] forwardQuantized(byte[] xq, int batch) {
        return toFloat(accumulate(xq, batch), batch);
    }

    /** int8 output at {@code out}'s scale (optionally through ReLU, i.e. clamped at out's zero point). */
    public byte[] forwardInt8(byte[] xq, int batch, ActivationQuant out, boolean relu) {
        int[] acc = accumulate(xq, batch);
        int n = w.rows();
        Requantizer[] rq = new Requantizer[n];
        int[] biasInt = new int[n];
        for (int j = 0; j < n; j++) {
            double accScale = (double) in.scale() * w.scale(j);
            rq[j] = new Requantizer(accScale / out.scale());
            biasInt[j] = bias == null ? 0 : (int) Math.round(bias[j] / accScale);
        }
        int lo = relu ? Math.max(ActivationQuant.QMIN, out.zeroPoint()) : ActivationQuant.QMIN;
        byte[] y = new byte[batch * n];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < n; j++) {
                int q = rq[j].apply(acc[i * n + j] + biasInt[j]) + out.zeroPoint();
                y[i * n + j] = (byte) Math.max(lo, Math.min(ActivationQuant.QMAX, q));
            }
        }
        return y;
    }

    private float[] toFloat(int[] acc, int batch) {
        int n = w.rows();
        float[] y = new float[batch * n];
        for (int j = 0; j < n; j++) {
            float s = in.scale() * w.scale(j);
            float b = bias == null ? 0f : bias[j];
            for (int i = 0; i < batch; i++) y[i * n + j] = acc[i * n + j] * s + b;
        }
        return y;
    }
}
