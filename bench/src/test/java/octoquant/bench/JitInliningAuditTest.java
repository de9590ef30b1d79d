package octoquant.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JitInliningAuditTest {
    /** A task's ids are its own: the same id means another method in the next task. */
    private static final String LOG = String.join("\n",
            "<task compile_id='7' method='octoquant.engine.kernels.VectorKernels microWide (I[F)V' bytes='900' count='5'>",
            "<klass id='10' name='jdk.incubator.vector.FloatVector' flags='1'/>",
            "<klass id='11' name='jdk.internal.vm.vector.VectorSupport' flags='1'/>",
            "<method id='20' holder='10' name='fma' return='10' bytes='10'/>",
            "<method id='21' holder='11' name='ternaryOp' return='10' bytes='38'/>",
            "<late_inline method='20' inline_id='1'>", "</late_inline>",
            "<late_inline method='20' inline_id='2'>", "</late_inline>",
            "<late_inline method='21' inline_id='3'>", "</late_inline>",
            "</task>",
            "<task compile_id='8' compile_kind='osr' method='octoquant.engine.ops.VectorPoolPasses convFourChannels ([F)V' bytes='900' osr_bci='5'>",
            "<klass id='10' name='jdk.internal.vm.vector.VectorSupport' flags='1'/>",
            "<klass id='12' name='jdk.incubator.vector.Float512Vector' flags='1'/>",
            "<method id='20' holder='10' name='store' return='10' bytes='38'/>",
            "<method id='22' holder='12' name='rearrange' return='12' bytes='10'/>",
            "<late_inline method='20' inline_id='4'>", "</late_inline>",
            "<late_inline method='22' inline_id='5'>", "</late_inline>",
            "</task>",
            "<task compile_id='9' method='octoquant.engine.kernels.VectorKernels microNarrow (I[F)V' bytes='500' level='3'>",
            "<klass id='10' name='jdk.incubator.vector.FloatVector' flags='1'/>",
            "<method id='20' holder='10' name='fma' return='10' bytes='10'/>",
            "<late_inline method='20' inline_id='6'>", "</late_inline>",
            "</task>",
            "<task compile_id='10' method='java.util.HashMap get (Ljava/lang/Object;)Ljava/lang/Object;' bytes='20'>",
            "<klass id='10' name='jdk.incubator.vector.FloatVector' flags='1'/>",
            "<method id='20' holder='10' name='fma' return='10' bytes='10'/>",
            "<late_inline method='20' inline_id='7'>", "</late_inline>",
            "</task>",
            "<task compile_id='11' method='octoquant.engine.kernels.BlockedGemm computeUnit ([F)V' bytes='700'>",
            "</task>");

    @Test
    void countsLateVectorApiCallsInC2CompilesOfOctoquantMethodsOnly() {
        JitInliningAudit.Audit audit = JitInliningAudit.audit(LOG);
        List<JitInliningAudit.Finding> f = audit.findings();
        assertEquals(2, f.size(), f.toString());
        assertEquals("7", f.get(0).compileId());
        assertEquals("octoquant.engine.kernels.VectorKernels.microWide", f.get(0).method());
        assertEquals(Map.of("FloatVector.fma", 2), f.get(0).lateCalls()); // the intrinsic is not counted
        assertTrue(f.get(1).osr());
        assertEquals(Map.of("Float512Vector.rearrange", 1), f.get(1).lateCalls());
        // C1 compiles (level 3) and other packages are not audited; a clean C2 compile is still listed.
        assertEquals(List.of("octoquant.engine.kernels.BlockedGemm.computeUnit", "octoquant.engine.kernels.VectorKernels.microWide",
                "octoquant.engine.ops.VectorPoolPasses.convFourChannels"), List.copyOf(audit.compiled()));
    }

    /**
     * The real thing: C2 compiles the CNN's training step and the MLP's inference in a child JVM, and none
     * of the hot Vector API kernels passes the inlining cutoff (each of them compiled, so clean means clean).
     */
    @Test
    void theHotKernelsCompileWithoutLateVectorApiCalls() {
        JitInliningAudit.Options cnn = JitInliningAudit.Options.parse(
                new String[] {"--model", "cnn", "--only", "train", "--threads", "2", "--seconds", "1", "--warmup-seconds", "4"});
        JitInliningAudit.Audit a = JitInliningAudit.runAndAudit(cnn, System.out);
        assertEquals(List.of(), a.findings());
        for (String hot : List.of("octoquant.engine.kernels.VectorKernels.microWide",
                "octoquant.engine.ops.VectorPoolPasses.convFourChannels")) {
            assertTrue(a.compiled().contains(hot), hot + " was not compiled by C2: " + a.compiled());
        }
        JitInliningAudit.Options mlp = JitInliningAudit.Options.parse(
                new String[] {"--model", "mlp", "--only", "infer", "--threads", "1", "--seconds", "1", "--warmup-seconds", "3"});
        JitInliningAudit.Audit b = JitInliningAudit.runAndAudit(mlp, System.out);
        assertEquals(List.of(), b.findings());
        assertTrue(b.compiled().contains("octoquant.engine.kernels.VectorKernels.dotTileProducts"), b.compiled().toString());
    }

    @Test
    void refusesBadArgumentsWithWhatToFix() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> JitInliningAudit.Options.parse(new String[] {"--log", "/no/such/file.log"})).getMessage().contains("not a readable file"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> JitInliningAudit.Options.parse(new String[] {"--model", "resnet"})).getMessage().contains("--model must be"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> JitInliningAudit.Options.parse(new String[] {"--steps", "3"})).getMessage().contains("unknown option"));
    }
}
