package dev.gradlab.spec;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits that protect the machine, set under {@code gradlab.limits.*}. A spec over one is rejected with a
 * message that names the field and the property.
 */
@ConfigurationProperties("gradlab.limits")
public record SpecLimits(Long maxParameters, Long maxTotalIterations, Long maxDatasetValues, Long maxActivationValues) {

    public static final long DEFAULT_MAX_PARAMETERS = 4_000_000L;
    public static final long DEFAULT_MAX_TOTAL_ITERATIONS = 200_000L;
    /** Input floats of one dataset: 80 MB of heap (the split copies them once more while generating). */
    public static final long DEFAULT_MAX_DATASET_VALUES = 20_000_000L;
    /**
     * Hidden activations of one training step (examples × hidden layers × width, × time steps for sequences):
     * what bounds a job's native memory. Measured peaks were 13–71 bytes of resident memory per value (a plain MLP
     * least, an LSTM most), so at most about 1.15 GB per job (docs/PERFORMANCE.md, "javacpp's resident-memory
     * check").
     */
    public static final long DEFAULT_MAX_ACTIVATION_VALUES = 16_000_000L;
    /** The most resident memory one activation value took in those measurements (an LSTM's 71, rounded up). */
    public static final long BYTES_PER_ACTIVATION_VALUE = 72;

    public SpecLimits {
        maxParameters = maxParameters == null ? DEFAULT_MAX_PARAMETERS : maxParameters;
        maxTotalIterations = maxTotalIterations == null ? DEFAULT_MAX_TOTAL_ITERATIONS : maxTotalIterations;
        maxDatasetValues = maxDatasetValues == null ? DEFAULT_MAX_DATASET_VALUES : maxDatasetValues;
        maxActivationValues = maxActivationValues == null ? DEFAULT_MAX_ACTIVATION_VALUES : maxActivationValues;
    }

    public static SpecLimits defaults() {
        return new SpecLimits(null, null, null, null);
    }
}
