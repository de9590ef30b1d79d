package octoquant.experiments.launch;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class VectorRelaunchTest {

    @Test
    void childCommandAddsTheModuleKeepsJvmArgsAndArgumentsInOrder() {
        List<String> cmd = VectorRelaunch.childCommand("/usr/bin/java", List.of("-Xmx2g", "-Dfoo=bar"),
                "experiments.jar", "octoquant.experiments.Main", new String[] {"mnist", "--epochs", "1"}, 4242);
        assertEquals(List.of("/usr/bin/java", "--add-modules", "jdk.incubator.vector", "-Doctoquant.relaunched=true",
                "-Doctoquant.launcher=4242", "-Xmx2g", "-Dfoo=bar", "-cp", "experiments.jar", "octoquant.experiments.Main", "mnist", "--epochs", "1"),
                cmd);
    }

    @Test
    void noRelaunchWhenTheModuleIsAlreadyThere() {
        // Surefire runs this JVM with --add-modules jdk.incubator.vector (parent pom).
        assertTrue(ModuleLayer.boot().findModule(VectorRelaunch.MODULE).isPresent());
        assertFalse(VectorRelaunch.shouldRelaunch());
    }
}
