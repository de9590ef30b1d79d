package octoquant.experiments.run;

import octoquant.engine.storage.QuantScheme;

import java.util.Locale;

/**
 * A method as the user named it ({@code quant8}, {@code int4-pc-stochastic}) and the scheme that name parses
 * to. The name is kept as given (lower-cased): it labels the method in every table, file and plot.
 */
public record Method(String name, QuantScheme scheme) {
    /** Parses a method name; throws IllegalArgumentException with the grammar's one-line reason. */
    public static Method parse(String text) {
        String name = text.trim().toLowerCase(Locale.ROOT);
        return new Method(name, QuantScheme.parse(name));
    }

    /** The storage's own description, e.g. {@code int8 per-tensor fixed nearest-even}, or {@code fp32}. */
    public String description() {
        return scheme.isFloat() ? "fp32" : scheme.newStorage(2, 8, 0).describe();
    }

    @Override
    public String toString() {
        return name;
    }
}
