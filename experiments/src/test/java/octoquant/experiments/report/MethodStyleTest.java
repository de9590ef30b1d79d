package octoquant.experiments.report;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class MethodStyleTest {

    @Test
    void theSeedsMethodsAndTheIntRoundingsHaveTheirOwnColours() {
        assertEquals("#000000", MethodStyle.of("float", "qat").colour());
        assertEquals("#0072B2", MethodStyle.of("quant8", "qat").colour());
        assertEquals("#D55E00", MethodStyle.of("octal8", "qat").colour());
        assertEquals("#009E73", MethodStyle.of("int8-pc", "storage").colour());
        assertEquals("#CC79A7", MethodStyle.of("int8-fixed-zero", "storage").colour());
        assertEquals("#E69F00", MethodStyle.of("int4-pc-stochastic", "storage").colour());
        assertEquals("#56B4E9", MethodStyle.of("int6-floor", "ptq").colour());
        Set<String> colours = new HashSet<>();
        for (MethodStyle.Swatch s : MethodStyle.palette()) colours.add(s.colour());
        assertEquals(MethodStyle.palette().size(), colours.size(), "one colour per family");
        assertFalse(colours.contains(MethodStyle.of("no-such-method", "qat").colour()), "an unknown name borrows no colour");
    }

    @Test
    void theModeIsTheDashPatternAndTheWidthTheMarker() {
        assertNull(MethodStyle.of("quant8", "storage").dash());
        assertEquals(MethodStyle.QAT_DASH, MethodStyle.of("quant8", "qat").dash());
        assertEquals(MethodStyle.PTQ_DASH, MethodStyle.of("quant8", "ptq").dash());
        assertNull(MethodStyle.of("float", "qat").dash(), "no mode applies to float");
        assertEquals(MethodStyle.Marker.NONE, MethodStyle.of("float", "qat").marker());
        assertEquals(MethodStyle.Marker.CIRCLE, MethodStyle.of("octal8", "qat").marker());
        assertEquals(MethodStyle.Marker.SQUARE, MethodStyle.of("int4", "qat").marker());
        assertEquals(MethodStyle.Marker.TRIANGLE, MethodStyle.of("int6-zero", "qat").marker());
        assertTrue(MethodStyle.of("int8-pc", "qat").hollow(), "per-channel: hollow marker");
        assertFalse(MethodStyle.of("int8", "qat").hollow());
    }

    @Test
    void labelsOfTheGradientsExperimentAndTheAuditReadAsSchemeAndMode() {
        assertEquals(MethodStyle.of("int4-nearest", "storage"), MethodStyle.ofLabel("storage int4 nearest"));
        assertEquals(MethodStyle.of("int8-nearest", "qat"), MethodStyle.ofLabel("qat int8 nearest"));
        assertEquals(MethodStyle.of("int6-zero", "storage"), MethodStyle.ofLabel("storage int6 zero"));
        assertEquals(MethodStyle.of("quant8", "storage"), MethodStyle.ofLabel("quant8 storage"));
        assertEquals(MethodStyle.of("octal8", "qat"), MethodStyle.ofLabel("octal8 qat"));
        assertEquals(MethodStyle.of("int8-fixed-zero", "storage"), MethodStyle.ofLabel("int8-fixed-zero storage"));
        assertEquals(MethodStyle.of("float", ""), MethodStyle.ofLabel("float"));
        // The gradients experiment's "storage int4 nearest" and a run's int4 in storage mode look the same.
        assertEquals(MethodStyle.of("int4", "storage"), MethodStyle.ofLabel("storage int4 nearest"));
    }

    @Property
    void theColourDependsOnTheSchemeOnlyAndTheLookOnNothingButSchemeAndMode(@ForAll("methods") String method,
                                                                             @ForAll("modes") String mode) {
        MethodStyle s = MethodStyle.of(method, mode);
        assertEquals(s, MethodStyle.of(method, mode), "deterministic");
        assertEquals(s, MethodStyle.ofLabel(method + " " + mode), "label: scheme then mode");
        assertEquals(s, MethodStyle.ofLabel(mode + " " + method), "label: mode then scheme");
        for (String other : List.of("storage", "qat", "ptq", "")) {
            assertEquals(s.colour(), MethodStyle.of(method, other).colour(), "the mode never changes the colour");
            assertEquals(s.marker(), MethodStyle.of(method, other).marker());
        }
        assertTrue(s.colour().matches("#[0-9A-F]{6}"));
    }

    @Provide
    Arbitrary<String> methods() {
        Arbitrary<Integer> bits = Arbitraries.integers().between(2, 16);
        Arbitrary<String> seed = Combinators.combine(Arbitraries.of("quant", "octal"), bits).as((k, b) -> k + b);
        Arbitrary<String> integer = Combinators.combine(bits, Arbitraries.of("", "-pc"),
                Arbitraries.of("", "-fixed", "-maxabs", "-minmax"), Arbitraries.of("", "-nearest", "-zero", "-floor", "-stochastic"))
                .as((b, pc, policy, rounding) -> "int" + b + pc + policy + rounding);
        return Arbitraries.oneOf(seed, integer, Arbitraries.just("float"));
    }

    @Provide
    Arbitrary<String> modes() {
        return Arbitraries.of("storage", "qat", "ptq");
    }

    @Property
    void labelsNeverOverlapAndStayInOrder(@ForAll("wanted") double[] wanted) {
        double gap = 15, min = 50, max = 300;
        double[] at = LabelLayout.spread(wanted, min, max, gap);
        for (int i = 0; i < at.length; i++) {
            assertTrue(at[i] >= min - 1e-9, "below the top");
            if (i > 0) assertTrue(at[i] - at[i - 1] >= gap - 1e-9, "labels " + (i - 1) + " and " + i + " overlap");
            if ((at.length - 1) * gap <= max - min) assertTrue(at[i] <= max + 1e-9, "inside when they fit");
        }
    }

    @Provide
    Arbitrary<double[]> wanted() {
        return Arbitraries.doubles().between(0, 350).array(double[].class).ofMinSize(0).ofMaxSize(20)
                .map(a -> {
                    java.util.Arrays.sort(a);
                    return a;
                });
    }
}
