package dev.gradlab.job;

import dev.gradlab.spec.ExperimentSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A job as the rest of the service sees it (the entity stays in this package). Numbers are as stored: a loss may
 * be NaN or ±Infinity; how that reaches JSON is the HTTP layer's business.
 *
 * @param queuePosition while QUEUED, its place in the queue (1: the next to start), counted from the database
 *                      among all QUEUED jobs; null otherwise
 * @param outcome null until the job has finished
 * @param study   null unless the job is one of a study's
 * @param storedBytes payload bytes of the job's stored measurements: 16 a recorded point (iteration and value) and
 *                    8 a value of its per-step gradient vectors, as of its last metric write (about a second behind
 *                    training); the database's row and index overhead comes on top
 * @param owner   who may see it (access.Caller's owner); admins see every owner's
 * @param worker  the instance that runs or ran it (host and process): for admins' eyes only
 */
public record JobDetails(
        UUID id,
        String name,
        String owner,
        JobStatus status,
        Integer queuePosition,
        ExperimentSpec spec,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Progress progress,
        Outcome outcome,
        String error,
        String worker,
        int attempt,
        Long parameters,
        StudyMember study,
        long storedBytes) {

    /**
     * The study a job belongs to: its variant (0-based, in the study's order), its repeat (0-based), and the
     * variant's varied values, spec path → JSON value (numbers, booleans, strings, objects), in the study's order.
     */
    public record StudyMember(UUID studyId, int variant, int repeat, Map<String, Object> values) {}

    /**
     * Seconds until the last iteration, if the rest runs at the rate this attempt has had since it started (its
     * iterations done over the time since {@code startedAt}, which includes building the net and dataset). Null
     * unless RUNNING with an iteration done. The stored iteration is up to a second old (progress is written with
     * the metrics), so the figure errs a little long; it is rounded up to whole seconds.
     */
    public Long etaSeconds(Instant now) {
        long done = progress.iteration();
        if (status != JobStatus.RUNNING || startedAt == null || done <= 0) {
            return null;
        }
        long left = Math.max(0, progress.totalIterations() - done);
        // Clocks of two instances may differ: the one that started the job may be ahead of the one answering.
        long elapsedMillis = Math.max(0, Duration.between(startedAt, now).toMillis());
        double etaMillis = (double) elapsedMillis * left / done;
        return (long) Math.ceil(etaMillis / 1000);
    }

    /** Iterations (minibatch updates) and epochs done so far, of how many. */
    public record Progress(long iteration, long totalIterations, int epoch, int totalEpochs) {}

    /**
     * A finished job's result. Accuracies are null when no epoch completed, {@code finalLoss} when no iteration
     * ran; {@code divergence} is set for DIVERGED; {@code gradientRatio} when statistics were recorded.
     */
    public record Outcome(
            Double finalLoss,
            Double trainAccuracy,
            Double testAccuracy,
            Long wallTimeMillis,
            Divergence divergence,
            GradientRatio gradientRatio) {}

    /** Where a DIVERGED run first went non-finite; {@code layerIndex} is null when no layer could be named. */
    public record Divergence(long iteration, Integer layerIndex, String layer, String quantity) {}

    /**
     * The share of the gradient that reaches the bottom of the net, at the first and last recorded iteration:
     * {@code measure} FIRST_TO_LAST_DENSE_LAYER (mlp) or FIRST_TO_LAST_TIMESTEP (rnn); numerator and denominator
     * name the layers (or steps). Values may be non-finite.
     */
    public record GradientRatio(
            String measure,
            String numerator,
            String denominator,
            long startIteration,
            double start,
            long endIteration,
            double end) {}
}
