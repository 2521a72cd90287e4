package dev.gradlab.study;

import dev.gradlab.job.JobStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A study without its table: what it is, its status, and how many of its jobs are in each status (every status
 * present, 0 included). {@code owner}: who may see it (admins see every owner's).
 */
public record StudySummary(
        UUID id,
        String name,
        String owner,
        StudyStatus status,
        Instant createdAt,
        Instant cancelledAt,
        int repeats,
        int variantCount,
        int jobCount,
        Double targetLoss,
        Map<JobStatus, Long> jobStatusCounts) {}
