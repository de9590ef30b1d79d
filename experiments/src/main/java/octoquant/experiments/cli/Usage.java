package octoquant.experiments.cli;

/** The usage text printed by {@code --help} and after every command-line error. */
public final class Usage {
    private Usage() {}

    public static String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: java -jar experiments.jar <experiment> [options]\n\n");
        sb.append("experiments:\n");
        for (Experiment e : Experiment.values()) {
            sb.append(String.format("  %-14s %s%n", e.cliName(), e.summary()));
        }
        sb.append("""

                options (training experiments):
                  --data DIR          dataset root (default: $OCTOQUANT_DATA, then ~/.cache/octoquant)
                  --out DIR           where results go (default results/<experiment>-<timestamp>)
                  --epochs N          epochs per run (default: regression 50, mnist/fashion-mnist/cifar10 20)
                  --seeds K           seeds per method (default 3)
                  --seed-offset N     first seed (default 0); spread seeds over machines, then merge
                  --batch-size N      mini-batch size (default 64)
                  --lr X              learning rate (default 0.001)
                  --optimizer NAME    adam|sgd (default adam)
                  --threads N         worker threads (default: all cores); results do not depend on it
                  --methods LIST      comma-separated (default float,quant8,octal8), see below
                  --mode MODE         qat|storage|ptq (default qat)
                  --model NAME        mlp|cnn (mnist, fashion-mnist; cifar10 is always cnn)
                  --limit-train N     use N training examples (class-balanced subset)
                  --limit-test N      use N test examples
                  --resume DIR        continue an interrupted run in DIR from its last checkpoint (the
                                      experiment may be left out: DIR's config.json names it)
                  --init-from FILE    start every run from the weights in FILE (safetensors, PyTorch names
                                      such as 0.weight, e.g. written by PyTorch) instead of the seed's
                options (audit):
                  --budget NAME       quick (about 20 min on 2 cores, default) | standard (about 3 h) | full
                  --data --out --seeds --epochs --limit-train --limit-test --threads  override the budget
                  --resume DIR        finish an interrupted audit (its configuration is DIR/audit.json)
                options (quantize):
                  --bits B            bit width (default 8)
                options (merge):
                  --out DIR           where the merged report goes
                general:
                  --help              this text
                  --debug             print stack traces of internal errors

                methods:
                """);
        sb.append(MethodNames.GRAMMAR).append('\n');
        sb.append("""

                modes:
                  qat       fp32 master weights; the forward and backward passes use the quantized copy
                  storage   no fp32 copy: each update is re-quantized (small updates can vanish)
                  ptq       train in fp32, quantize after training

                environment:
                  OCTOQUANT_DATA          dataset root when --data is not given
                  OCTOQUANT_VERIFY=structure  accept home-made files in the canonical formats (structure
                                          checks only, no canonical checksums, no download)
                  OCTOQUANT_DEBUG=1       stack traces for internal errors
                  -Doctoquant.relaunch=false  do not restart the JVM with the Vector API module
                  -Doctoquant.memoryCheck=false  skip the up-front heap estimate (OCTOQUANT_NO_MEMORY_CHECK=1)

                exit codes: 0 success, 1 failure (a full disk, memory, a bad checkpoint, internal), 2 bad command
                line or run refused (output folder in use, too little heap), 3 data problem, 130 Ctrl-C,
                143 SIGTERM (both stop between two batches: --resume continues)
                """);
        return sb.toString();
    }
}
