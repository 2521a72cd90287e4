package dev.gradlab.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The host line: CPU from /proc/cpuinfo, the OpenBLAS kernels read from OpenBLAS itself, the JVM. */
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class HostDescriptionTest {

    private static final String XEON = """
            processor	: 0
            vendor_id	: GenuineIntel
            cpu family	: 6
            model		: 207
            model name	: Intel(R) Xeon(R) Processor
            flags		: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512cd avx512bw
            bogomips	: 4200.00

            processor	: 1
            vendor_id	: GenuineIntel
            cpu family	: 6
            model		: 207
            model name	: Intel(R) Xeon(R) Processor
            flags		: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512cd avx512bw
            """;

    /** Zen 2: AVX2 and FMA, no AVX-512 (the EPYC of issue #15's native-build measurements). */
    private static final String EPYC_ZEN2 = """
            processor	: 0
            vendor_id	: AuthenticAMD
            cpu family	: 23
            model		: 49
            model name	: AMD EPYC 7B12
            flags		: fpu sse sse2 fma avx avx2 sse4a
            """;

    @Test
    void readsTheFirstProcessorAndCountsThemAll() {
        HostDescription.Cpu cpu = HostDescription.Cpu.parse(XEON);
        assertThat(cpu.model()).isEqualTo("Intel(R) Xeon(R) Processor");
        assertThat(cpu.family()).isEqualTo("6");
        assertThat(cpu.modelNumber()).isEqualTo("207");
        assertThat(cpu.flags()).containsExactly("avx2", "fma", "avx512f");
        assertThat(cpu.processors()).isEqualTo(2);
        assertThat(cpu.describe()).isEqualTo("Intel(R) Xeon(R) Processor (family 6, model 207)");
        assertThat(cpu.flagsThatMatter()).isEqualTo("avx2 fma avx512f");
    }

    @Test
    void namesTheFlagsACpuLacks() {
        assertThat(HostDescription.Cpu.parse(EPYC_ZEN2).flagsThatMatter()).isEqualTo("avx2 fma, no avx512f");
        assertThat(HostDescription.Cpu.parse("processor : 0\nflags : fpu sse sse2\n")
                        .flagsThatMatter())
                .isEqualTo("no avx2, no fma, no avx512f");
        HostDescription.Cpu nothing = HostDescription.Cpu.parse("");
        assertThat(nothing.describe()).isEqualTo("unknown model (family ?, model ?)");
        assertThat(nothing.processors()).isZero();
    }

    @Test
    void oneLineWithEverythingABenchFigureDependsOn() {
        HostDescription host = new HostDescription(
                HostDescription.Cpu.parse(XEON),
                2,
                "SKYLAKEX",
                "SkylakeX",
                "1",
                "Java 17.0.15 OpenJDK 64-Bit Server VM",
                JitMode.of("4", "true", "DEFAULT", "mixed mode"),
                "Parallel",
                2048,
                0);
        assertThat(host.line())
                .isEqualTo("host: Intel(R) Xeon(R) Processor (family 6, model 207), 2 cores; avx2 fma avx512f;"
                        + " OpenBLAS 0.3.19 kernels SKYLAKEX (OPENBLAS_CORETYPE=SkylakeX); OMP_NUM_THREADS=1;"
                        + " Java 17.0.15 OpenJDK 64-Bit Server VM, JIT C1+C2 (tiered), Parallel GC, heap max 2048 MB;"
                        + " javacpp resident-memory check off")
                .doesNotContain("\n");
        HostDescription inContainer = new HostDescription(
                HostDescription.Cpu.parse(XEON), 1, "HASWELL", null, null, "Java 17", host.jit(), "G1", 512, 1024);
        assertThat(inContainer.toString())
                .contains("1 cores (of 2)")
                .contains("(OPENBLAS_CORETYPE=unset)")
                .contains("OMP_NUM_THREADS=unset");
        assertThat(inContainer.line()).endsWith("javacpp resident-memory check at 1024 MB");
    }

    /** What bench scripts can print: java -cp ... dev.gradlab.host.HostDescription. */
    @Test
    void mainPrintsTheLine(org.springframework.boot.test.system.CapturedOutput output) {
        HostDescription.main(new String[0]);
        assertThat(output.getOut()).startsWith("host: ").contains("OpenBLAS").endsWith(System.lineSeparator());
    }

    @Test
    void thisMachine() {
        HostDescription host = HostDescription.current();
        assertThat(host.line()).startsWith("host: ").doesNotContain("\n");
        assertThat(host.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(host.collector()).isNotEqualTo("unknown");
        // nd4j's linux-x86_64 OpenBLAS is a DYNAMIC_ARCH build: the kernels it chose are one of its known sets.
        assertThat(host.openBlasKernels()).doesNotStartWith("unknown");
        // OPENBLAS_CORETYPE (openblas-coretype.sh sets it by the CPU's flags) decides them when the CPU has the
        // instructions: the reading is OpenBLAS's own choice, not the variable echoed.
        String asked = System.getenv("OPENBLAS_CORETYPE");
        Set<String> flags = host.cpu().flags();
        if (("Haswell".equalsIgnoreCase(asked) && flags.contains("avx2"))
                || ("SkylakeX".equalsIgnoreCase(asked) && flags.contains("avx512f"))
                || "Prescott".equalsIgnoreCase(asked)) {
            assertThat(host.openBlasKernels()).isEqualTo(asked.toUpperCase(Locale.ROOT));
        }
    }
}
