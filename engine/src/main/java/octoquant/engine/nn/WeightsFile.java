package octoquant.engine.nn;

import octoquant.engine.safetensors.SafetensorsException;
import octoquant.engine.safetensors.SafetensorsFile;
import octoquant.engine.state.StateMismatchException;

import java.nio.file.Path;

/**
 * A model's weights in a {@code .safetensors} file, in one call each way: {@link Module#stateDict()}
 * written with {@link SafetensorsFile}, and read back with {@link Module#loadStateDict}. The files open
 * in Python with NumPy alone (the format is an 8-byte length, a JSON header and raw little-endian data)
 * or with the {@code safetensors} package; {@link StateDict} describes the entries.
 */
public final class WeightsFile {
    private WeightsFile() {}

    /**
     * Writes {@code model}'s state dict to {@code file}, atomically (a temporary file beside it, then a
     * rename).
     *
     * @throws SafetensorsException naming the file when it cannot be written
     */
    public static void save(Module model, Path file) {
        model.stateDict().toFile().write(file);
    }

    /**
     * Reads {@code file} and loads it into {@code model} ({@link Module#loadStateDict}).
     *
     * @throws SafetensorsException        the file is missing, unreadable or not a valid safetensors file
     * @throws StateMismatchException      its entries do not fit the model; the message starts with the file
     */
    public static void load(Module model, Path file, boolean strict) {
        StateDict dict = StateDict.of(SafetensorsFile.read(file));
        try {
            model.loadStateDict(dict, strict);
        } catch (StateMismatchException e) {
            throw new StateMismatchException(file + ": " + e.getMessage());
        }
    }

    /** The state dict {@code file} holds. */
    public static StateDict read(Path file) {
        return StateDict.of(SafetensorsFile.read(file));
    }
}
