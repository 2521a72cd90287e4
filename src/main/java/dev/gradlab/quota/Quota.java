package dev.gradlab.quota;

/** The limits an owner or a key can reach; {@link #configName()} is its property under {@code gradlab.quotas}. */
public enum Quota {
    QUEUED_JOBS("queued-jobs"),
    ITERATIONS_PER_DAY("iterations-per-day"),
    DATASET_BYTES("dataset-bytes"),
    REQUEST_RATE("requests-per-second");

    private final String configName;

    Quota(String configName) {
        this.configName = configName;
    }

    /** The name clients see in a refusal, and the property that sets it. */
    public String configName() {
        return configName;
    }
}
