package dev.gradlab.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** What the service logs at startup: the host line, and a warning when the JIT setting slows training. */
@ExtendWith(OutputCaptureExtension.class)
class HostReportTest {

    private static HostDescription host(JitMode jit) {
        return host(jit, 0);
    }

    private static HostDescription host(JitMode jit, long residentCheckMegabytes) {
        return new HostDescription(
                HostDescription.Cpu.parse("processor : 0\nmodel name : Test CPU\nflags : avx2 fma\n"),
                2,
                "HASWELL",
                "Haswell",
                "1",
                "Java 17",
                jit,
                "Parallel",
                1024,
                residentCheckMegabytes);
    }

    @Test
    void logsTheHostLine(CapturedOutput output) {
        HostDescription host = host(JitMode.of("4", "true", "DEFAULT", "mixed mode"));
        HostReport.report(host, LoggerFactory.getLogger(HostReport.class));
        assertThat(output.getOut()).contains("INFO").contains(host.line());
        assertThat(output.getOut()).doesNotContain("WARN");
    }

    @Test
    void warnsWhenJavacppChecksResidentMemory(CapturedOutput output) {
        HostReport.report(
                host(JitMode.of("4", "true", "DEFAULT", "mixed mode"), 2048),
                LoggerFactory.getLogger(HostReport.class));
        assertThat(output.getOut())
                .contains("WARN")
                .contains("resident-memory check is on (-Dorg.bytedeco.javacpp.maxphysicalbytes=2048m)");
    }

    @Test
    void warnsWhenOnlyC1Compiles(CapturedOutput output) {
        HostReport.report(
                host(JitMode.of("1", "true", "VM_CREATION", "mixed mode")), LoggerFactory.getLogger(HostReport.class));
        assertThat(output.getOut())
                .contains("WARN")
                .contains("JIT C1 only (-XX:TieredStopAtLevel=1) (set by the java command line)")
                .contains("optimised launch");
    }

    @Test
    void warnsUnderTheInterpreter(CapturedOutput output) {
        HostReport.report(
                host(JitMode.of("4", "true", "DEFAULT", "interpreted mode")),
                LoggerFactory.getLogger(HostReport.class));
        assertThat(output.getOut()).contains("WARN").contains("interpreter only (-Xint) (set by the JVM's options)");
    }

    /** The component reports when the application has started, with this process's real host. */
    @Test
    void reportsOnceTheApplicationHasStarted(CapturedOutput output) {
        new ApplicationContextRunner().withUserConfiguration(HostReport.class).run(context -> {
            assertThat(output.getOut()).doesNotContain("host: ");
            context.publishEvent(
                    new ApplicationStartedEvent(new SpringApplication(), new String[0], context, Duration.ZERO));
            assertThat(output.getOut()).contains("host: ").contains("OpenBLAS");
        });
    }
}
