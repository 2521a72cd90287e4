package dev.gradlab.study;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A study row. Stays inside this package: others see {@link StudyDetails} and {@link StudySummary}. */
@Entity
@Table(name = "study")
class Study {

    @Id
    private UUID id;

    /** Who may see the study (access.Caller's owner); its jobs have the same owner. */
    private String owner;

    private String name;
    private String baseSpec;
    private String vary;
    private int repeats;
    private int variantCount;
    private int jobCount;
    private Double targetLoss;
    private Instant createdAt;
    private Instant cancelledAt;

    protected Study() {}

    Study(
            UUID id,
            String owner,
            String name,
            String baseSpec,
            String vary,
            int repeats,
            int variantCount,
            Double targetLoss,
            Instant createdAt) {
        this.id = id;
        this.owner = owner;
        this.name = name;
        this.baseSpec = baseSpec;
        this.vary = vary;
        this.repeats = repeats;
        this.variantCount = variantCount;
        this.jobCount = variantCount * repeats;
        this.targetLoss = targetLoss;
        this.createdAt = createdAt;
    }

    UUID getId() {
        return id;
    }

    String getOwner() {
        return owner;
    }

    String getName() {
        return name;
    }

    String getBaseSpec() {
        return baseSpec;
    }

    String getVary() {
        return vary;
    }

    int getRepeats() {
        return repeats;
    }

    int getVariantCount() {
        return variantCount;
    }

    int getJobCount() {
        return jobCount;
    }

    Double getTargetLoss() {
        return targetLoss;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getCancelledAt() {
        return cancelledAt;
    }
}
