package dev.gradlab.spec;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits that protect the machine, set under {@code gradlab.limits.*}. A spec over one is rejected with a
 * message that names the field and the property.
 */
@ConfigurationProperties("gradlab.limits")
public record SpecLimits(Long maxParameters, Long maxTotalIterations, Long maxDatasetValues) {

    public static final long DEFAULT_MAX_PARAMETERS = 4_000_000L;
    public static final long DEFAULT_MAX_TOTAL_ITERATIONS = 200_000L;
    /** Input floats of one dataset: 80 MB of heap (the split copies them once more while generating). */
    public static final long DEFAULT_MAX_DATASET_VALUES = 20_000_000L;

    public SpecLimits {
        maxParameters = maxParameters == null ? DEFAULT_MAX_PARAMETERS : maxParameters;
        maxTotalIterations = maxTotalIterations == null ? DEFAULT_MAX_TOTAL_ITERATIONS : maxTotalIterations;
        maxDatasetValues = maxDatasetValues == null ? DEFAULT_MAX_DATASET_VALUES : maxDatasetValues;
    }

    public static SpecLimits defaults() {
        return new SpecLimits(null, null, null);
    }
}
