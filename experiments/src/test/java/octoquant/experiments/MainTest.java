package octoquant.experiments;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** In-process checks of exit codes and messages; the process-level tests are in the e2e package. */
class MainTest {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badCommandLineExitsTwoWithOneLineThenUsage() {
        Result r = run("mnist", "--epochs", "zero");
        assertEquals(2, r.code());
        String[] lines = r.err().split("\n");
        assertEquals("error: option --epochs needs a whole number, got 'zero'", lines[0]);
        assertEquals("", lines[1]);
        assertTrue(lines[2].startsWith("usage: java -jar experiments.jar"), lines[2]);
        assertFalse(r.err().contains("Exception"), "no stack trace for a user error");
        assertEquals("", r.out());
    }

    @Test
    void helpExitsZeroOnStdout() {
        Result r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--methods LIST"));
        assertTrue(r.out().contains("int<B>[-pc]"));
        assertEquals("", r.err());
    }

    @Test
    void quantizeShowsTheSeedsNumbers() {
        Result r = run("quantize", "0.75", "--bits", "8");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*nearest-even\\s+191\\s+0o277\\s+0\\.74901961.*"), r.out());
        assertTrue(r.out().matches("(?s).*toward-zero\\s+191\\s+0o277.*"), r.out());
        Result seed = run("quantize", "0.03279644", "0.37225065", "0.03883055", "0.32002673", "0.37683514");
        for (String expected : new String[] {"nearest-even\\s+8\\s+0o10", "nearest-even\\s+95\\s+0o137",
                "nearest-even\\s+10\\s+0o12", "nearest-even\\s+82\\s+0o122", "nearest-even\\s+96\\s+0o140",
                "toward-zero\\s+8\\s+0o10", "toward-zero\\s+94\\s+0o136", "toward-zero\\s+9\\s+0o11",
                "toward-zero\\s+81\\s+0o121", "toward-zero\\s+96\\s+0o140"}) {
            assertTrue(seed.out().matches("(?s).*" + expected + ".*"), expected + " in\n" + seed.out());
        }
    }

    @Test
    void anOutputPathThatIsAFileIsOneClearLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("taken"), "x");
        Result r = run("regression", "--epochs", "1", "--seeds", "1", "--methods", "float", "--out", file.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: cannot use " + file), r.err());
        assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), r.err());
    }

    @Test
    void listNamesEveryExperimentAndTheModels() {
        Result r = run("list");
        assertEquals(0, r.code());
        for (String s : new String[] {"regression", "mnist", "fashion-mnist", "cifar10", "gradients", "quantize",
                "merge", "101,770", "282,250", "octal8"}) {
            assertTrue(r.out().contains(s), s);
        }
    }
}
