package octoquant.bench;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.nn.Models;
import octoquant.engine.nn.Sequential;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.quant.Quantization;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;


/**
 * Weight-only quantized inference against float on a shared, loaded machine: the same model in each
 * scheme, batch-64 forward passes, the schemes taking turns round after round so that load changes hit
 * them alike (why races: {@code docs/decisions.md}). Prints each scheme's time per pass and its wall and CPU time relative to float (medians; {@link RaceStats}); the issue-6
 * goal is ≤ 1.2. Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar
 * octoquant.bench.QuantInferenceRace mlp|cnn rounds threads scheme...} (float is always included).
 */
public final class QuantInferenceRace {
    private QuantInferenceRace() {}

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: QuantInferenceRace mlp|cnn rounds threads scheme... (e.g. mlp 15 2 int8-pc octal8)");
            System.exit(2);
        }
        boolean mlp = args[0].equals("mlp");
        if (!mlp && !args[0].equals("cnn")) throw new IllegalArgumentException("model must be mlp or cnn, got '" + args[0] + "'");
        int rounds = Integer.parseInt(args[1]);
        Parallel.setThreads(Integer.parseInt(args[2]));
        int schemes = args.length - 2; // float + the given ones
        String[] names = new String[schemes];
        names[0] = "float";
        System.arraycopy(args, 3, names, 1, schemes - 1);
        Sequential[] nets = new Sequential[schemes];
        Rng data = new Rng(9);
        Tensor input = mlp ? Tensor.randn(data, 64, 1, 28, 28) : Tensor.randn(data, 64, 3, 32, 32);
        for (int s = 0; s < schemes; s++) {
            Rng rng = new Rng(3);
            nets[s] = mlp ? Models.mlp(rng) : Models.seedCnn(rng, 3, 32, 32);
            Quantization.ptq(nets[s].parameters(), QuantScheme.parse(names[s]));
        }
        int passes = mlp ? 200 : 4; // about the same time per turn
        double[][] passNs = new double[schemes][rounds], cpuNs = new double[schemes][rounds];
        try (Grad.Scope off = Grad.disabled()) {
            for (int r = -2; r < rounds; r++) { // two warm-up rounds
                for (int s = 0; s < schemes; s++) {
                    long t0 = System.nanoTime(), c0 = ProcessStats.processCpuNanos();
                    for (int p = 0; p < passes; p++) nets[s].forward(input);
                    if (r >= 0) {
                        passNs[s][r] = (System.nanoTime() - t0) / (double) passes;
                        cpuNs[s][r] = (ProcessStats.processCpuNanos() - c0) / (double) passes;
                    }
                }
            }
        }
        RaceStats.print(args[0], names, "pass", passNs, cpuNs);
    }
}
