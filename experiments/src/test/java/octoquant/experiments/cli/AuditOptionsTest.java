package octoquant.experiments.cli;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The audit's command line: its budget, the options that override it, and what it refuses. */
class AuditOptionsTest {

    @Test
    void budgetAndOverridesAreParsedAndRemembered() throws Exception {
        Options o = CliParser.parse(new String[] {"audit", "--budget", "standard", "--seeds", "7", "--limit-train=500"});
        assertEquals(Experiment.AUDIT, o.experiment);
        assertEquals("standard", o.budget);
        assertEquals(7, o.seeds);
        assertEquals(500, o.limitTrain);
        assertEquals(Set.of("--budget", "--seeds", "--limit-train"), o.given);
        assertEquals("quick", CliParser.parse(new String[] {"audit"}).budget);
    }

    @Test
    void badBudgetsAndForeignOptionsAreOneLineErrors() {
        assertEquals("option --budget must be one of quick|standard|full, got 'huge'",
                assertThrows(UsageException.class, () -> CliParser.parse(new String[] {"audit", "--budget", "huge"})).getMessage());
        assertEquals("option --methods does not apply to 'audit'",
                assertThrows(UsageException.class, () -> CliParser.parse(new String[] {"audit", "--methods", "quant8"})).getMessage());
        assertEquals("option --budget does not apply to 'mnist'",
                assertThrows(UsageException.class, () -> CliParser.parse(new String[] {"mnist", "--budget", "quick"})).getMessage());
        assertEquals("--resume uses the interrupted run's own configuration; drop --budget (only --threads and --data may change)",
                assertThrows(UsageException.class, () -> CliParser.parse(new String[] {"audit", "--resume", "x", "--budget", "full"}))
                        .getMessage());
    }
}
