package dev.gradlab.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.GradLabApplication;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.SpecValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A job queued by an earlier version has a stored spec without the fields added since (here training.evaluateEvery
 * and evaluationSamples): after an upgrade it still trains, with those fields' defaults.
 */
@SpringBootTest(classes = GradLabApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class StoredSpecUpgradeIntegrationTest {

    @Autowired
    JobRepository jobs;

    @Autowired
    JobQueue queue;

    @Autowired
    SpecValidator validator;

    @Autowired
    JsonMapper json;

    @Test
    void aJobStoredWithoutNewerSpecFieldsTrainsWithTheirDefaults() throws InterruptedException {
        ExperimentSpec spec = validator.validate(ExperimentSpec.builder()
                .model(m -> m.depth(2).width(4))
                .dataset(d -> d.name(DatasetName.GAUSSIANS).samples(40))
                .training(t -> t.epochs(2))
                .build());
        ObjectNode stored = (ObjectNode) json.valueToTree(spec);
        ObjectNode training = (ObjectNode) stored.get("training");
        assertThat(training.remove("evaluateEvery")).isNotNull();
        assertThat(training.remove("evaluationSamples")).isNotNull();
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        jobs.saveAndFlush(new Job(
                id, "local", "older", json.writeValueAsString(stored), spec.totalIterations(), 10, null, "h", now));
        queue.enqueue(id, now);

        Job job = FinishedJobs.await(jobs, id, Duration.ofSeconds(60));
        assertThat(job.getStatus()).as(job.getError()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.getTrainAccuracy()).isNotNull();
    }
}
