package dev.gradlab.study;

import dev.gradlab.job.JobStatus;
import dev.gradlab.spec.ExperimentSpec;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A study with its table: one row per variant. Numbers are as recorded (a ratio may be NaN or ±Infinity); how
 * that reaches JSON is the HTTP layer's business.
 *
 * @param base the base spec as it was sent (omitted fields stay omitted)
 * @param vary each varied path with its values, as sent, in order
 */
public record StudyDetails(
        StudySummary summary, ExperimentSpec base, Map<String, List<Object>> vary, List<VariantRow> variants) {

    /**
     * One variant: its values, its jobs (one per repeat) and its results aggregated over the repeats that completed
     * (SUCCEEDED or DIVERGED; a CANCELLED or FAILED job counts in no statistic).
     *
     * @param gradientRatioMeasure     what the ratio compares (the completed jobs' measure), or null before any
     * @param iterationsToTargetLoss   null when the study has no target loss
     */
    public record VariantRow(
            int index,
            Map<String, Object> values,
            List<VariantJob> jobs,
            int completed,
            int diverged,
            String gradientRatioMeasure,
            Statistic gradientRatioStart,
            Statistic gradientRatioEnd,
            Statistic finalTrainAccuracy,
            Statistic finalTestAccuracy,
            Statistic bestTestAccuracy,
            Statistic iterationsToTargetLoss,
            Statistic wallTimeMillis) {}

    public record VariantJob(UUID id, int repeat, JobStatus status) {}

    /**
     * A quantity over the completed repeats: median, min and max of its finite values ({@code n} of them; the
     * median of an even count is the mean of the middle two), the non-finite values left out of them, and
     * {@code missing}: completed repeats without a value (no epoch completed, the target loss never reached, no
     * statistics recorded). Median, min and max are null when n is 0.
     */
    public record Statistic(Double median, Double min, Double max, int n, int missing, List<Double> nonFinite) {

        static Statistic of(List<Double> values) {
            List<Double> finite = new java.util.ArrayList<>();
            List<Double> nonFinite = new java.util.ArrayList<>();
            int missing = 0;
            for (Double v : values) {
                if (v == null) {
                    missing++;
                } else if (Double.isFinite(v)) {
                    finite.add(v);
                } else {
                    nonFinite.add(v);
                }
            }
            finite.sort(null);
            int n = finite.size();
            if (n == 0) {
                return new Statistic(null, null, null, 0, missing, nonFinite);
            }
            double median = n % 2 == 1 ? finite.get(n / 2) : (finite.get(n / 2 - 1) + finite.get(n / 2)) / 2;
            return new Statistic(median, finite.get(0), finite.get(n - 1), n, missing, nonFinite);
        }
    }
}
