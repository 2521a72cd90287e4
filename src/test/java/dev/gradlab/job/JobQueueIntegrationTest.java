package dev.gradlab.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.GradLabApplication;
import dev.gradlab.access.Caller;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.ExperimentSpec;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * A job submitted to an idle instance starts at once, not at the queue's next poll. db-scheduler's own immediate
 * check ran inside the submitting transaction, before the job's execution was committed, and so missed it about
 * every other time. The poll here is a minute apart: a job that waited for it would not start within the bound.
 */
@SpringBootTest(
        classes = GradLabApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "gradlab.jobs.polling-interval=60s")
@ActiveProfiles("test")
class JobQueueIntegrationTest {

    /** Far below the 60 s poll; far above a pickup on a loaded 2-core machine (about 25 ms measured). */
    private static final Duration PICKUP_BOUND = Duration.ofSeconds(15);

    @Autowired
    JobService service;

    @Autowired
    JobRepository jobs;

    @Test
    void eachJobSubmittedToAnIdleInstanceStartsWithoutWaitingForThePoll() throws InterruptedException {
        ExperimentSpec spec = ExperimentSpec.builder()
                .model(m -> m.depth(2).width(4))
                .dataset(d -> d.name(DatasetName.GAUSSIANS).samples(40))
                .training(t -> t.epochs(1))
                .build();
        // Without the after-commit check each submission has about even odds of waiting for the poll: six in a
        // row start in time by luck about once in 64 runs.
        for (int i = 0; i < 6; i++) {
            UUID id = service.submit(Caller.LOCAL_ADMIN, "pickup " + i, spec, null)
                    .job()
                    .id();
            Job job = FinishedJobs.await(jobs, id, Duration.ofSeconds(90));
            assertThat(job.getStatus()).as(job.getError()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(Duration.between(job.getCreatedAt(), job.getStartedAt()))
                    .as("job %d: created %s, started %s", i, job.getCreatedAt(), job.getStartedAt())
                    .isLessThan(PICKUP_BOUND);
        }
    }
}
