package octoquant.experiments.run;

import java.util.Locale;

/** The models an image experiment can train: the seed's MNIST MLP or the seed's CNN. */
public enum ModelKind {
    /** 784 → 128 ReLU → 10, for 1×28×28 images (101,770 parameters). */
    MLP,
    /** conv3×3 → ReLU → pool → conv3×3 → ReLU → pool → 64 → 10, for any image size divisible by 4. */
    CNN;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelKind parse(String text) {
        for (ModelKind m : values()) if (m.token().equals(text)) return m;
        throw new IllegalArgumentException("unknown model '" + text + "' (expected mlp or cnn)");
    }
}
