package octoquant.experiments.commands;

import octoquant.experiments.cli.Experiment;
import octoquant.experiments.cli.MethodNames;

import java.io.PrintStream;

/** {@code list}: the experiments, method names and models this build offers. */
public final class ListCommand {
    private ListCommand() {}

    public static void run(PrintStream out) {
        out.println("experiments:");
        for (Experiment e : Experiment.values()) {
            String epochs = e.trains() ? " (default " + e.defaultEpochs() + " epochs)" : "";
            out.printf("  %-14s %s%s%n", e.cliName(), e.summary(), epochs);
        }
        out.println();
        out.println("methods (--methods, comma-separated; default float,quant8,octal8):");
        out.println(MethodNames.GRAMMAR);
        out.println("  examples: float, quant8, octal8, quant4, int8-pc, int4-pc-maxabs-stochastic, int8-minmax-zero");
        out.println();
        out.println("models (--model):");
        out.println("  mlp   784 -> 128 ReLU -> 10                                  101,770 parameters");
        out.println("  cnn   conv3x3(C->32) ReLU maxpool2 -> conv3x3(32->64) ReLU maxpool2 -> linear 64 ReLU -> 10");
        out.println("        3x32x32 input (cifar10): 282,250 parameters; 1x28x28 (mnist, fashion-mnist): 220,234");
        out.println("  regression: 10 -> 64 ReLU -> 1 (769 parameters), mean squared error");
        out.println();
        out.println("modes (--mode): qat (default), storage, ptq");
    }
}
