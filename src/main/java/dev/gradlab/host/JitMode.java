package dev.gradlab.host;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;

/**
 * Which JIT compilers this JVM runs with, and whether that slows training. Spring Boot's optimised launch
 * ({@code spring-boot:run} unless {@code optimizedLaunch} is false) adds {@code -XX:TieredStopAtLevel=1}: C1 only,
 * which starts faster but trained M1 jobs in 1.29× the time (issue #15); {@code -Xint} is far slower still.
 *
 * @param compilers what compiles the hot code, e.g. "C1+C2 (tiered)" or "C1 only (-XX:TieredStopAtLevel=1)"
 * @param slowsTraining true when C2 never compiles the training loop
 * @param origin where the setting came from when it slows training (command line, JAVA_TOOL_OPTIONS, ...), else ""
 */
public record JitMode(String compilers, boolean slowsTraining, String origin) {

    /** The JVM's effective settings (so JAVA_TOOL_OPTIONS and flag files count, not only the command line). */
    public static JitMode current() {
        VMOption level = vmOption("TieredStopAtLevel");
        VMOption tiered = vmOption("TieredCompilation");
        return of(
                level == null ? null : level.getValue(),
                tiered == null ? null : tiered.getValue(),
                level == null ? "" : level.getOrigin().toString(),
                System.getProperty("java.vm.info", ""));
    }

    /**
     * @param tieredStopAtLevel HotSpot's {@code TieredStopAtLevel} (4 = C2), null when not HotSpot
     * @param tieredCompilation HotSpot's {@code TieredCompilation}, null when not HotSpot
     * @param levelOrigin where {@code TieredStopAtLevel} was set (HotSpot's {@code VMOption.Origin})
     * @param vmInfo {@code java.vm.info}: "interpreted mode" under {@code -Xint}
     */
    static JitMode of(String tieredStopAtLevel, String tieredCompilation, String levelOrigin, String vmInfo) {
        if (vmInfo.contains("interpreted mode")) {
            return new JitMode("none, interpreter only (-Xint)", true, "");
        }
        if ("false".equals(tieredCompilation)) {
            return new JitMode("C2 only (-XX:-TieredCompilation)", false, "");
        }
        if (tieredStopAtLevel == null) {
            return new JitMode("unknown (not HotSpot)", false, "");
        }
        int level = Integer.parseInt(tieredStopAtLevel.trim());
        if (level >= 4) {
            return new JitMode("C1+C2 (tiered)", false, "");
        }
        String compilers = level == 0 ? "none, interpreter only" : "C1 only";
        return new JitMode(compilers + " (-XX:TieredStopAtLevel=" + level + ")", true, describe(levelOrigin));
    }

    private static String describe(String origin) {
        return switch (origin) {
            case "VM_CREATION" -> "the java command line";
            case "ENVIRON_VAR" -> "JAVA_TOOL_OPTIONS or _JAVA_OPTIONS";
            case "CONFIG_FILE" -> "a -XX:Flags file";
            default -> origin.toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** @return HotSpot's option, or null on another VM or for an option this one does not have */
    static VMOption vmOption(String name) {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotSpot == null ? null : hotSpot.getVMOption(name);
        } catch (IllegalArgumentException | UnsupportedOperationException notThisVm) {
            return null;
        }
    }
}
