package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document describes what the server really answers; Swagger UI and the health probes are up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ApiDocumentationIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void openApiListsEveryOperationWithItsRealStatusCodes() {
        JsonNode doc = new ApiClient(port).get("/v3/api-docs").json();
        JsonNode paths = doc.get("paths");
        JsonNode post = paths.get("/api/v1/jobs").get("post");
        assertThat(post.get("responses").propertyNames()).contains("202", "400", "413", "415", "422");
        JsonNode examples =
                post.get("requestBody").get("content").get("application/json").get("examples");
        assertThat(examples.propertyNames())
                .contains("plain", "batchNorm", "residual", "rnnVanishing", "rnnExploding", "rnnClipped", "digits");
        assertThat(examples.get("batchNorm").get("value").toString()).contains("\"batchNorm\":true");
        assertThat(paths.get("/api/v1/jobs").get("get").get("responses").propertyNames())
                .contains("200", "400");
        assertThat(paths.get("/api/v1/jobs/{id}").get("get").get("responses").propertyNames())
                .contains("200", "404");
        assertThat(paths.get("/api/v1/jobs/{id}/cancel")
                        .get("post")
                        .get("responses")
                        .propertyNames())
                .contains("200", "404", "409");
        for (String curve : new String[] {"loss", "gradients", "layers", "timesteps", "timesteps/iterations"}) {
            assertThat(paths.get("/api/v1/jobs/{id}/curves/" + curve)
                            .get("get")
                            .get("responses")
                            .propertyNames())
                    .contains("200", "400", "404");
        }
        // The success answer is listed first: generated clients send the first JSON type they find as Accept.
        assertThat(paths.get("/api/v1/jobs/{id}/curves/gradients")
                        .get("get")
                        .get("responses")
                        .propertyNames()
                        .iterator()
                        .next())
                .isEqualTo("200");
        JsonNode schemas = doc.get("components").get("schemas");
        assertThat(schemas.get("Job").get("properties").propertyNames())
                .contains(
                        "id",
                        "name",
                        "status",
                        "spec",
                        "createdAt",
                        "startedAt",
                        "finishedAt",
                        "progress",
                        "result",
                        "error",
                        "worker",
                        "attempt",
                        "diagnosis");
        assertThat(schemas.get("JobResult").get("properties").propertyNames())
                .contains("finalLoss", "gradientRatio", "nonFinite");
        assertThat(schemas.get("LayerCurves").get("properties").propertyNames()).contains("iterations", "layers");
        // The stat enums come from the one list of recorded series, the recurrent ones included.
        assertThat(schemas.get("LayerStat").get("enum").toString())
                .contains(
                        "updateRatio",
                        "activationStd",
                        "recurrentWeightGradientNorm",
                        "clippedRecurrentWeightGradientNorm",
                        "saturatedFraction",
                        "deadFraction");
        assertThat(schemas.get("GradientStat").get("enum").toString())
                .contains("recurrentWeightGradientNorm")
                .doesNotContain("updateRatio", "saturatedFraction");
        // Every finding code, from the diagnosis's own enum; the description cites the rules and their properties.
        assertThat(schemas.get("FindingCode").get("enum").toString())
                .contains("VANISHING_GRADIENT", "DEAD_UNITS", "VANISHING_THROUGH_TIME", "HEALTHY");
        assertThat(schemas.get("Job")
                        .get("properties")
                        .get("diagnosis")
                        .get("description")
                        .asString())
                .contains(
                        "AUTOTRAINER",
                        "DeepDiagnosis",
                        "Pascanu",
                        "gradlab.diagnosis.vanishing-ratio",
                        "dead-fraction");
        assertThat(schemas.get("LossCurve").get("properties").propertyNames())
                .contains("iterations", "values", "nonFinite");
    }

    @Test
    void documentedExamplesAreAcceptedAsTheyStand() {
        ApiClient api = new ApiClient(port);
        JsonNode examples = api.get("/v3/api-docs")
                .json()
                .get("paths")
                .get("/api/v1/jobs")
                .get("post")
                .get("requestBody")
                .get("content")
                .get("application/json")
                .get("examples");
        for (String name :
                new String[] {"plain", "batchNorm", "residual", "rnnVanishing", "rnnExploding", "rnnClipped", "digits"
                }) {
            ApiClient.Reply r =
                    api.post("/api/v1/jobs", examples.get(name).get("value").toString());
            assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(202);
            api.post("/api/v1/jobs/" + r.json().get("id").asString() + "/cancel", null, null, null);
        }
    }

    @Test
    void swaggerUiIsServed() throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/swagger-ui.html"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");
    }

    @Test
    void livenessAndReadinessAnswer() {
        ApiClient api = new ApiClient(port);
        assertThat(api.get("/actuator/health/liveness").json().get("status").asString())
                .isEqualTo("UP");
        assertThat(api.get("/actuator/health/readiness").json().get("status").asString())
                .isEqualTo("UP");
    }
}
