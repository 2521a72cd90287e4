package dev.gradlab.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.gradlab.curve.CurveQueries;
import dev.gradlab.curve.EpochAccuracy;
import dev.gradlab.job.JobDetails;
import dev.gradlab.job.JobStatus;
import dev.gradlab.spec.ExperimentSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StudyResultsTest {

    private static final UUID STUDY = UUID.randomUUID();

    private final CurveQueries curves = mock(CurveQueries.class);
    private final StudyResults results = new StudyResults(curves);

    private static JobDetails job(int repeat, JobStatus status, Double start, Double end, Double test, Long wall) {
        JobDetails.Outcome outcome = status.finished()
                ? new JobDetails.Outcome(
                        0.5,
                        test == null ? null : test + 0.05,
                        test,
                        wall,
                        null,
                        start == null
                                ? null
                                : new JobDetails.GradientRatio(
                                        "FIRST_TO_LAST_DENSE_LAYER", "dense1", "dense5", 1, start, 40, end))
                : null;
        return new JobDetails(
                UUID.randomUUID(),
                "j",
                "local",
                status,
                null,
                ExperimentSpec.defaults(),
                Instant.EPOCH,
                null,
                null,
                new JobDetails.Progress(0, 40, 0, 20),
                outcome,
                null,
                null,
                1,
                10L,
                new JobDetails.StudyMember(STUDY, 0, repeat, Map.of("model.depth", 5)),
                0);
    }

    private static EpochAccuracy epoch(int n, double test) {
        return new EpochAccuracy(n, n * 10L, 0.5, test, n * 100L);
    }

    @Test
    void statisticsOverTheCompletedRepeats() {
        JobDetails a = job(0, JobStatus.SUCCEEDED, 1e-12, 1e-10, 0.5, 1000L);
        JobDetails b = job(1, JobStatus.SUCCEEDED, 4e-12, 2e-10, 0.7, 3000L);
        JobDetails c = job(2, JobStatus.DIVERGED, 2e-12, Double.NaN, null, 2000L);
        JobDetails d = job(3, JobStatus.CANCELLED, 9.0, 9.0, 0.99, 9L);
        JobDetails e = job(4, JobStatus.RUNNING, null, null, null, null);
        when(curves.epochs(a.id())).thenReturn(List.of(epoch(1, 0.6), epoch(2, 0.5)));
        when(curves.epochs(b.id())).thenReturn(List.of(epoch(1, 0.7), epoch(2, 0.8)));
        when(curves.epochs(c.id())).thenReturn(List.of());
        when(curves.firstIterationWithLossAtMost(a.id(), 0.3)).thenReturn(OptionalLong.of(12));
        when(curves.firstIterationWithLossAtMost(b.id(), 0.3)).thenReturn(OptionalLong.empty());
        when(curves.firstIterationWithLossAtMost(c.id(), 0.3)).thenReturn(OptionalLong.of(30));

        StudyDetails.VariantRow row = results.row(0, Map.of("model.depth", 5), List.of(a, b, c, d, e), 0.3);

        assertThat(row.jobs()).extracting(StudyDetails.VariantJob::repeat).containsExactly(0, 1, 2, 3, 4);
        assertThat(row.completed())
                .as("cancelled and running jobs are not counted")
                .isEqualTo(3);
        assertThat(row.diverged()).isEqualTo(1);
        assertThat(row.gradientRatioMeasure()).isEqualTo("FIRST_TO_LAST_DENSE_LAYER");
        assertThat(row.gradientRatioStart())
                .isEqualTo(new StudyDetails.Statistic(2e-12, 1e-12, 4e-12, 3, 0, List.of()));
        StudyDetails.Statistic end = row.gradientRatioEnd();
        assertThat(end.median()).isEqualTo(1.5e-10); // even count: the mean of the middle two
        assertThat(end.n()).isEqualTo(2);
        assertThat(end.nonFinite()).containsExactly(Double.NaN);
        assertThat(row.finalTestAccuracy().n()).isEqualTo(2);
        assertThat(row.finalTestAccuracy().missing()).as("no epoch completed").isEqualTo(1);
        assertThat(row.bestTestAccuracy()).isEqualTo(new StudyDetails.Statistic(0.7, 0.6, 0.8, 2, 1, List.of()));
        assertThat(row.iterationsToTargetLoss())
                .isEqualTo(new StudyDetails.Statistic(21.0, 12.0, 30.0, 2, 1, List.of()));
        assertThat(row.wallTimeMillis()).isEqualTo(new StudyDetails.Statistic(2000.0, 1000.0, 3000.0, 3, 0, List.of()));
    }

    @Test
    void aFinishedJobsCurvesAreReadOnceAndNoTargetMeansNoFigure() {
        JobDetails a = job(0, JobStatus.SUCCEEDED, 1.0, 1.0, 0.5, 10L);
        when(curves.epochs(any())).thenReturn(List.of(epoch(1, 0.9)));
        StudyDetails.VariantRow first = results.row(0, Map.of(), List.of(a), null);
        StudyDetails.VariantRow second = results.row(0, Map.of(), List.of(a), null);
        assertThat(first.iterationsToTargetLoss()).isNull();
        assertThat(second.bestTestAccuracy().median()).isEqualTo(0.9);
        verify(curves, times(1)).epochs(a.id());
        verify(curves, times(0)).firstIterationWithLossAtMost(any(), anyDouble());
    }

    @Test
    void nothingCompletedYetGivesEmptyStatistics() {
        StudyDetails.VariantRow row =
                results.row(1, Map.of(), List.of(job(0, JobStatus.QUEUED, null, null, null, null)), 0.1);
        assertThat(row.completed()).isZero();
        assertThat(row.gradientRatioMeasure()).isNull();
        assertThat(row.finalTrainAccuracy()).isEqualTo(new StudyDetails.Statistic(null, null, null, 0, 0, List.of()));
        assertThat(row.iterationsToTargetLoss().n()).isZero();
    }
}
