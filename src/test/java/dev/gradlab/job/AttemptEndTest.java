package dev.gradlab.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.training.Divergence;
import dev.gradlab.training.GradientRatio;
import dev.gradlab.training.TrainingOutcome;
import dev.gradlab.training.TrainingStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each column an attempt's end stores comes from its own source (a swap compiles, so it is checked). */
class AttemptEndTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void aDivergedRunCarriesItsDivergenceAndRatio() {
        TrainingOutcome outcome = new TrainingOutcome(
                TrainingStatus.DIVERGED,
                28,
                2,
                Double.NaN,
                0.61,
                0.57,
                new Divergence(27, 3, "dense4", "gradient"),
                new GradientRatio(
                        GradientRatio.Measure.FIRST_TO_LAST_DENSE_LAYER, "dense1", "dense20", 1, 1e-12, 26, 3e-9),
                4321);

        AttemptEnd end = AttemptEnd.of(outcome, JobStatus.DIVERGED, null, NOW);

        assertThat(end.status()).isEqualTo(JobStatus.DIVERGED);
        assertThat(end.finishedAt()).isEqualTo(NOW);
        assertThat(end.iteration()).isEqualTo(28);
        assertThat(end.epoch()).isEqualTo(2);
        assertThat(end.finalLoss()).isNaN();
        assertThat(end.trainAccuracy()).isEqualTo(0.61);
        assertThat(end.testAccuracy()).isEqualTo(0.57);
        assertThat(end.divergedIteration()).isEqualTo(27);
        assertThat(end.divergedLayerIndex()).isEqualTo(3);
        assertThat(end.divergedLayer()).isEqualTo("dense4");
        assertThat(end.divergedQuantity()).isEqualTo("gradient");
        assertThat(end.ratioMeasure()).isEqualTo("FIRST_TO_LAST_DENSE_LAYER");
        assertThat(end.ratioNumerator()).isEqualTo("dense1");
        assertThat(end.ratioDenominator()).isEqualTo("dense20");
        assertThat(end.ratioStartIteration()).isEqualTo(1);
        assertThat(end.ratioStart()).isEqualTo(1e-12);
        assertThat(end.ratioEndIteration()).isEqualTo(26);
        assertThat(end.ratioEnd()).isEqualTo(3e-9);
        assertThat(end.error()).isNull();
        assertThat(end.wallTimeMillis()).isEqualTo(4321);
    }

    @Test
    void aRunWithoutDivergenceOrRatioLeavesThemNullAndKeepsTheRunnersError() {
        TrainingOutcome outcome = new TrainingOutcome(TrainingStatus.CANCELLED, 40, 0, 0.7, null, null, null, null, 99);

        AttemptEnd end = AttemptEnd.of(outcome, JobStatus.FAILED, "exceeded the wall-time limit", NOW);

        assertThat(end.status()).isEqualTo(JobStatus.FAILED);
        assertThat(end.error()).isEqualTo("exceeded the wall-time limit");
        assertThat(end.iteration()).isEqualTo(40);
        assertThat(end.finalLoss()).isEqualTo(0.7);
        assertThat(end.trainAccuracy()).isNull();
        assertThat(end.divergedIteration()).isNull();
        assertThat(end.divergedLayer()).isNull();
        assertThat(end.divergedLayerIndex()).isNull();
        assertThat(end.divergedQuantity()).isNull();
        assertThat(end.ratioMeasure()).isNull();
        assertThat(end.ratioStart()).isNull();
        assertThat(end.ratioEndIteration()).isNull();
        assertThat(end.wallTimeMillis()).isEqualTo(99);
    }

    @Test
    void aThrownRunKeepsOnlyHowFarItGotAndWhy() {
        AttemptEnd end = AttemptEnd.failed(17, 1, "training failed (out of memory)", NOW);

        assertThat(end.status()).isEqualTo(JobStatus.FAILED);
        assertThat(end.finishedAt()).isEqualTo(NOW);
        assertThat(end.iteration()).isEqualTo(17);
        assertThat(end.epoch()).isEqualTo(1);
        assertThat(end.error()).isEqualTo("training failed (out of memory)");
        assertThat(end)
                .extracting(
                        AttemptEnd::finalLoss,
                        AttemptEnd::trainAccuracy,
                        AttemptEnd::testAccuracy,
                        AttemptEnd::divergedIteration,
                        AttemptEnd::divergedLayer,
                        AttemptEnd::divergedLayerIndex,
                        AttemptEnd::divergedQuantity,
                        AttemptEnd::ratioMeasure,
                        AttemptEnd::ratioNumerator,
                        AttemptEnd::ratioDenominator,
                        AttemptEnd::ratioStartIteration,
                        AttemptEnd::ratioStart,
                        AttemptEnd::ratioEndIteration,
                        AttemptEnd::ratioEnd,
                        AttemptEnd::wallTimeMillis)
                .containsOnlyNulls();
    }
}
