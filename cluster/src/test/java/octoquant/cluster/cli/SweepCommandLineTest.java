package octoquant.cluster.cli;

import octoquant.cluster.sweep.SweepSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepCommandLineTest {
    private static SweepSettings parse(String... args) throws CommandLineError {
        return SweepCommandLine.parse(args).settings();
    }

    @Test
    void optionsThenTheExperimentAfterDashDashOrItsName() throws CommandLineError {
        SweepSettings s = parse("--master", "spark://h:7077", "--out", "hdfs://nn/r", "--run-cores", "2", "--conf",
                "spark.executor.memory=2g", "--conf", "a=b=c", "--sync-interval", "2.5", "--", "mnist", "--seeds", "3");
        assertEquals("spark://h:7077", s.master());
        assertEquals("hdfs://nn/r", s.out());
        assertEquals(2, s.runCores());
        assertEquals(Map.of("spark.executor.memory", "2g", "a", "b=c"), s.sparkConf());
        assertEquals(2.5, s.syncSeconds());
        assertEquals(List.of("mnist", "--seeds", "3"), s.experimentArgs());
        assertEquals("octoquant.cluster.experiments.GridTasks", s.jobClass());

        SweepSettings t = parse("--out", "r", "mnist", "--debug");
        assertNull(t.master(), "unset: spark-submit's, else local[all cores]");
        assertEquals(List.of("mnist", "--debug"), t.experimentArgs(), "after the experiment's name, all is the experiment's");
        assertEquals(1, t.runCores());
        assertTrue(SweepCommandLine.parse(new String[] {"--help"}).help());
    }

    @Test
    void mistakesAreNamed() {
        assertEquals("--out is required: the directory (or URI) the sweep writes to and resumes from",
                assertThrows(CommandLineError.class, () -> parse("--", "mnist")).getMessage());
        assertEquals("no experiment given (e.g. sweep --out runs -- mnist --seeds 3)",
                assertThrows(CommandLineError.class, () -> parse("--out", "r")).getMessage());
        assertEquals("--master needs a value", assertThrows(CommandLineError.class, () -> parse("--out", "r", "--master")).getMessage());
        assertEquals("--conf x: expected KEY=VALUE", assertThrows(CommandLineError.class,
                () -> parse("--out", "r", "--conf", "x", "--", "mnist")).getMessage());
        assertEquals("--executor-timeout -1: expected a number of seconds > 0", assertThrows(CommandLineError.class,
                () -> parse("--out", "r", "--executor-timeout", "-1", "--", "mnist")).getMessage());
        assertTrue(assertThrows(CommandLineError.class, () -> parse("--out", "r", "--seeds", "3", "--", "mnist"))
                .getMessage().startsWith("unknown sweep option --seeds"));
    }
}
