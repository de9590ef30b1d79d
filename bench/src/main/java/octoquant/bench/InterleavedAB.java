package octoquant.bench;

import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Two builds of octoquant in one JVM, taking turns: each jar's engine and bench classes are loaded by a
 * class loader of their own, each trains (or infers with) its own copy of a reference model on the same
 * batch, and the two run alternate blocks of steps, the order flipping every pair:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar octoquant.bench.InterleavedAB \
 *      A.jar B.jar [--model cnn|mlp] [--only train|infer] [--threads 2] [--seconds 60] [--block 10]
 *      [--warmup-seconds 8]
 * </pre>
 *
 * On a shared machine a core can run 1.4× slower for tens of seconds ({@link StepWatch}); builds timed in
 * separate JVMs one after the other meet different spells and their ratio moves ±30%. Blocks a few tenths
 * of a second apart meet the same one, so each pair's ratio of medians (B / A) is the measure, and a
 * sign test over the pairs says whether B is faster or slower than chance would make it. Both sides build
 * the same model from the same seed and take the same number of steps, so with the same floats they end
 * at the same loss (inference: the same output), and the {@code same_floats} line says whether they did. Each jar must contain octoquant's bench classes
 * (any {@code bench/target/benchmarks.jar}); their worker threads are separate teams, idle while the
 * other side runs. Prints {@code interleaved <model> <what> <figure> <value>} lines; others start with '#'.
 */
public final class InterleavedAB {
    private InterleavedAB() {}

    public static void main(String[] args) {
        try {
            run(Options.parse(args), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("InterleavedAB: " + e.getMessage());
            System.exit(2);
        }
    }

    static void run(Options o, PrintStream out) {
        Side a = new Side("A", o.classpathA, o), b = new Side("B", o.classpathB, o);
        String what = o.only.equals("train") ? "train_step" : "infer_batch";
        out.printf(Locale.ROOT, "# %s %s, threads %d, blocks of %d, %.0f s after %.0f s of warm-up, java %s%n",
                o.model, what, o.threads, o.block, o.seconds, o.warmupSeconds, System.getProperty("java.version"));
        out.println("# A = " + o.classpathA);
        out.println("# B = " + o.classpathB);
        long warmEnd = System.nanoTime() + (long) (o.warmupSeconds * 1e9);
        while (System.nanoTime() < warmEnd) {
            a.block(o.block);
            b.block(o.block);
        }
        List<double[]> pairs = new ArrayList<>(); // {median A, median B}
        long end = System.nanoTime() + (long) (o.seconds * 1e9);
        while (System.nanoTime() < end || pairs.isEmpty()) {
            boolean aFirst = pairs.size() % 2 == 0;
            double first = (aFirst ? a : b).block(o.block), second = (aFirst ? b : a).block(o.block);
            pairs.add(aFirst ? new double[] {first, second} : new double[] {second, first});
        }
        // The sides may have run different step counts in warm-up; even them up for the loss check.
        while (a.steps < b.steps) a.block(1);
        while (b.steps < a.steps) b.block(1);
        report(out, o.model, what, pairs, a, b);
    }

    private static void report(PrintStream out, String model, String what, List<double[]> pairs, Side a, Side b) {
        int n = pairs.size();
        double[] ratios = new double[n], medA = new double[n], medB = new double[n];
        int bFaster = 0, ties = 0;
        for (int i = 0; i < n; i++) {
            medA[i] = pairs.get(i)[0];
            medB[i] = pairs.get(i)[1];
            ratios[i] = medB[i] / medA[i];
            if (medB[i] < medA[i]) bFaster++;
            else if (medB[i] == medA[i]) ties++;
        }
        Arrays.sort(ratios);
        Arrays.sort(medA);
        Arrays.sort(medB);
        String p = "interleaved " + model + " " + what + " ";
        out.printf(Locale.ROOT, "%spairs %d%n", p, n);
        out.printf(Locale.ROOT, "%sA_median_ms %.3f%n%sB_median_ms %.3f%n", p, quantile(medA, 0.5), p, quantile(medB, 0.5));
        out.printf(Locale.ROOT, "%sratio_B_over_A_median %.4f%n%sratio_q1 %.4f%n%sratio_q3 %.4f%n",
                p, quantile(ratios, 0.5), p, quantile(ratios, 0.25), p, quantile(ratios, 0.75));
        out.printf(Locale.ROOT, "%spairs_B_faster %d%n%ssign_test_p %.3g%n", p, bFaster, p,
                signTestP(bFaster, n - ties));
        out.printf(Locale.ROOT, "%ssame_floats %s%n", p, a.last == b.last ? "yes" : "no");
        out.printf(Locale.ROOT, "# after %d steps each, %s: A %d, B %d%n", a.steps,
                a.train ? "the last loss's bits" : "a hash of the last output's floats", a.last, b.last);
    }

    /** The value at fraction q of sorted values (linear between neighbours). */
    static double quantile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int lo = (int) Math.floor(at), hi = (int) Math.ceil(at);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
    }

