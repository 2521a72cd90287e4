package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.client.ApiClient;
import dev.gradlab.client.ApiException;
import dev.gradlab.client.api.CurvesApi;
import dev.gradlab.client.api.JobsApi;
import dev.gradlab.client.model.DatasetSpec;
import dev.gradlab.client.model.GradientCurves;
import dev.gradlab.client.model.GradientRatio;
import dev.gradlab.client.model.GradientRatioMeasure;
import dev.gradlab.client.model.GradientStat;
import dev.gradlab.client.model.Job;
import dev.gradlab.client.model.JobPage;
import dev.gradlab.client.model.JobRequest;
import dev.gradlab.client.model.JobResult;
import dev.gradlab.client.model.LayerCurve;
import dev.gradlab.client.model.LayerCurves;
import dev.gradlab.client.model.LayerKind;
import dev.gradlab.client.model.LayerStat;
import dev.gradlab.client.model.LossCurve;
import dev.gradlab.client.model.MetricsSpec;
import dev.gradlab.client.model.ModelSpec;
import dev.gradlab.client.model.NonFiniteField;
import dev.gradlab.client.model.NonFiniteKind;
import dev.gradlab.client.model.TimestepCurve;
import dev.gradlab.client.model.TimestepIterations;
import dev.gradlab.client.model.TrainingSpec;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * A client generated from the committed OpenAPI document (openapi-generator, Java native + Jackson; see pom.xml)
 * does what a user does, and nothing but the generated code talks to the server: submit the plain example and the
 * exploding rnn example (smaller, to keep it fast), cancel a third job, read every curve, list, and read the
 * diverged job's non-finite final loss. One step per test method, in order, so a report shows which steps a
 * contract defect breaks; a step whose jobs could not be submitted fails saying so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratedClientIntegrationTest {

    private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(180);
    private static final Set<Job.StatusEnum> FINISHED = EnumSet.of(
            Job.StatusEnum.SUCCEEDED, Job.StatusEnum.FAILED, Job.StatusEnum.CANCELLED, Job.StatusEnum.DIVERGED);
    private static final Set<GradientStat> RECURRENT_GRADIENTS = EnumSet.of(
            GradientStat.RECURRENT_WEIGHT_GRADIENT_NORM, GradientStat.CLIPPED_RECURRENT_WEIGHT_GRADIENT_NORM);
    private static final Set<LayerStat> RECURRENT_STATS =
            EnumSet.of(LayerStat.RECURRENT_WEIGHT_GRADIENT_NORM, LayerStat.CLIPPED_RECURRENT_WEIGHT_GRADIENT_NORM);

    @LocalServerPort
    int port;

    private JobsApi jobs;
    private CurvesApi curves;
    private UUID plain;
    private UUID exploding;

    @BeforeAll
    void client() {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        jobs = new JobsApi(client);
        curves = new CurvesApi(client);
    }

    /** examples/plain.json (SpecExamples.PLAIN) for 3 epochs instead of 40. */
    private static JobRequest plainExample() {
        return new JobRequest()
                .name("plain 20-layer sigmoid")
                .model(new ModelSpec().depth(20).width(32).activation(ModelSpec.ActivationEnum.SIGMOID))
                .dataset(new DatasetSpec().name(DatasetSpec.NameEnum.SPIRALS).samples(1000))
                .training(new TrainingSpec()
                        .optimizer(TrainingSpec.OptimizerEnum.ADAM)
                        .learningRate(0.01)
                        .batchSize(64)
                        .epochs(3));
    }

    /** examples/rnn-exploding.json (SpecExamples.RNN_EXPLODING) as it stands: it diverges in its second epoch. */
    private static JobRequest explodingRnnExample() {
        return new JobRequest()
                .name("rnn exploding (scale 3, no clipping)")
                .model(new ModelSpec()
                        .type(ModelSpec.TypeEnum.RNN)
                        .cell(ModelSpec.CellEnum.SIMPLE)
                        .width(64)
                        .recurrentScale(3.0))
                .dataset(new DatasetSpec()
                        .name(DatasetSpec.NameEnum.ADDING)
                        .samples(1000)
                        .sequenceLength(100))
                .training(new TrainingSpec()
                        .optimizer(TrainingSpec.OptimizerEnum.SGD)
                        .learningRate(0.05)
                        .batchSize(50)
                        .epochs(3))
                .metrics(new MetricsSpec().every(5));
    }

    @Test
    @Order(1)
    void submitsThePlainAndTheExplodingRnnExample() throws ApiException {
        // The generated models send the document's defaults; every one must be a value the server accepts.
        Job p = jobs.submit(plainExample(), null);
        assertThat(p.getId()).isNotNull();
        assertThat(p.getStatus()).isIn(Job.StatusEnum.QUEUED, Job.StatusEnum.RUNNING);
        assertThat(p.getSpec().getModel().getDepth()).isEqualTo(20);
        assertThat(p.getCreatedAt()).isNotNull();
        plain = p.getId();

        Job r = jobs.submit(explodingRnnExample(), "generated-client-" + UUID.randomUUID());
        assertThat(r.getSpec().getModel().getType()).isEqualTo(ModelSpec.TypeEnum.RNN);
        assertThat(r.getSpec().getModel().getRecurrentScale()).isEqualTo(3.0);
        exploding = r.getId();
    }

    @Test
    @Order(2)
    void cancelsAThirdJobWhileQueuedOrRunning() throws ApiException {
        Job long_ = jobs.submit(
                new JobRequest()
                        .name("long")
                        .model(new ModelSpec().depth(20).width(64))
                        .dataset(new DatasetSpec().samples(20000))
                        .training(new TrainingSpec().batchSize(32).epochs(20)),
                null);
        Job cancelled = jobs.cancel(long_.getId());
        assertThat(cancelled.getId()).isEqualTo(long_.getId());
        assertThat(cancelled.getStatus()).isIn(Job.StatusEnum.CANCELLED, Job.StatusEnum.RUNNING);
        assertThat(await(long_.getId()).getStatus()).isEqualTo(Job.StatusEnum.CANCELLED);
        ApiException again =
                org.junit.jupiter.api.Assertions.assertThrows(ApiException.class, () -> jobs.cancel(long_.getId()));
        assertThat(again.getCode()).isEqualTo(409);
    }

    @Test
    @Order(3)
    void thePlainJobSucceedsAndTheRnnDiverges() throws ApiException {
        assertThat(await(submitted(plain)).getStatus()).isEqualTo(Job.StatusEnum.SUCCEEDED);
        assertThat(await(submitted(exploding)).getStatus()).isEqualTo(Job.StatusEnum.DIVERGED);
    }

    @Test
    @Order(4)
    void readsEveryCurve() throws ApiException {
        UUID mlp = submitted(plain);
        UUID rnn = submitted(exploding);

        LossCurve loss = curves.loss(mlp, null, null, null);
        assertThat(loss.getIterations()).hasSize(loss.getValues().size()).startsWith(1L);
        assertThat(loss.getValues()).doesNotContainNull();
        assertThat(loss.getEpochs().getTrainAccuracy()).hasSize(3);
        LossCurve diverged = curves.loss(rnn, 20000, null, null);
        assertThat(diverged.getNonFinite()).isNotEmpty();
        assertThat(diverged.getNonFinite().get(0).getValue()).isIn(NonFiniteKind.values());
        assertThat(diverged.getValues().get(diverged.getNonFinite().get(0).getPosition()))
                .isNull();

        for (GradientStat stat : GradientStat.values()) {
            GradientCurves gradients = curves.gradients(mlp, 200, null, null, stat);
            assertThat(gradients.getStat()).isEqualTo(stat);
            if (RECURRENT_GRADIENTS.contains(stat)) {
                continue; // an mlp has no W_rec: every layer's series is empty
            }
            assertThat(gradients.getLayers()).as(stat.getValue()).hasSize(21); // 20 hidden + output
            assertThat(gradients.getLayers().get(0).getNorms())
                    .as(stat.getValue())
                    .hasSameSizeAs(gradients.getIterations());
        }
        for (LayerStat stat : LayerStat.values()) {
            if (RECURRENT_STATS.contains(stat)) {
                continue;
            }
            LayerCurves layers = curves.layers(mlp, stat, 200, null, null);
            assertThat(layers.getLayers()).as(stat.getValue()).isNotEmpty();
            for (LayerCurve layer : layers.getLayers()) {
                assertThat(layer.getValues()).as(stat + " " + layer.getName()).hasSameSizeAs(layers.getIterations());
            }
        }
        for (GradientStat stat : RECURRENT_GRADIENTS) {
            GradientCurves recurrent = curves.gradients(rnn, null, null, null, stat);
            assertThat(recurrent.getLayers().get(0).getKind()).isEqualTo(LayerKind.RECURRENT);
        }
        for (LayerStat stat : RECURRENT_STATS) {
            assertThat(curves.layers(rnn, stat, null, null, null).getLayers())
                    .as(stat.getValue())
                    .isNotEmpty();
        }

        TimestepIterations recorded = curves.timestepIterations(rnn);
        assertThat(recorded.getIterations()).isNotEmpty().isSorted().startsWith(1L);
        TimestepCurve first = curves.timesteps(rnn, null);
        assertThat(first.getIteration()).isEqualTo(1L);
        assertThat(first.getTimesteps()).hasSize(100);
        assertThat(first.getNorms()).hasSize(100);
        Long last = recorded.getIterations().get(recorded.getIterations().size() - 1);
        assertThat(curves.timesteps(rnn, last).getIteration()).isEqualTo(last);
    }

    @Test
    @Order(5)
    void listsJobsNewestFirst() throws ApiException {
        UUID rnn = submitted(exploding);
        JobPage page = jobs.callList(null, null, 0, 100);
        assertThat(page.getTotal()).isGreaterThanOrEqualTo(3L);
        assertThat(page.getItems()).extracting(Job::getId).contains(submitted(plain), rnn);
        assertThat(page.getItems())
                .extracting(Job::getCreatedAt)
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(jobs.callList("DIVERGED", null, 0, 100).getItems())
                .extracting(Job::getId)
                .contains(rnn);
    }

    @Test
    @Order(6)
    void readsTheDivergedResultWithItsNonFiniteFinalLoss() throws ApiException {
        Job job = jobs.get(submitted(exploding));
        assertThat(job.getStatus()).isEqualTo(Job.StatusEnum.DIVERGED);
        JobResult result = job.getResult();
        assertThat(result.getDivergence().getIteration()).isPositive();
        assertThat(result.getDivergence().getLayer()).isNotBlank();
        assertThat(result.getWallTimeMillis()).isPositive();
        // The non-finite loss: left out of the object, and named in its typed nonFinite list.
        assertThat(result.getFinalLoss()).isNull();
        NonFiniteField loss = result.getNonFinite().stream()
                .filter(n -> n.getField().equals("finalLoss"))
                .findFirst()
                .orElseThrow();
        assertThat(loss.getValue()).isIn(NonFiniteKind.NA_N, NonFiniteKind.INFINITY, NonFiniteKind._INFINITY);
        // The headline ratio of a recurrent run: the gradient reaching the first step over the last's.
        GradientRatio ratio = result.getGradientRatio();
        assertThat(ratio.getMeasure()).isEqualTo(GradientRatioMeasure.FIRST_TO_LAST_TIMESTEP);
        assertThat(ratio.getStartIteration()).isEqualTo(1L);
        assertThat(ratio.getStart()).as("scale 3 explodes through 100 steps").isGreaterThan(1e3);
    }

    @Test
    @Order(7)
    void readsThePlainJobsVanishingRatio() throws ApiException {
        GradientRatio ratio = jobs.get(submitted(plain)).getResult().getGradientRatio();
        assertThat(ratio.getMeasure()).isEqualTo(GradientRatioMeasure.FIRST_TO_LAST_DENSE_LAYER);
        assertThat(ratio.getNumerator()).isEqualTo("dense1");
        assertThat(ratio.getDenominator()).isEqualTo("dense20");
        assertThat(ratio.getStart()).isLessThan(1e-9);
        assertThat(ratio.getNonFinite()).isEmpty();
    }

    private static UUID submitted(UUID id) {
        assertThat(id)
                .as("the job was not submitted: see submitsThePlainAndTheExplodingRnnExample")
                .isNotNull();
        return id;
    }

    private Job await(UUID id) throws ApiException {
        long deadline = System.nanoTime() + TRAINING_TIMEOUT.toNanos();
        Job job = jobs.get(id);
        while (!FINISHED.contains(job.getStatus())) {
            assertThat(System.nanoTime())
                    .as("job " + id + " still " + job.getStatus() + " after " + TRAINING_TIMEOUT)
                    .isLessThan(deadline);
            AppProcess.sleep(200);
            job = jobs.get(id);
        }
        return job;
    }
}
