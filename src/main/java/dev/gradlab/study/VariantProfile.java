package dev.gradlab.study;

import dev.gradlab.profile.GradientProfile;
import dev.gradlab.profile.Prediction;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One study variant's repeats profiled at the first or the last recorded iteration: each completed repeat's
 * profile, the median (min–max) of the fitted slope, its r² and each predicted slope, and the median log₁₀ norm at
 * each position (to overlay variants).
 */
public record VariantProfile(
        int index,
        Map<String, Object> values,
        List<RepeatProfile> repeats,
        StudyDetails.Statistic slope,
        StudyDetails.Statistic r2,
        Map<Prediction.Method, StudyDetails.Statistic> predictedSlopes,
        List<Integer> positions,
        List<Double> medianLog10Norms) {

    public record RepeatProfile(UUID jobId, int repeat, GradientProfile profile) {}
}
