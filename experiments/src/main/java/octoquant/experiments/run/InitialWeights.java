package octoquant.experiments.run;

import octoquant.engine.nn.Module;
import octoquant.engine.nn.WeightsFile;
import octoquant.engine.safetensors.SafetensorsException;
import octoquant.engine.state.StateMismatchException;
import octoquant.experiments.DataError;
import octoquant.experiments.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Weights every run of a set starts from instead of its seeded initialisation ({@code --init-from FILE}, a
 * safetensors file such as PyTorch writes). The file's SHA-256 is part of the configuration, so a resumed run
 * refuses a file that changed since the run started.
 */
public record InitialWeights(Path file, String sha256) {

    /** The file as it is now; an unreadable file is the user's to fix. */
    public static InitialWeights of(Path file) {
        return new InitialWeights(file.toAbsolutePath().normalize(), sha256(file));
    }

    /** Loads the weights into {@code model} (strict: every parameter, nothing else, the same shapes). */
    public static void load(Module model, InitialWeights w) {
        String now = sha256(w.file());
        if (!now.equals(w.sha256())) {
            throw new UserError("--init-from " + w.file() + " changed since this run started (SHA-256 " + now
                    + ", the run recorded " + w.sha256() + "); put the original file back or start a new run");
        }
        try {
            WeightsFile.load(model, w.file(), true);
        } catch (SafetensorsException | StateMismatchException e) {
            throw new DataError("--init-from: " + e.getMessage());
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UserError("--init-from " + file + ": cannot read it (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
