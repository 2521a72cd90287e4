package dev.gradlab.host;

import com.sun.management.VMOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The machine and JVM in one line, e.g. {@code host: AMD EPYC (family 26, model 2), 2 cores; avx2 fma avx512f;
 * OpenBLAS 0.3.19 kernels HASWELL (OPENBLAS_CORETYPE=Haswell); OMP_NUM_THREADS=1; Java 17.0.15 OpenJDK 64-Bit
 * Server VM, JIT C1+C2 (tiered), Parallel GC, heap max 2048 MB; javacpp resident-memory check off}. The service
 * logs it at startup and every benchmark prints it first: the same net trains 2.6× slower on OpenBLAS's SSE3
 * kernels than on its AVX-512 ones, so a figure without its CPU and kernels cannot be compared with another.
 *
 * @param cpu model, family and model number, the flags that matter, processors (from /proc/cpuinfo)
 * @param cores the processors this JVM may use (container limits included)
 * @param openBlasKernels the kernel set OpenBLAS chose in this process, e.g. "HASWELL", or why it is unknown
 * @param openBlasCoreType the OPENBLAS_CORETYPE environment variable (what asked for those kernels), or null
 * @param ompThreads the OMP_NUM_THREADS environment variable, or null
 * @param jvm Java version and VM name
 * @param jit the JIT compilers, see {@link JitMode}
 * @param collector the garbage collector (G1, Parallel, ...)
 * @param maxHeapMegabytes {@code Runtime.maxMemory()}
 * @param residentCheckMegabytes javacpp's {@code maxPhysicalBytes} (0: its per-allocation resident-memory check is
 *     off, see {@link NativeMemoryDefaults}; on, it slowed M1 1.6×)
 */
