package dev.gradlab.diagnosis;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gradlab.diagnosis.*}: the rules' thresholds. Every default is the published value (docs/DIAGNOSIS.md
 * names the source of each).
 *
 * @param window                        recorded points per series the rules look at (the latest), by their median
 * @param vanishingRatio                AUTOTRAINER β₁: ‖g_first‖/‖g_last‖ below this …
 * @param vanishingFirstNorm            … and AUTOTRAINER β₂: ‖g_first‖ below this is a vanishing gradient
 * @param explodingRatio                AUTOTRAINER β₃: ‖g_first‖/‖g_last‖ above this is an exploding gradient
 * @param deadFraction                  AUTOTRAINER γ / DeepDiagnosis: a layer with at least this share of dead
 *                                      units
 * @param saturatedFraction             DeepDiagnosis: a layer with more than this share of saturated
 *                                      pre-activations
 * @param updateRatioHigh               CS231n / DL4J: ‖ΔW‖/‖W‖ above this (log₁₀ −2) is too large a step
 * @param updateRatioLow                CS231n / DL4J: ‖ΔW‖/‖W‖ below this (log₁₀ −4) barely moves the layer
 * @param vanishingThroughTimeRatio     ‖∂L/∂x₁‖/‖∂L/∂x_T‖ below this …
 * @param vanishingThroughTimeFirstNorm … and ‖∂L/∂x₁‖ below this is vanishing through time (AUTOTRAINER's pair
 *                                      applied along time, Pascanu et al.'s measure)
 * @param explodingThroughTimeRatio     ‖∂L/∂x₁‖/‖∂L/∂x_T‖ above this is exploding through time
 * @param satisfiedProgress             the run learns once train and test accuracy are this share of the way
 *                                      from chance to 1 (explained variance for regression): AUTOTRAINER's
 *                                      satisfied accuracy Θ = 0.7 on its binary tasks is 0.4 of the way
 * @param judgmentPoint                 share of the epochs after which a run that has not learned is judged
 *                                      (AUTOTRAINER's judgment point); before it, findings are provisional
 * @param cacheSize                     finished jobs whose diagnosis this instance keeps in memory
 */
@ConfigurationProperties("gradlab.diagnosis")
public record DiagnosisProperties(
        Integer window,
        Double vanishingRatio,
        Double vanishingFirstNorm,
        Double explodingRatio,
        Double deadFraction,
        Double saturatedFraction,
        Double updateRatioHigh,
        Double updateRatioLow,
        Double vanishingThroughTimeRatio,
        Double vanishingThroughTimeFirstNorm,
        Double explodingThroughTimeRatio,
        Double satisfiedProgress,
        Double judgmentPoint,
        Integer cacheSize) {

    public DiagnosisProperties {
        window = positive("window", window, 10);
        vanishingRatio = positive("vanishing-ratio", vanishingRatio, 1e-3);
        vanishingFirstNorm = positive("vanishing-first-norm", vanishingFirstNorm, 1e-4);
        explodingRatio = positive("exploding-ratio", explodingRatio, 70.0);
        deadFraction = share("dead-fraction", deadFraction, 0.7);
        saturatedFraction = share("saturated-fraction", saturatedFraction, 0.5);
        updateRatioHigh = positive("update-ratio-high", updateRatioHigh, 1e-2);
        updateRatioLow = positive("update-ratio-low", updateRatioLow, 1e-4);
        vanishingThroughTimeRatio = positive("vanishing-through-time-ratio", vanishingThroughTimeRatio, 1e-3);
        vanishingThroughTimeFirstNorm =
                positive("vanishing-through-time-first-norm", vanishingThroughTimeFirstNorm, 1e-4);
        explodingThroughTimeRatio = positive("exploding-through-time-ratio", explodingThroughTimeRatio, 70.0);
        satisfiedProgress = share("satisfied-progress", satisfiedProgress, 0.4);
        judgmentPoint = share("judgment-point", judgmentPoint, 0.3);
        cacheSize = cacheSize == null ? 1000 : cacheSize;
        if (cacheSize < 0) {
            throw new IllegalArgumentException(
                    "gradlab.diagnosis.cache-size must be 0 or more (was " + cacheSize + ")");
        }
        if (updateRatioLow >= updateRatioHigh) {
            throw new IllegalArgumentException("gradlab.diagnosis.update-ratio-low (" + updateRatioLow
                    + ") must be below update-ratio-high (" + updateRatioHigh + ")");
        }
    }

    /** The published defaults. */
    public static DiagnosisProperties defaults() {
        return new DiagnosisProperties(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static Integer positive(String name, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException("gradlab.diagnosis." + name + " must be at least 1 (was " + value + ")");
        }
        return value;
    }

    private static Double positive(String name, Double value, double fallback) {
        if (value == null) {
            return fallback;
        }
        if (!(value > 0) || value.isInfinite()) {
            throw new IllegalArgumentException("gradlab.diagnosis." + name + " must be positive (was " + value + ")");
        }
        return value;
    }

    private static Double share(String name, Double value, double fallback) {
        if (value == null) {
            return fallback;
        }
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(
                    "gradlab.diagnosis." + name + " must be between 0 and 1 (was " + value + ")");
        }
        return value;
    }
}
