package octoquant.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Backend selection, checked in fresh JVMs: with the module, without it (one actionable warning, scalar,
 * and no vector class ever loaded), and forced scalar by the system property; and the two providers
 * handing out their own form of every pair.
 */
class VectorizationProviderTest {
    /** Every class that links against the Vector API. */
    private static final List<String> VECTOR_CLASSES = List.of("octoquant.engine.vectorization.VectorProvider",
            "octoquant.engine.kernels.VectorKernels", "octoquant.engine.ops.VectorPoolPasses",
            "octoquant.engine.ops.VectorWinogradTransforms", "octoquant.engine.storage.VectorQuantKernels",
            "octoquant.engine.storage.VectorUpdateLoops");

    private record Run(String out, String err) {}

    private static Run runJvm(String... jvmArgs) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), VectorizationProvider.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "child JVM failed: " + err);
        return new Run(out.trim(), err);
    }

    private static long lines(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).count();
    }

    @Test
    void picksVectorWhenTheModuleIsThere() throws Exception {
        Run r = runJvm("--add-modules", "jdk.incubator.vector");
        assertTrue(r.out.startsWith("vector "), r.out);
        assertEquals(1, lines(r.err, "octoquant: kernels = vector"), r.err);
        assertEquals(0, lines(r.err, "WARNING octoquant") + lines(r.err, "octoquant: WARNING"), r.err);
    }

    @Test
    void fallsBackToScalarWithOneActionableWarningWithoutTheModule() throws Exception {
        Run r = runJvm("-verbose:class");
        assertTrue(r.out.lines().anyMatch(l -> l.startsWith("scalar ")), r.out);
        assertEquals(1, lines(r.err, "octoquant: WARNING"), r.err);
        assertEquals(1, lines(r.err, "--add-modules jdk.incubator.vector"), r.err);
        assertEquals(1, lines(r.err, "octoquant: kernels = scalar"), r.err);
        for (String c : VECTOR_CLASSES) assertEquals(0, lines(r.out, c + " "), c + " must not load");
    }

    @Test
    void systemPropertyForcesScalar() throws Exception {
        Run r = runJvm("--add-modules", "jdk.incubator.vector", "-Doctoquant.kernels=scalar", "-verbose:class");
        assertTrue(r.out.lines().anyMatch(l -> l.startsWith("scalar ")), r.out);
        assertEquals(1, lines(r.err, "octoquant: kernels = scalar"), r.err);
        for (String c : VECTOR_CLASSES) assertEquals(0, lines(r.out, c + " "), c + " must not load");
    }

    @Test
    void eachProviderHandsOutItsOwnFormOfEveryPair() {
        VectorizationProvider scalar = VectorizationProvider.scalar();
        VectorizationProvider vector = VectorizationProvider.vector().orElseThrow();
        for (Object o : List.of(scalar.kernels(), scalar.poolPasses(), scalar.winogradTransforms(), scalar.quantKernels())) {
            assertFalse(o.getClass().getSimpleName().startsWith("Vector"), o.getClass().getName());
        }
        for (Object o : List.of(vector.kernels(), vector.poolPasses(), vector.winogradTransforms(), vector.quantKernels())) {
            assertEquals("Vector" + o.getClass().getSuperclass().getSimpleName(), o.getClass().getSimpleName());
        }
        assertSame(VectorizationProvider.get(), VectorizationProvider.get());
    }

    @Test
    void describeNamesBackendAndWidth() {
        assertEquals("scalar (no SIMD)", VectorizationProvider.describe(VectorizationProvider.scalar().kernels()));
        Kernels v = VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow();
        assertEquals("vector (" + 32 * v.floatLanes() + "-bit vectors, " + v.floatLanes() + " float lanes)", VectorizationProvider.describe(v));
    }
}
