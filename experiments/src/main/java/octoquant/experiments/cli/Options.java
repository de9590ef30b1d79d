package octoquant.experiments.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed, validated command line. Training options carry the values in effect (the experiment's default
 * when not given), so the rest of the program never deals with "unset".
 */
public final class Options {
    public Experiment experiment;
    /** Values for {@code quantize}, run directories for {@code merge}. */
    public List<String> positional = List.of();
    public Path data;
    public Path out;
    public int epochs;
    public int seeds = 3;
    public int seedOffset = 0;
    public int batchSize = 64;
    public double lr = 1e-3;
    public String optimizer = "adam";
    public int threads = Runtime.getRuntime().availableProcessors();
    public List<String> methods = List.of("float", "quant8", "octal8");
    public String mode = "qat";
    public String model = "mlp";
    public int limitTrain = 0;
    public int limitTest = 0;
    public Path resume;
    public int bits = 8;
    public boolean help;
    public boolean debug;

    /** Seeds run by this invocation: {@code seedOffset … seedOffset + seeds − 1}. */
    public int[] seedList() {
        int[] s = new int[seeds];
        for (int i = 0; i < seeds; i++) s[i] = seedOffset + i;
        return s;
    }
}
