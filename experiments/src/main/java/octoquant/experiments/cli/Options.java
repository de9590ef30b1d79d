package octoquant.experiments.cli;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.run.Method;
import octoquant.experiments.run.ModelKind;
import octoquant.experiments.run.OptimizerKind;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed, validated command line, in typed values: nothing downstream parses a string of it again.
 * Training options carry the values in effect (the experiment's default when not given), so the rest of
 * the program never deals with "unset".
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
    public OptimizerKind optimizer = OptimizerKind.ADAM;
    public int threads = Runtime.getRuntime().availableProcessors();
    public List<Method> methods = List.of(Method.parse("float"), Method.parse("quant8"), Method.parse("octal8"));
    public TrainingMode mode = TrainingMode.QAT;
    public ModelKind model = ModelKind.MLP;
    public int limitTrain = 0;
    public int limitTest = 0;
    public Path resume;
    /** Weights every run starts from ({@code --init-from}), or null for the seeded initialisation. */
    public Path initFrom;
    public int bits = 8;
    /** The audit's budget: {@code quick}, {@code standard} or {@code full}. */
    public String budget = "quick";
    /** The flags given on the command line (an audit's budget is overridden only by what was given). */
    public java.util.Set<String> given = java.util.Set.of();
    public boolean help;
    public boolean debug;

    /** Seeds run by this invocation: {@code seedOffset … seedOffset + seeds − 1}. */
    public int[] seedList() {
        int[] s = new int[seeds];
        for (int i = 0; i < seeds; i++) s[i] = seedOffset + i;
        return s;
    }
}
