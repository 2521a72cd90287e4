package dev.gradlab.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A job row. Stays inside this package: other packages see {@link JobDetails}. */
@Entity
@Table(name = "job")
class Job {

    @Id
    private UUID id;

    /** Who may see the job (access.Caller's owner); admins see every owner's. */
    private String owner;

    private String name;

    @Enumerated(EnumType.STRING)
    private JobStatus status;

    private String spec;
    private String idempotencyKey;
    private String requestHash;
    private Instant createdAt;
    private Instant startedAt;
    private Instant finishedAt;
    private long iteration;
    private long totalIterations;
    private int epoch;
    private Double finalLoss;
    private Double trainAccuracy;
    private Double testAccuracy;
    private Long divergedIteration;
    private String divergedLayer;
    private Integer divergedLayerIndex;
    private String divergedQuantity;

    @Column(length = 2000)
    private String error;

    private String worker;
    private int attempt;
    private boolean cancelRequested;
    private Long parameters;
    private Long wallTimeMillis;
    private String gradientRatioMeasure;
    private String gradientRatioNumerator;
    private String gradientRatioDenominator;
    private Long gradientRatioStartIteration;
    private Double gradientRatioStart;
    private Long gradientRatioEndIteration;
    private Double gradientRatioEnd;
    private UUID studyId;
    private Integer studyVariant;
    private Integer studyRepeat;

    @Column(length = 4000)
    private String studyValues;

    /** Submitted by an admin: its owner's running-jobs quota neither counts it nor holds it back. */
    private boolean quotaExempt;

    /** The uploaded dataset the job trains on, if any: a DELETE of it waits for, or is refused by, this job. */
    private UUID datasetId;

    /** Payload bytes of its stored measurements, set by each metric write (see JobDetails#storedBytes). */
    private long storedBytes;

    protected Job() {}

    Job(
            UUID id,
            String owner,
            String name,
            String spec,
            long totalIterations,
            long parameters,
            String idempotencyKey,
            String requestHash,
            Instant createdAt) {
        this(id, owner, name, spec, totalIterations, parameters, idempotencyKey, requestHash, createdAt, null);
    }

    /** @param datasetId the uploaded dataset the spec names (dataset.id), or null */
    Job(
            UUID id,
            String owner,
            String name,
            String spec,
            long totalIterations,
            long parameters,
            String idempotencyKey,
            String requestHash,
            Instant createdAt,
            UUID datasetId) {
        this.id = id;
        this.owner = owner;
        this.datasetId = datasetId;
        this.name = name;
        this.spec = spec;
        this.totalIterations = totalIterations;
        this.parameters = parameters;
        this.idempotencyKey = idempotencyKey;
        this.requestHash = requestHash;
        this.createdAt = createdAt;
        this.status = JobStatus.QUEUED;
    }

    /** Makes this new job one of a study's: its variant, repeat and the variant's values (a JSON object). */
    /** Quotas do not apply to this job: an admin submitted it. */
    void exemptFromQuotas() {
        this.quotaExempt = true;
    }

    boolean isQuotaExempt() {
        return quotaExempt;
    }

    void joinStudy(UUID studyId, int variant, int repeat, String valuesJson) {
        this.studyId = studyId;
        this.studyVariant = variant;
        this.studyRepeat = repeat;
        this.studyValues = valuesJson;
    }

    UUID getId() {
        return id;
    }

    String getOwner() {
        return owner;
    }

    UUID getDatasetId() {
        return datasetId;
    }

    String getName() {
        return name;
    }

    JobStatus getStatus() {
        return status;
    }

    String getSpec() {
        return spec;
    }

    String getIdempotencyKey() {
        return idempotencyKey;
    }

    String getRequestHash() {
        return requestHash;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getStartedAt() {
        return startedAt;
    }

    Instant getFinishedAt() {
        return finishedAt;
    }

    long getIteration() {
        return iteration;
    }

    long getTotalIterations() {
        return totalIterations;
    }

    int getEpoch() {
        return epoch;
    }

    Double getFinalLoss() {
        return finalLoss;
    }

    Double getTrainAccuracy() {
        return trainAccuracy;
    }

    Double getTestAccuracy() {
        return testAccuracy;
    }

    Long getDivergedIteration() {
        return divergedIteration;
    }

    String getDivergedLayer() {
        return divergedLayer;
    }

    Integer getDivergedLayerIndex() {
        return divergedLayerIndex;
    }

    String getDivergedQuantity() {
        return divergedQuantity;
    }

    String getError() {
        return error;
    }

    String getWorker() {
        return worker;
    }

    int getAttempt() {
        return attempt;
    }

    boolean isCancelRequested() {
        return cancelRequested;
    }

    Long getParameters() {
        return parameters;
    }

    Long getWallTimeMillis() {
        return wallTimeMillis;
    }

    String getGradientRatioMeasure() {
        return gradientRatioMeasure;
    }

    String getGradientRatioNumerator() {
        return gradientRatioNumerator;
    }

    String getGradientRatioDenominator() {
        return gradientRatioDenominator;
    }

    Long getGradientRatioStartIteration() {
        return gradientRatioStartIteration;
    }

    Double getGradientRatioStart() {
        return gradientRatioStart;
    }

    Long getGradientRatioEndIteration() {
        return gradientRatioEndIteration;
    }

    Double getGradientRatioEnd() {
        return gradientRatioEnd;
    }

    UUID getStudyId() {
        return studyId;
    }

    Integer getStudyVariant() {
        return studyVariant;
    }

    Integer getStudyRepeat() {
        return studyRepeat;
    }

    String getStudyValues() {
        return studyValues;
    }

    long getStoredBytes() {
        return storedBytes;
    }
}
