package octoquant.engine.integer;

/**
 * Affine int8 quantization of activations (Jacob et al. 2018, with the signed int8 range of later
 * TFLite): {@code q = clamp(round(x / scale) + zeroPoint, −128, 127)}, {@code x ≈ (q − zeroPoint)·scale}.
 * The range is calibrated from observed values and always contains 0, so zero padding and ReLU zeros are
 * exact.
 *
 * @param scale     real value of one code step (> 0)
 * @param zeroPoint the code of the real 0, in [−128, 127]
 */
public record ActivationQuant(float scale, int zeroPoint) {
    public static final int QMIN = -128, QMAX = 127;

    public ActivationQuant {
        if (!(scale > 0) || !Float.isFinite(scale)) throw new IllegalArgumentException("activation scale must be > 0, got " + scale);
        if (zeroPoint < QMIN || zeroPoint > QMAX) throw new IllegalArgumentException("activation zero point " + zeroPoint + " outside int8");
    }

    /** Calibrates from observed extremes (0 is added to the range). */
    public static ActivationQuant fromRange(float min, float max) {
        float lo = Math.min(0f, min), hi = Math.max(0f, max);
        if (hi == lo) return new ActivationQuant(1f, 0);
        float scale = (float) ((hi - (double) lo) / (QMAX - QMIN));
        long zp = QMIN + Math.round(-lo / (double) scale);
        return new ActivationQuant(scale, (int) Math.max(QMIN, Math.min(QMAX, zp)));
    }

    /** Calibrates from the values themselves (min and max over all of them). */
    public static ActivationQuant calibrate(float[] values) {
        float lo = 0, hi = 0;
        for (float v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return fromRange(lo, hi);
    }

    public byte quantize(float x) {
        long q = Math.round(Math.rint(x / (double) scale)) + zeroPoint;
        return (byte) Math.max(QMIN, Math.min(QMAX, q));
    }

    public float dequantize(byte q) {
        return (q - zeroPoint) * scale;
    }

    public byte[] quantize(float[] x) {
        byte[] q = new byte[x.length];
        for (int i = 0; i < x.length; i++) q[i] = quantize(x[i]);
        return q;
    }

    public float[] dequantize(byte[] q) {
        float[] x = new float[q.length];
        for (int i = 0; i < q.length; i++) x[i] = dequantize(q[i]);
        return x;
    }

    /** The fake-quantized value: quantize then dequantize (what the float reference path computes with). */
    public float fakeQuantize(float x) {
        return dequantize(quantize(x));
    }
}
