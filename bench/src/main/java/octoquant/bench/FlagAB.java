package octoquant.bench;

import octoquant.engine.kernels.Parallel;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Two code paths of one build side by side in one process: an experiment build puts the new path behind
 * a {@code static boolean} field, and this runs a reference model's training step (batch 64, the
 * {@link TrainStepFixture} step) with the field false and true by turns, a block of steps each, the order
 * of the two blocks alternating:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks.jar octoquant.bench.FlagAB CLASS FIELD \
 *      [--model cnn|mlp] [--threads 2] [--seconds 40] [--warmup-seconds 10] [--block 4]
 * </pre>
 *
 * The first step after each switch is not timed. Prints each side's median, lower quartile and lowest
 * step (wall ms), and over the pairs of consecutive blocks the geometric mean of true / false and how
 * many pairs the true side was faster in. The host's slow spells hit both sides of a pair alike, so a
 * change of 1–2% shows where fresh JVMs taking turns ({@code ab-step-cpu.sh}) spread ±15%; and unlike
 * {@link InterleavedAB} (two builds in one JVM) the same classes run both sides, so neither inherits the
 * other's JIT profile. Bad arguments: one line on stderr, exit code 2.
 */
public final class FlagAB {
    private FlagAB() {}

    public static void main(String[] args) {
        try {
            Options o = Options.parse(args);
            Field field = o.field();
            Parallel.setThreads(o.threads);
            TrainStepFixture f = new TrainStepFixture(o.model, 1);
            Rng rng = new Rng(2);
            float[] x = new float[64 * f.imageSize()];
            TrainStepFixture.fillGaussian(rng, x);
            Tensor batch = f.batch(x, 64);
            int[] labels = TrainStepFixture.randomLabels(rng, 64);
            Result r = measure(() -> f.step(batch, labels), on -> set(field, on), System::nanoTime,
                    o.seconds, o.warmupSeconds, o.block);
            r.print(System.out, o.className + "." + o.fieldName, o.model, o.threads);
        } catch (IllegalArgumentException e) {
            System.err.println("FlagAB: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void set(Field field, boolean on) {
        try {
            field.setBoolean(null, on);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Step times of both sides (ms, sorted) and the paired blocks' statistics. */
    static final class Result {
        final double[][] ms;
        final int pairs, trueFaster;
        final double geometricMean;

        Result(double[][] ms, int pairs, int trueFaster, double geometricMean) {
            this.ms = ms;
            this.pairs = pairs;
            this.trueFaster = trueFaster;
            this.geometricMean = geometricMean;
        }

        double median(int side) {
            return ms[side][ms[side].length / 2];
        }

        void print(PrintStream out, String what, String model, int threads) {
            out.printf(Locale.ROOT, "# %s, %s training step, %d thread(s), java %s%n", what, model, threads,
                    System.getProperty("java.version"));
            for (int side = 0; side < 2; side++) {
                double[] m = ms[side];
                out.printf(Locale.ROOT, "flag %-5s steps %d median %.3f q1 %.3f min %.3f ms%n", side == 1, m.length,
                        median(side), m[m.length / 4], m[0]);
            }
            out.printf(Locale.ROOT, "true/false: median %.3f min %.3f; paired blocks %d, true faster in %d, geometric mean %.3f%n",
                    median(1) / median(0), ms[1][0] / ms[0][0], pairs, trueFaster, geometricMean);
        }
    }

    /**
     * Runs {@code step} with the flag set by {@code set} false and true by turns, {@code block} timed steps
     * a side after one untimed step, for {@code seconds} of {@code clock} (ns) after {@code warmupSeconds}
     * of alternating warm-up; the first pair runs false then true, the next true then false, and so on.
     */
    static Result measure(Runnable step, Consumer<Boolean> set, LongSupplier clock, double seconds,
                          double warmupSeconds, int block) {
        long warmEnd = clock.getAsLong() + (long) (warmupSeconds * 1e9);
        boolean on = false;
        while (clock.getAsLong() < warmEnd) {
            set.accept(on = !on);
            for (int i = 0; i < block; i++) step.run();
        }
        double[][] ms = {new double[64], new double[64]};
        int[] n = new int[2];
        int pairs = 0, trueFaster = 0;
        double logSum = 0;
        long end = clock.getAsLong() + (long) (seconds * 1e9);
        while (pairs == 0 || clock.getAsLong() < end) {
            double[] blockMs = new double[2];
            for (int turn = 0; turn < 2; turn++) {
                int side = pairs % 2 == 0 ? turn : 1 - turn;
                set.accept(side == 1);
                step.run();
                for (int i = 0; i < block; i++) {
                    long t0 = clock.getAsLong();
                    step.run();
                    double d = (clock.getAsLong() - t0) / 1e6;
                    if (n[side] == ms[side].length) ms[side] = Arrays.copyOf(ms[side], 2 * n[side]);
                    ms[side][n[side]++] = d;
                    blockMs[side] += d;
                }
            }
            pairs++;
            if (blockMs[1] < blockMs[0]) trueFaster++;
            logSum += Math.log(blockMs[1] / blockMs[0]);
        }
        for (int side = 0; side < 2; side++) {
            ms[side] = Arrays.copyOf(ms[side], n[side]);
            Arrays.sort(ms[side]);
        }
        return new Result(ms, pairs, trueFaster, Math.exp(logSum / pairs));
    }

    /** The command line, checked. */
    static final class Options {
        String className, fieldName, model = "cnn";
        int threads = 2, block = 4;
        double seconds = 40, warmupSeconds = 10;

        static Options parse(String[] args) {
            if (args.length < 2 || args[0].startsWith("--") || args[1].startsWith("--")) {
                throw new IllegalArgumentException("usage: FlagAB CLASS FIELD [--model cnn|mlp] [--threads N] [--seconds S]"
                        + " [--warmup-seconds S] [--block N] (CLASS.FIELD: a static boolean of the build on the classpath)");
            }
            Options o = new Options();
            o.className = args[0];
            o.fieldName = args[1];
            OptionValues.pairs(args, 2, (flag, v) -> {
                switch (flag) {
                    case "--model": o.model = OptionValues.oneOf(flag, v, "cnn", "mlp"); break;
                    case "--threads": o.threads = OptionValues.positive(flag, v); break;
                    case "--block": o.block = OptionValues.positive(flag, v); break;
                    case "--seconds": o.seconds = OptionValues.seconds(flag, v); break;
                    case "--warmup-seconds": o.warmupSeconds = OptionValues.seconds(flag, v); break;
                    default:
                        throw new IllegalArgumentException("unknown option " + flag
                                + " (use --model, --threads, --seconds, --warmup-seconds, --block)");
                }
            });
            if (o.seconds <= 0) throw new IllegalArgumentException("--seconds must be positive");
            return o;
        }

        /** The named field: static, boolean, not final; made accessible. */
        Field field() {
            Field f;
            try {
                f = Class.forName(className).getDeclaredField(fieldName);
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("no class " + className + " on the classpath (give the experiment build's jar with -cp)");
            } catch (NoSuchFieldException e) {
                throw new IllegalArgumentException(className + " has no field " + fieldName);
            }
            int mods = f.getModifiers();
            if (f.getType() != boolean.class || !Modifier.isStatic(mods) || Modifier.isFinal(mods)) {
                throw new IllegalArgumentException(className + "." + fieldName + " must be a static, non-final boolean");
            }
            f.setAccessible(true);
            return f;
        }
    }
}
