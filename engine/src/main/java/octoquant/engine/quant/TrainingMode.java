package octoquant.engine.quant;

import java.util.Locale;

/** How a quantization scheme takes part in training (the CLI's {@code --mode}). */
public enum TrainingMode {
    /** fp32 master weights; forward and backward use their quantized copy; straight-through gradient. */
    QAT,
    /** No fp32 copy: the optimizer's update is applied to the codes and re-quantized every step. */
    STORAGE,
    /** Train in fp32, quantize once after training (step calibrated from the weights themselves). */
    PTQ;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TrainingMode parse(String text) {
        for (TrainingMode m : values()) if (m.token().equalsIgnoreCase(text == null ? "" : text.trim())) return m;
        throw new IllegalArgumentException("unknown training mode '" + text + "'; modes: qat | storage | ptq");
    }
}
