package octoquant.bench;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Whether C2 compiled any of octoquant's methods past its inlining cutoff with Vector API calls still to
 * inline. Past the cutoff C2 inlines even the Vector API's force-inlined methods late; a late call's result
 * has only its declared type ({@code FloatVector}), and whether the vector code after it stays intrinsic
 * then depends on the JVM's profile: in some JVMs it runs as the API's boxing Java fallback, two or more
 * times slower for the JVM's whole life (docs/decisions.md, session 21). A kernel written with the Vector
 * API must stay small enough that this never happens, and this finds the ones that do not:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar octoquant.bench.JitInliningAudit \
 *      [--model cnn|mlp] [--only train|infer] [--threads 2] [--seconds 4] [--warmup-seconds 6]
 * java ... octoquant.bench.JitInliningAudit --log hotspot.log
 * </pre>
 *
 * The first form runs {@link StepWatch} in a child JVM with {@code -XX:+LogCompilation} and reads its log;
 * the second reads a log written before. Prints one line per C2 compile of an {@code octoquant.} method
 * that inlined {@code jdk.incubator.vector} methods late, with their names and counts, and a last line
 * {@code audit clean} or {@code audit <n> compiles}. Exit code 0 when clean, 1 when not, 2 for bad
 * arguments or a log that cannot be read (one line on stderr).
 */
public final class JitInliningAudit {
    private JitInliningAudit() {}

