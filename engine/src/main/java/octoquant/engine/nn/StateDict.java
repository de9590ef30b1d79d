package octoquant.engine.nn;

import octoquant.engine.safetensors.SafetensorsFile;
import octoquant.engine.safetensors.TensorData;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's weights as named tensors, in the model's parameter order, with PyTorch's names
 * ({@code 1.weight}, {@code 1.bias}, …) and shapes ({@link Module#stateDict()}). A snapshot: later training
 * does not change it.
 *
 * <p><b>Entries.</b> An fp32 parameter is one F32 tensor under its name. A quantized parameter (its
 * storage holds integer codes) is its codes under its name, in the parameter's shape, as the smallest of
 * I8, U8, I16, I32 that holds the scheme's code range (for the unbounded fixed grid, the codes present);
 * beside it {@code <name>.scale} (F32, one step per output channel {@code [rows]} or one per tensor
 * {@code []}; absent on the fixed grid, whose step is {@code 1/(2^b − 1)}) and, for minmax schemes,
 * {@code <name>.zero_point} (I32, same shape). The scheme goes into the metadata under
 * {@code octoquant.scheme.<name>} ({@link #SCHEME_PREFIX}), e.g. {@code int8-pc}, {@code quant8},
 * {@code octal8} (octal storage with another rounding than the seed's adds it, {@code octal8-nearest});
 * parameters without a key are fp32. A weight decodes as
 * <ul>
 *   <li>fixed grid ({@code quantB}, {@code octalB}, {@code intB-fixed}): {@code float(code / (2^B − 1))},
 *       the division in double;</li>
 *   <li>maxabs: {@code float(code) · scale};</li>
 *   <li>minmax: {@code float(code − zero_point) · scale},</li>
 * </ul>
 * with a per-channel scale broadcast over every dimension but the first. Octal storage keeps its codes as
 * integers here: base 8 is how it packs them, not what they are.
 *
 * <p>What a state dict leaves out, like PyTorch's: training state (optimizer moments, QAT's quantized
 * copy — a parameter in {@code qat} mode contributes its fp32 master weights — the stochastic rounding
 * generator, update counters). Checkpoints keep those.
 */
public final class StateDict {
    /** Metadata key prefix naming a quantized parameter's scheme: {@code octoquant.scheme.0.weight → int8-pc}. */
    public static final String SCHEME_PREFIX = "octoquant.scheme.";

    private final Map<String, TensorData> tensors;
    private final Map<String, String> metadata;

    /** Copies the tensors (in their iteration order) and the metadata. */
    public StateDict(Map<String, TensorData> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The state dict a safetensors file holds (its order, its metadata). */
    public static StateDict of(SafetensorsFile file) {
        return new StateDict(file.tensors(), file.metadata());
    }

    /** This state dict as the contents of a safetensors file. */
    public SafetensorsFile toFile() {
        return new SafetensorsFile(tensors, metadata);
    }

    /** The tensors in order (unmodifiable). */
    public Map<String, TensorData> tensors() {
        return tensors;
    }

    /** The metadata (unmodifiable): the schemes of quantized parameters, and whatever a file carried. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor named {@code name}, or null. */
    public TensorData get(String name) {
        return tensors.get(name);
    }

    /** The scheme of parameter {@code name}: its metadata entry, else {@code float}. */
    public String scheme(String name) {
        return metadata.getOrDefault(SCHEME_PREFIX + name, "float");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateDict d && d.toFile().equals(toFile());
    }

    @Override
    public int hashCode() {
        return tensors.hashCode() * 31 + metadata.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StateDict{");
        tensors.forEach((k, v) -> sb.append(sb.length() > 10 ? ", " : "").append(k).append(": ").append(v));
        return sb.append('}').toString();
    }
}
