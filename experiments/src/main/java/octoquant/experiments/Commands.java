package octoquant.experiments;

import octoquant.experiments.cli.Options;
import octoquant.experiments.commands.ListCommand;
import octoquant.experiments.commands.QuantizeCommand;

import java.io.PrintStream;

/** Dispatches a parsed command line to the command that runs it. */
final class Commands {
    private Commands() {}

    static void run(Options o, PrintStream out, PrintStream err) throws Exception {
        switch (o.experiment) {
            case LIST -> ListCommand.run(out);
            case QUANTIZE -> QuantizeCommand.run(o, out);
            case GRADIENTS -> octoquant.experiments.commands.GradientsCommand.run(o, out);
            case AUDIT -> octoquant.experiments.commands.AuditCommand.run(o, out);
            case MERGE -> octoquant.experiments.commands.MergeCommand.run(o, out);
            default -> octoquant.experiments.commands.TrainCommand.run(o, out);
        }
    }
}