    /**
     * Two-sided sign test: the probability, if B were as likely faster as slower in each pair, of a split
     * at least as uneven as {@code k} of {@code n}. Exact binomial sums in log space (n may be thousands).
     */
    static double signTestP(int k, int n) {
        if (n == 0) return 1;
        int extreme = Math.min(k, n - k);
        double logHalfN = -n * Math.log(2), tail = 0;
        for (int i = 0; i <= extreme; i++) tail += Math.exp(logChoose(n, i) + logHalfN);
        return Math.min(1, 2 * tail);
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) s += Math.log((double) (n - k + i) / i);
        return s;
    }

    /** One build: its class loader, its model, its batch. */
    private static final class Side {
        final String name;
        final Object fixture, batch;
        final int[] labels;
        final Method step, forward, disableGrad, close;
        final Object net;
        final boolean train;
        int steps;
        /** The last loss's bits (training) or a hash of the last output's floats (inference). */
        long last;
        final Method data;

        Side(String name, String classpath, Options o) {
            this.name = name;
            this.train = o.only.equals("train");
            try {
                String[] entries = classpath.split(File.pathSeparator);
                URL[] urls = new URL[entries.length];
                for (int i = 0; i < entries.length; i++) urls[i] = new File(entries[i]).toURI().toURL();
                // The platform loader as parent: every octoquant class comes from this side's own entries.
                ClassLoader loader = new URLClassLoader("octoquant-" + name, urls, ClassLoader.getPlatformClassLoader());
                Class<?> fixtureClass = loader.loadClass("octoquant.bench.TrainStepFixture");
                Class<?> rngClass = loader.loadClass("octoquant.engine.util.Rng");
                Class<?> tensorClass = loader.loadClass("octoquant.engine.tensor.Tensor");
                loader.loadClass("octoquant.engine.kernels.Parallel").getMethod("setThreads", int.class).invoke(null, o.threads);
                Constructor<?> make = fixtureClass.getDeclaredConstructor(String.class, long.class);
                make.setAccessible(true);
                fixture = make.newInstance(o.model, 1L);
                Object rng = rngClass.getConstructor(long.class).newInstance(2L);
                Method imageSize = accessible(fixtureClass.getDeclaredMethod("imageSize"));
                float[] x = new float[64 * (int) imageSize.invoke(fixture)];
                accessible(fixtureClass.getDeclaredMethod("fillGaussian", rngClass, float[].class)).invoke(null, rng, x);
                batch = accessible(fixtureClass.getDeclaredMethod("batch", float[].class, int.class)).invoke(fixture, x, 64);
                labels = (int[]) accessible(fixtureClass.getDeclaredMethod("randomLabels", rngClass, int.class)).invoke(null, rng, 64);
                step = accessible(fixtureClass.getDeclaredMethod("step", tensorClass, int[].class));
                java.lang.reflect.Field netField = fixtureClass.getDeclaredField("net");
                netField.setAccessible(true);
                net = netField.get(fixture);
                forward = net.getClass().getMethod("forward", tensorClass);
                Class<?> grad = loader.loadClass("octoquant.engine.autograd.Grad");
                disableGrad = grad.getMethod("disabled");
                close = disableGrad.getReturnType().getMethod("close");
                data = tensorClass.getMethod("data");
            } catch (MalformedURLException | ReflectiveOperationException e) {
                throw new IllegalArgumentException(classpath + " is not a benchmarks.jar of octoquant with the classes this"
                        + " needs (" + e + "); build one with: mvn -B -ntp -pl bench -am package -DskipTests");
            }
        }

        private static Method accessible(Method m) {
            m.setAccessible(true);
            return m;
        }

        /** Runs {@code count} steps; returns their median wall milliseconds. */
        double block(int count) {
            double[] ms = new double[count];
            try {
                for (int i = 0; i < count; i++) {
                    long t0 = System.nanoTime();
                    if (train) {
                        last = Float.floatToIntBits((float) step.invoke(fixture, batch, labels));
                    } else {
                        Object scope = disableGrad.invoke(null);
                        try {
                            last = Arrays.hashCode((float[]) data.invoke(forward.invoke(net, batch)));
                        } finally {
                            close.invoke(scope);
                        }
                    }
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                    steps++;
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("side " + name + " failed", e.getCause() != null ? e.getCause() : e);
            }
            Arrays.sort(ms);
            return quantile(ms, 0.5);
        }
    }

    /** The command line, checked. */
    static final class Options {
        /** Each side's classes: a benchmarks.jar, or class directories and jars joined by the path separator. */
        String classpathA, classpathB;
        String model = "cnn";
        String only = "train";
        int threads = 2;
        int block = 10;
        double seconds = 60;
        double warmupSeconds = 8;

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> jars = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    jars.add(a);
                    continue;
                }
                String v = i + 1 < args.length ? args[++i] : null;
                if (v == null) throw new IllegalArgumentException("option " + a + " needs a value");
                switch (a) {
                    case "--model": o.model = OptionValues.oneOf(a, v, "cnn", "mlp"); break;
                    case "--only": o.only = OptionValues.oneOf(a, v, "train", "infer"); break;
                    case "--threads": o.threads = OptionValues.positive(a, v); break;
                    case "--block": o.block = OptionValues.positive(a, v); break;
                    case "--seconds": o.seconds = OptionValues.seconds(a, v); break;
                    case "--warmup-seconds": o.warmupSeconds = OptionValues.seconds(a, v); break;
                    default:
                        throw new IllegalArgumentException("unknown option " + a
                                + " (use --model, --only, --threads, --block, --seconds, --warmup-seconds)");
                }
            }
            if (jars.size() != 2) throw new IllegalArgumentException("give two jars, A and B (got " + jars.size() + ")");
            o.classpathA = jars.get(0);
            o.classpathB = jars.get(1);
            for (String cp : jars) {
                for (String entry : cp.split(File.pathSeparator)) {
                    if (!new File(entry).exists()) {
                        throw new IllegalArgumentException(entry + ": no such file (give a benchmarks.jar of octoquant)");
                    }
                }
            }
            return o;
        }
    }
}
