package octoquant.engine.quant;

import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.UpdateStats;
import octoquant.engine.storage.WeightStorage;

import octoquant.engine.nn.Module;
import octoquant.engine.param.Parameter;
import octoquant.engine.param.ParameterMode;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link QuantScheme} in a {@link TrainingMode} to a model's parameters, and finishes training
 * (PTQ conversion, or freezing QAT's quantized copy). Only weights are quantized: biases (rank-1
 * parameters) stay fp32 unless {@code includeBiases} is set — they are a few hundred values, and
 * quantizing them with the weights' step would cost accuracy for no memory (Jacob et al. keep int32
 * biases). Each parameter gets its own rounding stream, derived from {@code seed} and its position.
 */
public final class Quantization {
    private Quantization() {}

    /**
     * Prepares parameters for training: {@code qat} installs a {@link QatMode} on each (fp32 masters kept);
     * {@code storage} replaces each storage by the scheme's encoding of its current (initial) values, with
     * its decoded view on (the updates and the layers work on it) —
     * for maxabs/minmax that fixes the step on the initial weights widened by the scheme's
     * {@link QuantScheme#storageHeadroom} (default {@value QuantScheme#DEFAULT_STORAGE_HEADROOM}), so a
     * weight can grow that much before it clips (clips are still counted in {@link UpdateStats});
     * {@code ptq} leaves them fp32 (call {@link #finish} after training). A {@code float} scheme changes
     * nothing. Returns the parameters that were quantized.
     */
    public static List<Parameter> prepare(Iterable<Parameter> params, QuantScheme scheme, TrainingMode mode,
                                          long seed, boolean includeBiases) {
        List<Parameter> touched = new ArrayList<>();
        if (scheme.isFloat()) return touched;
        int k = 0;
        for (Parameter p : params) {
            k++;
            if (!selected(p, includeBiases)) continue;
            long s = streamSeed(seed, k);
            switch (mode) {
                case QAT:
                    p.setMode(new QatMode(scheme, s));
                    break;
                case STORAGE:
                    p.setMode(ParameterMode.DIRECT);
                    WeightStorage encoded = scheme.encodeForStorageMode(p.storage(), s);
                    // updates and the layers work on the decoded codes (a working copy, not in sizeInBytes)
                    if (encoded instanceof QuantizedStorage q) q.enableDecodedView();
                    p.setStorage(encoded);
                    break;
                case PTQ:
                    break;
            }
            touched.add(p);
        }
        return touched;
    }

    /** {@link #prepare} on all of a model's parameters, biases kept fp32. */
    public static List<Parameter> prepare(Module model, QuantScheme scheme, TrainingMode mode, long seed) {
        return prepare(model.parameters(), scheme, mode, seed, false);
    }

    /** {@link #finish} on all of a model's parameters, biases kept fp32. */
    public static void finish(Module model, QuantScheme scheme, TrainingMode mode, long seed) {
        finish(model.parameters(), scheme, mode, seed, false);
    }

    /** {@link #prepare} with biases kept fp32. */
    public static List<Parameter> prepare(Iterable<Parameter> params, QuantScheme scheme, TrainingMode mode, long seed) {
        return prepare(params, scheme, mode, seed, false);
    }

    /**
     * After training, leaves every selected parameter in the scheme's stored form so inference and byte
     * counts use it: {@code ptq} quantizes the fp32 weights (step calibrated from the weights), {@code qat}
     * replaces the master by the quantized copy the network trained with, {@code storage} is already there
     * (its decoded working copy is released).
     */
    public static void finish(Iterable<Parameter> params, QuantScheme scheme, TrainingMode mode, long seed,
                              boolean includeBiases) {
        if (scheme.isFloat()) return;
        int k = 0;
        for (Parameter p : params) {
            k++;
            if (!selected(p, includeBiases)) continue;
            if (mode == TrainingMode.QAT && p.mode() instanceof QatMode) {
                QatMode qat = (QatMode) p.mode();
                WeightStorage frozen = qat.releaseShadow(p);
                p.setMode(ParameterMode.DIRECT);
                p.setStorage(frozen);
            } else if (mode == TrainingMode.PTQ) {
                p.setStorage(scheme.encode(p.storage(), streamSeed(seed, k)));
            } else if (mode == TrainingMode.STORAGE && p.storage() instanceof QuantizedStorage q) {
                q.dropDecodedView(); // inference reads the stored codes
            }
        }
    }

    public static void finish(Iterable<Parameter> params, QuantScheme scheme, TrainingMode mode, long seed) {
        finish(params, scheme, mode, seed, false);
    }

    /** Post-training quantization of fp32 parameters (weights only). */
    public static void ptq(Iterable<Parameter> params, QuantScheme scheme) {
        finish(params, scheme, TrainingMode.PTQ, 0L, false);
    }

    /** Total bytes the parameters' storages hold. */
    public static long weightBytes(Iterable<Parameter> params) {
        long b = 0;
        for (Parameter p : params) b += p.storage().sizeInBytes();
        return b;
    }

    /** Update counters summed over the quantized storages among {@code params} (storage mode). */
    public static UpdateStats lastUpdate(Iterable<Parameter> params) {
        UpdateStats s = UpdateStats.NONE;
        for (Parameter p : params) if (p.storage() instanceof QuantizedStorage) s = s.plus(((QuantizedStorage) p.storage()).lastUpdate());
        return s;
    }

    public static UpdateStats totalUpdates(Iterable<Parameter> params) {
        UpdateStats s = UpdateStats.NONE;
        for (Parameter p : params) if (p.storage() instanceof QuantizedStorage) s = s.plus(((QuantizedStorage) p.storage()).totalUpdates());
        return s;
    }

    /** Weights are rank ≥ 2 (Linear [out, in], Conv2d [out, in, kh, kw]); biases are rank 1. */
    public static boolean isBias(Parameter p) {
        return p.shape().length < 2;
    }

    private static boolean selected(Parameter p, boolean includeBiases) {
        return includeBiases || !isBias(p);
    }

    private static long streamSeed(long seed, int k) {
        return seed * 0x9E3779B97F4A7C15L + k;
    }
}
