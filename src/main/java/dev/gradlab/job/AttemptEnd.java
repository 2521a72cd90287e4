package dev.gradlab.job;

import dev.gradlab.training.Divergence;
import dev.gradlab.training.GradientRatio;
import dev.gradlab.training.TrainingOutcome;
import java.time.Instant;

/**
 * How one attempt ended, as {@link JobRepository#finish} stores it: the status the runner decided, how far the
 * attempt got, a readable error for FAILED, and training's outcome when training returned one (null when it threw).
 * The accessors below are the job row's columns, read by the repository's update (SpEL: so they are public).
 */
record AttemptEnd(
        JobStatus status, Instant finishedAt, long iteration, int epoch, String error, TrainingOutcome outcome) {

    /** Training returned: its outcome, under the status the runner decided ({@code error} for a FAILED one). */
    static AttemptEnd of(TrainingOutcome outcome, JobStatus status, String error, Instant now) {
        return new AttemptEnd(status, now, outcome.iterations(), outcome.epochs(), error, outcome);
    }

    /** Training threw: no outcome beyond how far it got. */
    static AttemptEnd failed(long iteration, int epoch, String error, Instant now) {
        return new AttemptEnd(JobStatus.FAILED, now, iteration, epoch, error, null);
    }

    public Double finalLoss() {
        return outcome == null ? null : outcome.finalLoss();
    }

    public Double trainAccuracy() {
        return outcome == null ? null : outcome.trainAccuracy();
    }

    public Double testAccuracy() {
        return outcome == null ? null : outcome.testAccuracy();
    }

    public Long wallTimeMillis() {
        return outcome == null ? null : outcome.wallTimeMillis();
    }

    public Long divergedIteration() {
        Divergence d = divergence();
        return d == null ? null : d.iteration();
    }

    public String divergedLayer() {
        Divergence d = divergence();
        return d == null ? null : d.layer();
    }

    public Integer divergedLayerIndex() {
        Divergence d = divergence();
        return d == null ? null : d.layerIndex();
    }

    public String divergedQuantity() {
        Divergence d = divergence();
        return d == null ? null : d.quantity();
    }

    public String ratioMeasure() {
        GradientRatio r = ratio();
        return r == null ? null : r.measure().name();
    }

    public String ratioNumerator() {
        GradientRatio r = ratio();
        return r == null ? null : r.numerator();
    }

    public String ratioDenominator() {
        GradientRatio r = ratio();
        return r == null ? null : r.denominator();
    }

    public Long ratioStartIteration() {
        GradientRatio r = ratio();
        return r == null ? null : r.startIteration();
    }

    public Double ratioStart() {
        GradientRatio r = ratio();
        return r == null ? null : r.start();
    }

    public Long ratioEndIteration() {
        GradientRatio r = ratio();
        return r == null ? null : r.endIteration();
    }

    public Double ratioEnd() {
        GradientRatio r = ratio();
        return r == null ? null : r.end();
    }

    private Divergence divergence() {
        return outcome == null ? null : outcome.divergence();
    }

    private GradientRatio ratio() {
        return outcome == null ? null : outcome.gradientRatio();
    }
}
