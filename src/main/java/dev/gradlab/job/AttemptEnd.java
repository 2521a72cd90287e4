package dev.gradlab.job;

import dev.gradlab.training.Divergence;
import dev.gradlab.training.GradientRatio;
import dev.gradlab.training.TrainingOutcome;
import java.time.Instant;

/** How one attempt ended, as {@link JobRepository#finish} stores it. Built only by the factories below. */
record AttemptEnd(
        JobStatus status,
        Instant finishedAt,
        long iteration,
        int epoch,
        Double finalLoss,
        Double trainAccuracy,
        Double testAccuracy,
        Long divergedIteration,
        String divergedLayer,
        Integer divergedLayerIndex,
        String divergedQuantity,
        String ratioMeasure,
        String ratioNumerator,
        String ratioDenominator,
        Long ratioStartIteration,
        Double ratioStart,
        Long ratioEndIteration,
        Double ratioEnd,
        String error,
        Long wallTimeMillis) {

    /** Training returned: its outcome, under the status the runner decided ({@code error} for a FAILED one). */
    static AttemptEnd of(TrainingOutcome outcome, JobStatus status, String error, Instant now) {
        Divergence d = outcome.divergence();
        GradientRatio r = outcome.gradientRatio();
        return new AttemptEnd(
                status,
                now,
                outcome.iterations(),
                outcome.epochs(),
                outcome.finalLoss(),
                outcome.trainAccuracy(),
                outcome.testAccuracy(),
                d == null ? null : d.iteration(),
                d == null ? null : d.layer(),
                d == null ? null : d.layerIndex(),
                d == null ? null : d.quantity(),
                r == null ? null : r.measure().name(),
                r == null ? null : r.numerator(),
                r == null ? null : r.denominator(),
                r == null ? null : r.startIteration(),
                r == null ? null : r.start(),
                r == null ? null : r.endIteration(),
                r == null ? null : r.end(),
                error,
                outcome.wallTimeMillis());
    }

    /** Training threw: no outcome beyond how far it got. */
    static AttemptEnd failed(long iteration, int epoch, String error, Instant now) {
        return new AttemptEnd(
                JobStatus.FAILED,
                now,
                iteration,
                epoch,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                error,
                null);
    }
}
