package dev.gradlab.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.spec.ExperimentSpec;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The ETA a running job reports: the rest of its iterations at its rate so far. */
class JobDetailsTest {

    private static final Instant STARTED = Instant.parse("2026-03-01T10:00:00Z");

    private static JobDetails job(JobStatus status, Instant startedAt, long iteration, long total) {
        return new JobDetails(
                UUID.randomUUID(),
                "j",
                "local",
                status,
                null,
                ExperimentSpec.defaults(),
                STARTED.minusSeconds(5),
                startedAt,
                null,
                new JobDetails.Progress(iteration, total, 0, 1),
                null,
                null,
                "w",
                1,
                10L,
                null,
                0);
    }

    @Test
    void theRestAtTheRateSoFarRoundedUp() {
        // 100 of 520 iterations in 10 s: 420 more take 42 s
        assertThat(job(JobStatus.RUNNING, STARTED, 100, 520).etaSeconds(STARTED.plusSeconds(10)))
                .isEqualTo(42);
        // 3 of 10 in 1 s: 7 more take 2.33 s, said as 3
        assertThat(job(JobStatus.RUNNING, STARTED, 3, 10).etaSeconds(STARTED.plusSeconds(1)))
                .isEqualTo(3);
        assertThat(job(JobStatus.RUNNING, STARTED, 10, 10).etaSeconds(STARTED.plusSeconds(9)))
                .as("done, the outcome not yet written")
                .isZero();
    }

    @Test
    void noEstimateBeforeTheFirstIterationOrUnlessRunning() {
        assertThat(job(JobStatus.RUNNING, STARTED, 0, 520).etaSeconds(STARTED.plusSeconds(3)))
                .isNull();
        assertThat(job(JobStatus.QUEUED, null, 0, 520).etaSeconds(STARTED)).isNull();
        assertThat(job(JobStatus.SUCCEEDED, STARTED, 520, 520).etaSeconds(STARTED.plusSeconds(60)))
                .isNull();
        assertThat(job(JobStatus.CANCELLED, STARTED, 100, 520).etaSeconds(STARTED.plusSeconds(60)))
                .isNull();
    }

    @Test
    void aClockBehindTheStartingInstancesCountsNoTimeNotNegativeTime() {
        assertThat(job(JobStatus.RUNNING, STARTED, 50, 100).etaSeconds(STARTED.minusSeconds(2)))
                .isZero();
    }
}
