package dev.gradlab.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.training.Divergence;
import dev.gradlab.training.GradientRatio;
import dev.gradlab.training.TrainingOutcome;
import dev.gradlab.training.TrainingStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jpa.test.autoconfigure.TestEntityManager;
import org.springframework.data.domain.PageRequest;

/**
 * The attempt fence, in the conditional updates themselves (H2 with the Flyway schema, JPA only): a claim raises
 * the attempt, and whatever a superseded attempt still tries (progress, outcome, hand-back) matches no row.
 */
@DataJpaTest(showSql = false)
class JobRepositoryTest {

    /** Only this package's entity and repository: not the application's properties scan and scheduling. */
    @SpringBootConfiguration
    @AutoConfigurationPackage
    static class JobsOnly {}

    private static final int MAX_ATTEMPTS = 3;
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final JobRepository jobs;
    private final TestEntityManager entities;

    JobRepositoryTest(@Autowired JobRepository jobs, @Autowired TestEntityManager entities) {
        this.jobs = jobs;
        this.entities = entities;
    }

    /** A queued job with its db-scheduler execution, due at {@code due}, as JobService stores them. */
    private UUID queuedWithExecution(Instant createdAt, Instant due) {
        UUID id = UUID.randomUUID();
        jobs.saveAndFlush(new Job(id, "local", "j", "{}", 100, 10, null, "hash", createdAt));
        entities.getEntityManager()
                .createNativeQuery("insert into scheduled_tasks (task_name, task_instance, execution_time, picked, "
                        + "version) values (?, ?, ?, false, 1)")
                .setParameter(1, JobQueueConfiguration.TRAIN_TASK)
                .setParameter(2, id.toString())
                .setParameter(3, due)
                .executeUpdate();
        return id;
    }

    private Map<UUID, Long> places(UUID... ids) {
        return jobs.queuePlaces(Stream.of(ids).map(UUID::toString).toList()).stream()
                .collect(Collectors.toMap(place -> UUID.fromString(place.getId()), JobRepository.QueuePlace::getPlace));
    }

    private UUID queued() {
        UUID id = UUID.randomUUID();
        jobs.saveAndFlush(new Job(id, "local", "j", "{}", 100, 10, null, "hash", T0));
        return id;
    }

    private Job job(UUID id) {
        return jobs.findById(id).orElseThrow();
    }

    private int start(UUID id, String worker) {
        return jobs.start(id, worker, T0.plusSeconds(1), MAX_ATTEMPTS);
    }