    /** One C2 compile of an octoquant method and the Vector API methods it inlined late, by name. */
    record Finding(String compileId, boolean osr, String method, Map<String, Integer> lateCalls) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "late %s%s %s %s", compileId, osr ? " osr" : "", method, lateCalls);
        }
    }

    /** The findings, and every octoquant method C2 compiled (holder.name), so that "clean" can be told from "not compiled". */
    record Audit(List<Finding> findings, Set<String> compiled) {}

    public static void main(String[] args) {
        try {
            Options o = Options.parse(args);
            Audit audit = o.log != null ? audit(read(o.log)) : runAndAudit(o, System.out);
            System.exit(print(audit, System.out) ? 0 : 1);
        } catch (IllegalArgumentException e) {
            System.err.println("JitInliningAudit: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Prints the findings and the last line; true when there were none. */
    static boolean print(Audit audit, PrintStream out) {
        List<Finding> findings = audit.findings();
        for (Finding f : findings) out.println(f);
        out.println((findings.isEmpty() ? "audit clean" : "audit " + findings.size() + " compiles")
                + " (" + audit.compiled().size() + " octoquant methods compiled by C2)");
        return findings.isEmpty();
    }

    /** Runs {@link StepWatch} with {@code o}'s workload in a child JVM that logs its compiles, and audits the log. */
    static Audit runAndAudit(Options o, PrintStream out) {
        Path log;
        try {
            log = Files.createTempFile("octoquant-jit-", ".log");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create a temporary file for the compilation log: " + e.getMessage());
        }
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = List.of(java, "--add-modules", "jdk.incubator.vector", "-XX:+UnlockDiagnosticVMOptions",
                    "-XX:+LogCompilation", "-XX:LogFile=" + log, "-cp", System.getProperty("java.class.path"),
                    StepWatch.class.getName(), "--model", o.model, "--only", o.only, "--threads", Integer.toString(o.threads),
                    "--seconds", Double.toString(o.seconds), "--window", Double.toString(o.seconds),
                    "--warmup-seconds", Double.toString(o.warmupSeconds));
            out.printf(Locale.ROOT, "# %s %s, threads %d, %.1f s after %.1f s of warm-up, in a child JVM with -XX:+LogCompilation%n",
                    o.model, o.only, o.threads, o.seconds, o.warmupSeconds);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long limit = (long) (o.seconds + o.warmupSeconds) + 120;
            if (!p.waitFor(limit, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalArgumentException("the child JVM did not end within " + limit + " s");
            }
            if (p.exitValue() != 0) throw new IllegalArgumentException("the child JVM exited with code " + p.exitValue());
            return audit(read(log));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot start the child JVM: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted while the child JVM ran");
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // A temporary file left behind is harmless.
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the compilation log " + log + ": " + e.getMessage());
        }
    }

    /**
     * The findings in a HotSpot compilation log: C2 compiles (tasks without a {@code level}, or level 4) of
     * {@code octoquant.} methods whose {@code late_inline} entries name methods of {@code jdk.incubator.vector}
     * classes. The intrinsics themselves ({@code jdk.internal.vm.vector.VectorSupport}) are always inlined
     * late and are not counted. Method and class ids are local to each task.
     */
    static Audit audit(String log) {
        List<Finding> findings = new ArrayList<>();
        Set<String> compiled = new TreeSet<>();
        int at = 0;
        while (true) {
            int start = log.indexOf("<task ", at);
            if (start < 0) break;
            int headEnd = log.indexOf('>', start), end = log.indexOf("</task>", headEnd);
            if (headEnd < 0 || end < 0) break;
            String head = log.substring(start, headEnd), body = log.substring(headEnd, end);
            at = end;
            String method = attribute(head, "method"), level = attribute(head, "level");
            if (method == null || !method.startsWith("octoquant.") || (level != null && !level.equals("4"))) continue;
            String[] parts = method.split(" ");
            String name = parts.length > 1 ? parts[0] + "." + parts[1] : method;
            compiled.add(name);
            Map<String, String> klasses = ids(body, "<klass ", "name");
            Map<String, String> holders = ids(body, "<method ", "holder"), names = ids(body, "<method ", "name");
            Map<String, Integer> late = new TreeMap<>();
            for (int i = body.indexOf("<late_inline "); i >= 0; i = body.indexOf("<late_inline ", i + 1)) {
                String id = attribute(body.substring(i, body.indexOf('>', i)), "method");
                String klass = klasses.get(holders.get(id));
                if (klass != null && klass.startsWith("jdk.incubator.vector.")) {
                    late.merge(klass.substring("jdk.incubator.vector.".length()) + "." + names.get(id), 1, Integer::sum);
                }
            }
            if (!late.isEmpty()) {
                findings.add(new Finding(attribute(head, "compile_id"), "osr".equals(attribute(head, "compile_kind")), name, late));
            }
        }
        return new Audit(findings, compiled);
    }

    /** id → the given attribute, over the elements of {@code body} that start with {@code element}. */
    private static Map<String, String> ids(String body, String element, String attribute) {
        Map<String, String> map = new HashMap<>();
        for (int i = body.indexOf(element); i >= 0; i = body.indexOf(element, i + 1)) {
            String tag = body.substring(i, body.indexOf('>', i));
            String id = attribute(tag, "id"), value = attribute(tag, attribute);
            if (id != null && value != null) map.put(id, value);
        }
        return map;
    }

    /** The value of {@code name='…'} in a tag, or null. */
    private static String attribute(String tag, String name) {
        String key = " " + name + "='";
        int i = tag.indexOf(key);
        if (i < 0) return null;
        int from = i + key.length(), to = tag.indexOf('\'', from);
        return to < 0 ? null : tag.substring(from, to);
    }

    /** The command line, checked. */
    static final class Options {
        Path log;
        String model = "cnn";
        String only = "train";
        int threads = 2;
        double seconds = 4;
        double warmupSeconds = 6;

        static Options parse(String[] args) {
            Options o = new Options();
            OptionValues.pairs(args, 0, (flag, v) -> {
                switch (flag) {
                    case "--log": o.log = new File(v).toPath(); break;
                    case "--model": o.model = OptionValues.oneOf(flag, v, "cnn", "mlp"); break;
                    case "--only": o.only = OptionValues.oneOf(flag, v, "train", "infer"); break;
                    case "--threads": o.threads = OptionValues.positive(flag, v); break;
                    case "--seconds": o.seconds = OptionValues.seconds(flag, v); break;
                    case "--warmup-seconds": o.warmupSeconds = OptionValues.seconds(flag, v); break;
                    default:
                        throw new IllegalArgumentException("unknown option " + flag
                                + " (use --log, or --model, --only, --threads, --seconds, --warmup-seconds)");
                }
            });
            if (o.seconds <= 0) throw new IllegalArgumentException("--seconds must be positive");
            if (o.log != null && !Files.isReadable(o.log)) {
                throw new IllegalArgumentException("--log " + o.log + " is not a readable file (write one with -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=...)");
            }
            return o;
        }
    }
}
