package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.client.ApiClient;
import dev.gradlab.client.ApiException;
import dev.gradlab.client.api.CurvesApi;
import dev.gradlab.client.api.JobsApi;
import dev.gradlab.client.model.DatasetSpec;
import dev.gradlab.client.model.JobPage;
import dev.gradlab.client.model.JobRequest;
import dev.gradlab.client.model.JobView;
import dev.gradlab.client.model.LayerCurve;
import dev.gradlab.client.model.LayerCurves;
import dev.gradlab.client.model.LossCurve;
import dev.gradlab.client.model.MetricsSpec;
import dev.gradlab.client.model.ModelSpec;
import dev.gradlab.client.model.Result;
import dev.gradlab.client.model.TimestepCurve;
import dev.gradlab.client.model.TimestepIterations;
import dev.gradlab.client.model.TrainingSpec;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
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
    private static final Set<JobView.StatusEnum> FINISHED = EnumSet.of(JobView.StatusEnum.SUCCEEDED,
            JobView.StatusEnum.FAILED, JobView.StatusEnum.CANCELLED, JobView.StatusEnum.DIVERGED);
    private static final List<String> GRADIENT_STATS = List.of("weightGradientNorm", "biasGradientNorm",
            "clippedWeightGradientNorm", "clippedBiasGradientNorm");
    private static final List<String> LAYER_STATS = List.of("weightGradientNorm", "biasGradientNorm",
            "clippedWeightGradientNorm", "clippedBiasGradientNorm", "updateRatio", "activationMean",
            "activationStd");
    private static final List<String> RECURRENT_STATS = List.of("recurrentWeightGradientNorm",
            "clippedRecurrentWeightGradientNorm");

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
                .training(new TrainingSpec().optimizer(TrainingSpec.OptimizerEnum.ADAM).learningRate(0.01)
                        .batchSize(64).epochs(3));
    }

    /** examples/rnn-exploding.json (SpecExamples.RNN_EXPLODING) as it stands: it diverges in its second epoch. */
    private static JobRequest explodingRnnExample() {
        return new JobRequest()
                .name("rnn exploding (scale 3, no clipping)")
                .model(new ModelSpec().type(ModelSpec.TypeEnum.RNN).cell(ModelSpec.CellEnum.SIMPLE).width(64)
                        .recurrentScale(3.0))
                .dataset(new DatasetSpec().name(DatasetSpec.NameEnum.ADDING).samples(1000).sequenceLength(100))
                .training(new TrainingSpec().optimizer(TrainingSpec.OptimizerEnum.SGD).learningRate(0.05)
                        .batchSize(50).epochs(3))
                .metrics(new MetricsSpec().every(5));
    }

    @Test
    @Order(1)
    void submitsThePlainAndTheExplodingRnnExample() throws ApiException {
        // TODO(contract): fails today, and so every later step. The generated models start with the document's
        // `default`s and send them, and the server refuses defaults that apply to the other model type: for the
        // mlp, 400 "dataset.sequenceLength: applies only to the sequence tasks; model.cell, model.forgetGateBias,
        // model.recurrentScale: applies only to model.type rnn"; for the rnn, 400 "dataset.classes: adding fixes
        // its own outputs; model.batchNorm, model.batchNormPlacement, model.residual: applies only to model.type
        // mlp; model.forgetGateBias: applies only to model.cell lstm". A `default` in the document must be a value
        // the client may send in every case (or be left out).
        JobView p = jobs.submit(plainExample(), null);
        assertThat(p.getId()).isNotNull();
        assertThat(p.getStatus()).isIn(JobView.StatusEnum.QUEUED, JobView.StatusEnum.RUNNING);
        assertThat(p.getSpec().getModel().getDepth()).isEqualTo(20);
        assertThat(p.getCreatedAt()).isNotNull();
        plain = p.getId();

        JobView r = jobs.submit(explodingRnnExample(), "generated-client-" + UUID.randomUUID());
        assertThat(r.getSpec().getModel().getType()).isEqualTo(ModelSpec.TypeEnum.RNN);
        assertThat(r.getSpec().getModel().getRecurrentScale()).isEqualTo(3.0);
        exploding = r.getId();
    }

    @Test
    @Order(2)
    void cancelsAThirdJobWhileQueuedOrRunning() throws ApiException {
        JobView long_ = jobs.submit(new JobRequest().name("long")
                .model(new ModelSpec().depth(20).width(64))
                .dataset(new DatasetSpec().samples(20000))
                .training(new TrainingSpec().batchSize(32).epochs(20)), null);
        JobView cancelled = jobs.cancel(long_.getId());
        assertThat(cancelled.getId()).isEqualTo(long_.getId());
        assertThat(cancelled.getStatus()).isIn(JobView.StatusEnum.CANCELLED, JobView.StatusEnum.RUNNING);
        assertThat(await(long_.getId()).getStatus()).isEqualTo(JobView.StatusEnum.CANCELLED);
        ApiException again = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
                () -> jobs.cancel(long_.getId()));
        assertThat(again.getCode()).isEqualTo(409);
    }

    @Test
    @Order(3)
    void thePlainJobSucceedsAndTheRnnDiverges() throws ApiException {
        assertThat(await(submitted(plain)).getStatus()).isEqualTo(JobView.StatusEnum.SUCCEEDED);
        assertThat(await(submitted(exploding)).getStatus()).isEqualTo(JobView.StatusEnum.DIVERGED);
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
        assertThat(diverged.getNonFinite().get(0).getValue()).isIn("NaN", "Infinity", "-Infinity");

        for (String stat : GRADIENT_STATS) {
            LayerCurves gradients = curves.gradients(mlp, 200, null, null, stat);
            assertThat(gradients.getLayers()).as(stat).hasSizeGreaterThanOrEqualTo(21); // 20 hidden + output
            assertThat(gradients.getLayers().get(0).getNorms()).as(stat).hasSameSizeAs(gradients.getIterations());
        }
        for (String stat : LAYER_STATS) {
            LayerCurves layers = curves.layers(mlp, stat, 200, null, null);
            assertThat(layers.getLayers()).as(stat).isNotEmpty();
            for (LayerCurve layer : layers.getLayers()) {
                assertThat(layer.getValues()).as(stat + " " + layer.getName()).hasSameSizeAs(layers.getIterations());
            }
        }
        for (String stat : RECURRENT_STATS) {
            LayerCurves recurrent = curves.gradients(rnn, null, null, null, stat);
            assertThat(recurrent.getLayers().get(0).getKind()).isEqualTo("recurrent");
            assertThat(curves.layers(rnn, stat, null, null, null).getLayers()).as(stat).isNotEmpty();
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
        JobPage page = jobs.callList(null, 0, 100);
        assertThat(page.getTotal()).isGreaterThanOrEqualTo(3L);
        assertThat(page.getItems()).extracting(JobView::getId).contains(submitted(plain), rnn);
        assertThat(page.getItems()).extracting(JobView::getCreatedAt)
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(jobs.callList("DIVERGED", 0, 100).getItems()).extracting(JobView::getId).contains(rnn);
    }

    @Test
    @Order(6)
    void readsTheDivergedResultWithItsNonFiniteFinalLoss() throws Exception {
        JobView job = jobs.get(submitted(exploding));
        assertThat(job.getStatus()).isEqualTo(JobView.StatusEnum.DIVERGED);
        Result result = job.getResult();
        assertThat(result.getDivergence().getIteration()).isPositive();
        assertThat(result.getDivergence().getLayer()).isNotBlank();
        assertThat(result.getWallTimeMillis()).isPositive();
        // TODO(contract): fails today. Result.finalLoss has no type in the document (a number, or "NaN",
        // "Infinity", "-Infinity" for a non-finite loss), so the generated getter returns Object.
        assertThat(Result.class.getMethod("getFinalLoss").getReturnType())
                .as("the generated type of Result.finalLoss").isNotEqualTo(Object.class);
        assertThat(isNonFinite(result.getFinalLoss())).as("finalLoss " + result.getFinalLoss()).isTrue();
    }

    /** A non-finite loss in whatever typed form the document gives it: a double, its name, or a oneOf holder. */
    private static boolean isNonFinite(Object loss) throws Exception {
        if (loss instanceof Number n) {
            return !Double.isFinite(n.doubleValue());
        }
        if (loss instanceof Enum<?> e) {
            return isNonFinite(e.toString());
        }
        if (loss instanceof String s) {
            return Set.of("NaN", "Infinity", "-Infinity").contains(s);
        }
        if (loss != null) { // a generated oneOf holder (AbstractOpenApiSchema)
            return isNonFinite(loss.getClass().getMethod("getActualInstance").invoke(loss));
        }
        return false;
    }

    private static UUID submitted(UUID id) {
        assertThat(id).as("the job was not submitted: see submitsThePlainAndTheExplodingRnnExample").isNotNull();
        return id;
    }

    private JobView await(UUID id) throws ApiException {
        long deadline = System.nanoTime() + TRAINING_TIMEOUT.toNanos();
        JobView job = jobs.get(id);
        while (!FINISHED.contains(job.getStatus())) {
            assertThat(System.nanoTime()).as("job " + id + " still " + job.getStatus() + " after " + TRAINING_TIMEOUT)
                    .isLessThan(deadline);
            AppProcess.sleep(200);
            job = jobs.get(id);
        }
        return job;
    }
}
