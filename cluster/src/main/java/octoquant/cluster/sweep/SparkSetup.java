package octoquant.cluster.sweep;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Spark configuration of a sweep, and starting Spark with it. */
final class SparkSetup {
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");

    private SparkSetup() {}

    /**
     * The sweep's configuration: what spark-submit set (system properties {@code spark.*}), then the command
     * line. Runs get {@code --run-cores} cores ({@code spark.task.cpus}); speculation is off (it would run a run
     * twice at once); the web UI is off unless asked for; an in-process master binds to 127.0.0.1 only; a cluster
     * master gets this program's jar for its executors unless {@code spark.jars} names the jars already.
     */
    static SparkConf conf(SweepSettings s) {
        SparkConf conf = new SparkConf(true);
        String master = s.master() != null ? s.master()
                : conf.get("spark.master", "local[" + Runtime.getRuntime().availableProcessors() + "]");
        conf.setMaster(master);
        conf.setIfMissing("spark.app.name", "octoquant sweep " + String.join(" ", s.experimentArgs()));
        s.sparkConf().forEach(conf::set);
        conf.set("spark.task.cpus", Integer.toString(s.runCores()));
        conf.setIfMissing("spark.speculation", "false");
        conf.setIfMissing("spark.ui.enabled", "false");
        Integer localCores = localCores(master);
        if (localCores != null) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            if (localCores < s.runCores()) {
                throw new SweepException(ExitCode.USAGE, "--run-cores " + s.runCores() + " is more than the "
                        + localCores + " core(s) of --master " + master);
            }
        } else if (!conf.contains("spark.jars")) {
            Path jar = ownJar();
            if (jar == null) {
                throw new SweepException(ExitCode.USAGE, "executors of " + master + " need the application jar: run "
                        + "from octoquant-cluster.jar or pass --conf spark.jars=<jar with this program>");
            }
            conf.set("spark.jars", jar.toUri().toString());
        }
        return conf;
    }

    /** The cores of an in-process master ({@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]}); else null. */
    static Integer localCores(String master) {
        Matcher m = LOCAL.matcher(master.strip());
        if (!m.matches()) return null;
        if (m.group(1) == null) return 1;
        if (m.group(1).equals("*")) return Runtime.getRuntime().availableProcessors();
        return Integer.parseInt(m.group(1));
    }

    /** Spark's {@code spark.hadoop.*} settings without the prefix: the Hadoop configuration of the output. */
    static Map<String, String> hadoopSettings(SparkConf conf) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Tuple2<String, String> kv : conf.getAllWithPrefix("spark.hadoop.")) settings.put(kv._1(), kv._2());
        return settings;
    }

    private static Path ownJar() {
        try {
            Path p = Path.of(SparkSetup.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    static JavaSparkContext start(SparkConf conf) {
        try {
            return new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            throw new SweepException(ExitCode.MASTER, "cannot start Spark with --master " + conf.get("spark.master")
                    + ": " + Failures.message(e), e);
        }
    }
}
