package dev.gradlab.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The JIT mode read from HotSpot's flags, and whether it slows training. */
class JitModeTest {

    @Test
    void tieredUpToC2IsFullSpeed() {
        JitMode jit = JitMode.of("4", "true", "DEFAULT", "mixed mode, sharing");
        assertThat(jit.compilers()).isEqualTo("C1+C2 (tiered)");
        assertThat(jit.slowsTraining()).isFalse();
    }

    @Test
    void springBootsOptimisedLaunchIsC1OnlyAndSlow() {
        JitMode jit = JitMode.of("1", "true", "VM_CREATION", "mixed mode, sharing");
        assertThat(jit.compilers()).isEqualTo("C1 only (-XX:TieredStopAtLevel=1)");
        assertThat(jit.slowsTraining()).isTrue();
        assertThat(jit.origin()).isEqualTo("the java command line");
        assertThat(JitMode.of("3", "true", "ENVIRON_VAR", "mixed mode").origin())
                .isEqualTo("JAVA_TOOL_OPTIONS or _JAVA_OPTIONS");
        assertThat(JitMode.of("2", "true", "CONFIG_FILE", "mixed mode").origin())
                .isEqualTo("a -XX:Flags file");
    }

    @Test
    void interpreterOnlyIsSlow() {
        assertThat(JitMode.of("4", "true", "DEFAULT", "interpreted mode, sharing"))
                .isEqualTo(new JitMode("none, interpreter only (-Xint)", true, ""));
        JitMode levelZero = JitMode.of("0", "true", "VM_CREATION", "mixed mode");
        assertThat(levelZero.compilers()).isEqualTo("none, interpreter only (-XX:TieredStopAtLevel=0)");
        assertThat(levelZero.slowsTraining()).isTrue();
    }

    @Test
    void c2OnlyAndOtherVmsAreNotFlagged() {
        // Without tiered compilation C2 compiles everything hot: slower to warm up, not slower to train.
        assertThat(JitMode.of("1", "false", "VM_CREATION", "mixed mode").slowsTraining())
                .isFalse();
        assertThat(JitMode.of(null, null, "", "JRE 17 Linux amd64-64"))
                .isEqualTo(new JitMode("unknown (not HotSpot)", false, ""));
    }

    @Test
    void namesWhereTheSettingCameFrom() {
        assertThat(JitMode.of("1", "true", "MANAGEMENT", "mixed mode").origin()).isEqualTo("management");
        assertThat(JitMode.vmOption("NoSuchOptionInAnyJvm")).isNull();
        assertThat(JitMode.vmOption("TieredCompilation")).isNotNull();
    }

    /** The forked test JVMs (surefire's argLine) must run C2, like the service. */
    @Test
    void thisTestJvmRunsC2() {
        assertThat(JitMode.current().slowsTraining())
                .as("surefire's JVM: %s", JitMode.current())
                .isFalse();
    }

    /** current() reads the JVM's real flags: a JVM started with the optimised launch's flag reports C1 only. */
    @Test
    void aJvmStartedWithTheOptimisedLaunchFlagSaysSo() throws IOException, InterruptedException {
        assertThat(hostLineOfAJvmWith("-XX:TieredStopAtLevel=1")).contains("JIT C1 only (-XX:TieredStopAtLevel=1)");
        assertThat(hostLineOfAJvmWith("-XX:+UseSerialGC")).contains("JIT C1+C2 (tiered), Serial GC");
    }

    private static String hostLineOfAJvmWith(String flag) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        flag,
                        "-Xmx64m",
                        HostDescription.class.getName()))
                .redirectErrorStream(true);
        builder.environment()
                .put(
                        "CLASSPATH",
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines()
                .filter(l -> l.startsWith("host: "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(output));
    }
}