public record HostDescription(
        Cpu cpu,
        int cores,
        String openBlasKernels,
        String openBlasCoreType,
        String ompThreads,
        String jvm,
        JitMode jit,
        String collector,
        long maxHeapMegabytes,
        long residentCheckMegabytes) {

    /** nd4j's matrix multiply runs OpenBLAS kernels chosen by these: AVX2 + FMA (Haswell), AVX-512 (SkylakeX). */
    static final List<String> FLAGS_THAT_MATTER = List.of("avx2", "fma", "avx512f");

    /**
     * OpenBLAS's kernel sets for x86-64 (its {@code gotoblas_<NAME>} tables; a DYNAMIC_ARCH build holds the ones it
     * was built with, 0.3.19 in nd4j 1.0.0-M2.1 the first 18; the rest are newer or older builds' names).
     */
    private static final List<String> OPENBLAS_CORES = List.of(
            "PRESCOTT",
            "CORE2",
            "NEHALEM",
            "SANDYBRIDGE",
            "HASWELL",
            "SKYLAKEX",
            "COOPERLAKE",
            "ZEN",
            "BARCELONA",
            "BULLDOZER",
            "PILEDRIVER",
            "STEAMROLLER",
            "EXCAVATOR",
            "ATHLON",
            "KATMAI",
            "COPPERMINE",
            "NORTHWOOD",
            "BANIAS",
            "SAPPHIRERAPIDS",
            "PENRYN",
            "DUNNINGTON",
            "ATOM",
            "NANO",
            "OPTERON",
            "OPTERON_SSE3");

    private static final Map<String, String> COLLECTORS = Map.of(
            "UseParallelGC", "Parallel",
            "UseG1GC", "G1",
            "UseSerialGC", "Serial",
            "UseZGC", "ZGC",
            "UseShenandoahGC", "Shenandoah",
            "UseEpsilonGC", "Epsilon");

    /**
     * This process's host. Loads OpenBLAS (as nd4j would at its first operation; about 0.1–0.2 s) to read which
     * kernels it chose.
     */
    public static HostDescription current() {
        return new HostDescription(
                Cpu.current(),
                Runtime.getRuntime().availableProcessors(),
                readOpenBlasKernels(),
                System.getenv("OPENBLAS_CORETYPE"),
                System.getenv("OMP_NUM_THREADS"),
                "Java " + Runtime.version() + " " + System.getProperty("java.vm.name", ""),
                JitMode.current(),
                readCollector(),
                Runtime.getRuntime().maxMemory() >> 20,
                Pointer.maxPhysicalBytes() >> 20);
    }

    /** Prints {@link #line()}: {@code java -cp ... dev.gradlab.host.HostDescription}. */
    public static void main(String[] args) {
        System.out.println(current().line());
    }

    /** @return the description, one line starting with "host: " */
    public String line() {
        String processors = cpu.processors() > cores ? " (of " + cpu.processors() + ")" : "";
        return "host: " + cpu.describe() + ", " + cores + " cores" + processors
                + "; " + cpu.flagsThatMatter()
                + "; OpenBLAS "
                + openblas_nolapack.OPENBLAS_VERSION.replace("OpenBLAS", "").strip()
                + " kernels " + openBlasKernels
                + " (OPENBLAS_CORETYPE=" + (openBlasCoreType == null ? "unset" : openBlasCoreType) + ")"
                + "; OMP_NUM_THREADS=" + (ompThreads == null ? "unset" : ompThreads)
                + "; " + jvm + ", JIT " + jit.compilers() + ", " + collector + " GC, heap max " + maxHeapMegabytes
                + " MB; javacpp resident-memory check "
                + (residentCheckOn() ? "at " + residentCheckMegabytes + " MB" : "off");
    }

    /** javacpp reads the process's resident memory before every native allocation (slow; NativeMemoryDefaults). */
    public boolean residentCheckOn() {
        return residentCheckMegabytes > 0;
    }

    /**
     * The kernels OpenBLAS chose: its {@code gotoblas} pointer names one of its {@code gotoblas_<CORE>} tables
     * (what {@code OPENBLAS_VERBOSE=2} prints as "Core: ..."). OpenBLAS picks them once, when it is loaded, from
     * OPENBLAS_CORETYPE or else the CPU model, which 0.3.19 does not know for recent CPUs (an AMD family 26 got the
     * Barcelona kernels, a Xeon model 207 Prescott's).
     */
    static String readOpenBlasKernels() {
        try {
            Loader.load(openblas_nolapack.class);
            Pointer chosen = Loader.addressof("gotoblas");
            if (chosen == null) {
                return "unknown (no gotoblas symbol: not a DYNAMIC_ARCH OpenBLAS)";
            }
            long table = new LongPointer(chosen).get();
            for (String core : OPENBLAS_CORES) {
                Pointer candidate = Loader.addressof("gotoblas_" + core);
                if (candidate != null && candidate.address() == table) {
                    return core;
                }
            }
            return "unknown (not one of " + OPENBLAS_CORES.size() + " known kernel sets)";
        } catch (RuntimeException | LinkageError notLoadable) {
            return "unknown (OpenBLAS not loaded: " + notLoadable + ")";
        }
    }

    private static String readCollector() {
        for (Map.Entry<String, String> c : COLLECTORS.entrySet()) {
            VMOption option = JitMode.vmOption(c.getKey());
            if (option != null && "true".equals(option.getValue())) {
                return c.getValue();
            }
        }
        return "unknown";
    }

    /**
     * The CPU as /proc/cpuinfo describes its first processor.
     *
     * @param model "model name", e.g. "AMD EPYC" or "Intel(R) Xeon(R) Processor"
     * @param family "cpu family"
     * @param modelNumber "model" (with the family, what OpenBLAS recognises a CPU by)
     * @param flags its flags among {@link #FLAGS_THAT_MATTER}
     * @param processors how many processors the file lists
     */
    public record Cpu(String model, String family, String modelNumber, Set<String> flags, int processors) {

        static Cpu current() {
            try {
                return parse(Files.readString(Path.of("/proc/cpuinfo")));
            } catch (IOException | RuntimeException unreadable) {
                return new Cpu("unknown (no /proc/cpuinfo)", "?", "?", Set.of(), 0);
            }
        }

        static Cpu parse(String cpuinfo) {
            String model = null;
            String family = "?";
            String number = "?";
            Set<String> flags = Set.of();
            int processors = 0;
            for (String line : cpuinfo.split("\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (key.equals("processor")) {
                    processors++;
                } else if (processors == 1) { // the first processor's fields
                    switch (key) {
                        case "model name" -> model = value;
                        case "cpu family" -> family = value;
                        case "model" -> number = value;
                        case "flags" -> flags = new java.util.HashSet<>(List.of(value.split("\\s+")));
                        default -> {}
                    }
                }
            }
            Set<String> present = new java.util.LinkedHashSet<>();
            for (String flag : FLAGS_THAT_MATTER) {
                if (flags.contains(flag)) {
                    present.add(flag);
                }
            }
            return new Cpu(model == null ? "unknown model" : model, family, number, present, processors);
        }

        String describe() {
            return model + " (family " + family + ", model " + modelNumber + ")";
        }

        /** @return e.g. "avx2 fma avx512f" or "avx2 fma, no avx512f" */
        String flagsThatMatter() {
            List<String> absent = new ArrayList<>();
            List<String> present = new ArrayList<>();
            for (String flag : FLAGS_THAT_MATTER) {
                (flags.contains(flag) ? present : absent).add(flag);
            }
            String have = String.join(" ", present);
            String lack = absent.isEmpty() ? "" : "no " + String.join(", no ", absent);
            return have.isEmpty() ? lack : lack.isEmpty() ? have : have + ", " + lack;
        }
    }

    @Override
    public String toString() {
        return line();
    }
}