    @Test
    void aClaimRaisesTheAttemptAndATakeoverRaisesItAgain() {
        UUID id = queued();
        assertThat(start(id, "a")).isEqualTo(1);
        assertThat(jobs.progress(id, 1, 40, 2, 640)).isEqualTo(1);

        Job first = job(id);
        assertThat(first.getStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(first.getAttempt()).isEqualTo(1);
        assertThat(first.getWorker()).isEqualTo("a");
        assertThat(first.getIteration()).isEqualTo(40);
        assertThat(first.getStoredBytes()).isEqualTo(640);

        // instance a is given up for dead; b claims the job, still RUNNING
        assertThat(start(id, "b")).isEqualTo(1);
        Job second = job(id);
        assertThat(second.getAttempt()).isEqualTo(2);
        assertThat(second.getWorker()).isEqualTo("b");
        assertThat(second.getIteration())
                .as("the new attempt starts from scratch")
                .isZero();
        assertThat(second.getEpoch()).isZero();
    }

    @Test
    void aSupersededAttemptCanNoLongerChangeTheJob() {
        UUID id = queued();
        start(id, "a");
        start(id, "b"); // attempt 2 owns the job now
        jobs.progress(id, 2, 7, 0, 112);

        assertThat(jobs.progress(id, 1, 90, 3, 1440)).isZero();
        assertThat(jobs.requeue(id, 1)).isZero();
        assertThat(jobs.finish(id, 1, AttemptEnd.failed(90, 3, "stale", T0))).isZero();
        assertThat(jobs.existsByIdAndAttemptAndStatusAndCancelRequestedFalse(id, 1, JobStatus.RUNNING))
                .isFalse();

        Job now = job(id);
        assertThat(now.getStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(now.getIteration()).isEqualTo(7);
        assertThat(now.getError()).isNull();
        assertThat(jobs.existsByIdAndAttemptAndStatusAndCancelRequestedFalse(id, 2, JobStatus.RUNNING))
                .isTrue();
    }

    @Test
    void aFinishedJobIsNeitherClaimedNorChangedByItsOwnAttempt() {
        UUID id = queued();
        start(id, "a");
        assertThat(jobs.finish(id, 1, AttemptEnd.failed(5, 0, "boom", T0))).isEqualTo(1);

        assertThat(start(id, "b")).isZero();
        assertThat(jobs.progress(id, 1, 6, 0, 96)).isZero();
        assertThat(jobs.requeue(id, 1)).isZero();
        assertThat(jobs.finish(id, 1, AttemptEnd.failed(6, 0, "again", T0))).isZero();
        assertThat(jobs.requestCancel(id)).isZero();
        assertThat(jobs.cancelQueued(id, T0)).isZero();
        assertThat(job(id).getError()).isEqualTo("boom");
    }

    @Test
    void aJobStartedMaxAttemptsTimesIsGivenUpNotStartedAgain() {
        UUID id = queued();
        assertThat(jobs.giveUp(id, MAX_ATTEMPTS, T0, "too many"))
                .as("not before the last attempt")
                .isZero();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            assertThat(start(id, "w" + attempt)).as("attempt %d", attempt).isEqualTo(1);
        }
        assertThat(start(id, "w4")).isZero();
        assertThat(job(id).getAttempt()).isEqualTo(MAX_ATTEMPTS);

        assertThat(jobs.giveUp(id, MAX_ATTEMPTS, T0.plusSeconds(9), "too many")).isEqualTo(1);
        Job failed = job(id);
        assertThat(failed.getStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.getError()).isEqualTo("too many");
        assertThat(failed.getFinishedAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(jobs.giveUp(id, MAX_ATTEMPTS, T0, "twice")).isZero();
    }

    @Test
    void queuePlacesFollowTheSchedulersOrderAmongQueuedJobsOnly() {
        UUID first = queuedWithExecution(T0, T0);
        UUID second = queuedWithExecution(T0.plusSeconds(1), T0.plusSeconds(1));
        // Submitted first, but handed back by a stopping instance: due again later than the others.
        UUID handedBack = queuedWithExecution(T0.minusSeconds(60), T0.plusSeconds(5));
        UUID third = queuedWithExecution(T0.plusSeconds(2), T0.plusSeconds(2));

        assertThat(places(first, second, third, handedBack))
                .isEqualTo(Map.of(first, 1L, second, 2L, third, 3L, handedBack, 4L));
        assertThat(places(third))
                .as("counted among all queued jobs, not among those asked")
                .isEqualTo(Map.of(third, 3L));

        start(first, "a"); // RUNNING: no place, and the others move up
        assertThat(jobs.cancelQueued(third, T0)).isEqualTo(1);
        assertThat(places(first, second, third, handedBack)).isEqualTo(Map.of(second, 1L, handedBack, 2L));
        assertThat(places(UUID.randomUUID())).isEmpty();
    }

    @Test
    void aHandedBackJobIsClaimedByTheNextAttempt() {
        UUID id = queued();
        start(id, "a");
        assertThat(jobs.requeue(id, 1)).isEqualTo(1);
        assertThat(job(id).getStatus()).isEqualTo(JobStatus.QUEUED);
        assertThat(start(id, "b")).isEqualTo(1);
        assertThat(job(id).getAttempt()).isEqualTo(2);
    }

    @Test
    void cancellingAQueuedJobEndsItAndItNeverStarts() {
        UUID id = queued();
        assertThat(jobs.requestCancel(id))
                .as("only a running job is asked to stop")
                .isZero();
        assertThat(jobs.cancelQueued(id, T0.plusSeconds(2))).isEqualTo(1);

        assertThat(start(id, "a")).isZero();
        Job cancelled = job(id);
        assertThat(cancelled.getStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.getAttempt()).isZero();
        assertThat(cancelled.getFinishedAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void aCancelThatArrivedWhileItsInstanceWasGoneEndsTheJobAtTakeover() {
        UUID id = queued();
        assertThat(jobs.cancelAbandoned(id, T0)).as("no cancel requested").isZero();
        start(id, "a");
        assertThat(jobs.requestCancel(id)).isEqualTo(1);
        assertThat(jobs.existsByIdAndAttemptAndStatusAndCancelRequestedFalse(id, 1, JobStatus.RUNNING))
                .isFalse();

        // instance a dies before it sees the flag: the takeover must not train the job again
        assertThat(start(id, "b")).isZero();
        assertThat(jobs.giveUp(id, 1, T0, "x")).as("cancelled, not failed").isZero();
        assertThat(jobs.cancelAbandoned(id, T0.plusSeconds(30))).isEqualTo(1);
        assertThat(job(id).getStatus()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void anOutcomeIsStoredFieldByField() {
        UUID id = queued();
        start(id, "a");
        Instant end = T0.plusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        TrainingOutcome outcome = new TrainingOutcome(
                TrainingStatus.DIVERGED,
                28,
                2,
                Double.POSITIVE_INFINITY,
                0.61,
                0.57,
                new Divergence(27, 3, "dense4", "gradient"),
                new GradientRatio(GradientRatio.Measure.FIRST_TO_LAST_TIMESTEP, "t1", "t100", 1, 3e-31, 26, 2e-5),
                4321);

        assertThat(jobs.finish(id, 1, AttemptEnd.of(outcome, JobStatus.DIVERGED, "why", end)))
                .isEqualTo(1);

        Job j = job(id);
        assertThat(j.getStatus()).isEqualTo(JobStatus.DIVERGED);
        assertThat(j.getFinishedAt()).isEqualTo(end);
        assertThat(j.getIteration()).isEqualTo(28);
        assertThat(j.getEpoch()).isEqualTo(2);
        assertThat(j.getFinalLoss()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(j.getTrainAccuracy()).isEqualTo(0.61);
        assertThat(j.getTestAccuracy()).isEqualTo(0.57);
        assertThat(j.getDivergedIteration()).isEqualTo(27);
        assertThat(j.getDivergedLayerIndex()).isEqualTo(3);
        assertThat(j.getDivergedLayer()).isEqualTo("dense4");
        assertThat(j.getDivergedQuantity()).isEqualTo("gradient");
        assertThat(j.getError()).isEqualTo("why");
        assertThat(j.getWallTimeMillis()).isEqualTo(4321);
        assertThat(j.getGradientRatioMeasure()).isEqualTo("FIRST_TO_LAST_TIMESTEP");
        assertThat(j.getGradientRatioNumerator()).isEqualTo("t1");
        assertThat(j.getGradientRatioDenominator()).isEqualTo("t100");
        assertThat(j.getGradientRatioStartIteration()).isEqualTo(1);
        assertThat(j.getGradientRatioStart()).isEqualTo(3e-31);
        assertThat(j.getGradientRatioEndIteration()).isEqualTo(26);
        assertThat(j.getGradientRatioEnd()).isEqualTo(2e-5);
    }

    private UUID finishedAt(Instant finishedAt, UUID studyId) {
        UUID id = UUID.randomUUID();
        Job job = new Job(id, "local", "j", "{}", 100, 10, null, "hash", T0);
        if (studyId != null) {
            job.joinStudy(studyId, 0, 0, "{}");
        }
        jobs.saveAndFlush(job);
        if (finishedAt != null) {
            start(id, "a");
            assertThat(jobs.finish(id, 1, AttemptEnd.failed(1, 0, "x", finishedAt)))
                    .isEqualTo(1);
        }
        return id;
    }

    private UUID study() {
        UUID id = UUID.randomUUID();
        entities.getEntityManager()
                .createNativeQuery("insert into study (id, owner, base_spec, vary, repeats, variant_count, job_count,"
                        + " created_at) values (?, 'local', '{}', '{}', 1, 1, 1, ?)")
                .setParameter(1, id)
                .setParameter(2, T0)
                .executeUpdate();
        return id;
    }

    @Test
    void retentionFindsFinishedJobsOfNoStudyOldestFirstAndStudiesOnlyOnceAllTheirJobsAreOld() {
        Instant cutoff = T0.plusSeconds(3600);
        UUID old = finishedAt(T0.plusSeconds(10), null);
        UUID older = finishedAt(T0, null);
        finishedAt(cutoff.plusSeconds(1), null); // finished after the cutoff
        finishedAt(null, null); // still queued
        UUID oldStudy = study();
        finishedAt(T0, oldStudy);
        finishedAt(T0.plusSeconds(5), oldStudy);
        UUID mixedStudy = study(); // one job finished long ago, one still queued
        finishedAt(T0, mixedStudy);
        finishedAt(null, mixedStudy);
        UUID recentStudy = study(); // one job finished long ago, the other after the cutoff
        finishedAt(T0, recentStudy);
        finishedAt(cutoff.plusSeconds(60), recentStudy);

        assertThat(jobs.findFinishedBefore(cutoff, PageRequest.of(0, 10))).containsExactly(older, old);
        assertThat(jobs.findFinishedBefore(cutoff, PageRequest.of(0, 1))).containsExactly(older);
        assertThat(jobs.findStudiesFinishedBefore(cutoff, PageRequest.of(0, 10)))
                .containsExactly(oldStudy);
    }

    @Test
    void deletingAJobRemovesItsRowOnceAndOnlyAWaitingExecution() {
        UUID waiting = queuedWithExecution(T0, T0);
        UUID picked = queuedWithExecution(T0, T0);
        entities.getEntityManager()
                .createNativeQuery("update scheduled_tasks set picked = true where task_instance = ?")
                .setParameter(1, picked.toString())
                .executeUpdate();

        assertThat(jobs.deleteJob(waiting)).isEqualTo(1);
        assertThat(jobs.deleteWaitingExecution(waiting.toString())).isEqualTo(1);
        assertThat(jobs.deleteJob(waiting)).as("gone already").isZero();
        assertThat(jobs.existsById(waiting)).isFalse();

        assertThat(jobs.deleteJob(picked)).isEqualTo(1);
        assertThat(jobs.deleteWaitingExecution(picked.toString()))
                .as("a picked execution is its worker's; the claim finds no job")
                .isZero();
        assertThat(start(picked, "a")).isZero();
        assertThat(jobs.progress(picked, 1, 1, 0, 16))
                .as("a running attempt's next write")
                .isZero();
    }
}
