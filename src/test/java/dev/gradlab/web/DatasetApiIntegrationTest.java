package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Users' datasets over HTTP: upload, list, read, dedupe, refusals (each naming line and column, none leaving a row
 * behind), a job training on an upload, and delete (refused while a job needs it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DatasetApiIntegrationTest {

    static final String DATASETS = "/api/v1/datasets";
    static final String CSV = "text/csv";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    ApiClient api() {
        return new ApiClient(port);
    }

    /**
     * {@code rows} examples of {@code classes} separable blobs in {@code features} dimensions: class c centred at
     * 3·e_(c mod features) (+3 more per lap), unit noise; features scaled by {@code scale} and shifted by
     * {@code offset} (a standardisation test makes them huge). {@code salt} makes two calls' contents differ.
     */
    static String blobs(int rows, int features, int classes, double scale, double offset, long salt) {
        SplittableRandom random = new SplittableRandom(salt);
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < features; j++) {
            csv.append("f").append(j).append(',');
        }
        csv.append("class\n");
        for (int i = 0; i < rows; i++) {
            int c = i % classes;
            for (int j = 0; j < features; j++) {
                double centre = j == c % features ? 3.0 * (1 + c / features) : 0;
                double x = (centre + random.nextGaussian() * 0.7) * scale + offset;
                csv.append(String.format(Locale.ROOT, "%.5f", x)).append(',');
            }
            csv.append(c).append('\n');
        }
        return csv.toString();
    }

    static JsonNode upload(ApiClient api, String csv, String query, int expectedStatus) {
        ApiClient.Reply r = api.post(DATASETS + query, csv, CSV, null);
        assertThat(r.status()).as(r.body()).isEqualTo(expectedStatus);
        return r.json();
    }

    static String trainingSpec(String datasetId, boolean standardize, int epochs) {
        return """
                {"name": "on an upload", "model": {"depth": 2, "width": 32, "activation": "relu", "weightInit": "he"},
                 "dataset": {"name": "upload", "id": "%s", "standardize": %s},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 32, "epochs": %d}}""".formatted(datasetId, standardize, epochs);
    }

    private long storedRows() {
        Long datasets = jdbc.queryForObject("select count(*) from uploaded_dataset", Long.class);
        Long blocks = jdbc.queryForObject("select count(*) from uploaded_dataset_block", Long.class);
        return datasets * 1_000_000 + blocks;
    }

    @Test
    void uploadThenReadListAndFindTheSameDatasetAgain() {
        ApiClient api = api();
        String csv = blobs(300, 4, 3, 1, 0, 1);
        ApiClient.Reply created = api.post(DATASETS + "?name=blobs%20one", csv, CSV, null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode d = created.json();
        String id = d.get("id").asString();
        assertThat(created.header("Location")).isEqualTo("http://localhost:" + port + DATASETS + "/" + id);
        assertThat(d.get("name").asString()).isEqualTo("blobs one");
        assertThat(d.get("rows").asInt()).isEqualTo(300);
        assertThat(d.get("features").asInt()).isEqualTo(4);
        assertThat(d.get("classes").asInt()).isEqualTo(3);
        assertThat(d.get("classRows").toString()).isEqualTo("[100,100,100]");
        assertThat(d.get("labelColumn").asString()).isEqualTo("class");
        assertThat(d.get("bytes").asLong()).isEqualTo(csv.length());
        assertThat(d.get("storedBytes").asLong()).isEqualTo(300 * 4 * 4 + 300 * 4);
        assertThat(d.get("sha256").asString()).matches("[0-9a-f]{64}");

        JsonNode read = api.get(DATASETS + "/" + id).json();
        assertThat(read).isEqualTo(d);
        JsonNode page = api.get(DATASETS + "?size=100").json();
        assertThat(page.get("total").asLong()).isPositive();
        assertThat(page.get("items").findValuesAsString("id")).contains(id);

        // The same content again, even written differently (CRLF, other names, another name=): the same dataset.
        String again = csv.replace("\n", "\r\n").replace("class", "label");
        long before = storedRows();
        ApiClient.Reply repeat = api.post(DATASETS + "?name=other", again, CSV, null);
        assertThat(repeat.status()).as(repeat.body()).isEqualTo(200);
        assertThat(repeat.json()).isEqualTo(d);
        assertThat(storedRows()).isEqualTo(before);
        // The same CSV with another label column is other content, so another dataset.
        String small = "p,q,r\n0,1,5\n1,0,6\n0,1,7\n1,1,8\n";
        JsonNode byLast = upload(api, small, "", 201);
        JsonNode byFirst = upload(api, small, "?label=p", 201);
        assertThat(byFirst.get("id").asString()).isNotEqualTo(byLast.get("id").asString());
        assertThat(byFirst.get("labelColumn").asString()).isEqualTo("p");
        assertThat(byFirst.get("classes").asInt()).isEqualTo(2);
        assertThat(byLast.get("classes").asInt()).isEqualTo(9);
        assertThat(byLast.get("classRows").toString()).isEqualTo("[0,0,0,0,0,1,1,1,1]");
    }

    @Test
    void aJobTrainsOnAnUploadWellAboveChanceAndItsSpecStatesTheShape() {
        ApiClient api = api();
        JsonNode dataset = upload(api, blobs(600, 5, 3, 1, 0, 2), "?name=separable", 201);
        String id = dataset.get("id").asString();
        ApiClient.Reply submitted = api.post("/api/v1/jobs", trainingSpec(id, false, 15));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode spec = submitted.json().get("spec").get("dataset");
        assertThat(spec.get("name").asString()).isEqualTo("upload");
        assertThat(spec.get("id").asString()).isEqualTo(id);
        assertThat(spec.get("features").asInt()).isEqualTo(5);
        assertThat(spec.get("classes").asInt()).isEqualTo(3);
        assertThat(spec.get("samples").asInt()).isEqualTo(600);
        assertThat(spec.get("standardize").asBoolean()).isFalse();
        assertThat(spec.has("noise")).isFalse();
        // 5 × 32 + 32, 32 × 32 + 32, 32 × 3 + 3
        assertThat(submitted.json().get("parameters").asLong()).isEqualTo(192 + 1056 + 99);

        JsonNode done = api.awaitFinished(submitted.json().get("id").asString(), Duration.ofSeconds(120));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("progress").get("iteration").asLong()).isEqualTo(15 * 15); // 480 / 32 per epoch
        assertThat(done.get("result").get("testAccuracy").asDouble())
                .as("three separable blobs; chance is 1/3")
                .isGreaterThan(0.9);
    }

    @Test
    void standardisationLetsANetLearnFeaturesOfAHugeScale() {
        ApiClient api = api();
        // Features around 10,000 with a spread of 1,000: unstandardised, the first layer saturates.
        String id = upload(api, blobs(600, 4, 2, 1000, 10_000, 3), "", 201)
                .get("id")
                .asString();
        String job = api.submit(trainingSpec(id, true, 10));
        JsonNode done = api.awaitFinished(job, Duration.ofSeconds(120));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("spec").get("dataset").get("standardize").asBoolean())
                .isTrue();
        assertThat(done.get("result").get("testAccuracy").asDouble()).isGreaterThan(0.9);
    }

    @Test
    void aSpecNamingNoUploadOrAnUnknownOneIsRefusedAtSubmission() {
        ApiClient api = api();
        ApiClient.Reply unknown = api.post(
                "/api/v1/jobs",
                "{\"dataset\": {\"name\": \"upload\", \"id\": \"00000000-0000-0000-0000-000000000001\"}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asString()).isEqualTo("dataset.id");
        assertThat(unknown.json().get("errors").get(0).get("message").asString())
                .contains("no uploaded dataset has this id");
        ApiClient.Reply missing = api.post("/api/v1/jobs", "{\"dataset\": {\"name\": \"upload\"}}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("errors").get(0).get("field").asString()).isEqualTo("dataset.id");
        ApiClient.Reply notUpload = api.post(
                "/api/v1/jobs",
                "{\"dataset\": {\"name\": \"spirals\", \"id\": \"00000000-0000-0000-0000-000000000001\", "
                        + "\"standardize\": true}}");
        assertThat(notUpload.status()).isEqualTo(400);
        assertThat(notUpload.json().get("errors").findValuesAsString("field"))
                .containsExactly("dataset.id", "dataset.standardize");

        String id = upload(api, blobs(30, 2, 2, 1, 0, 4), "", 201).get("id").asString();
        ApiClient.Reply tooMany = api.post(
                "/api/v1/jobs", "{\"dataset\": {\"name\": \"upload\", \"id\": \"" + id + "\", \"samples\": 31}}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("errors").get(0).get("message").asString())
                .isEqualTo("the upload has 30 rows (was 31)");
        ApiClient.Reply wrongWidth = api.post(
                "/api/v1/jobs", "{\"dataset\": {\"name\": \"upload\", \"id\": \"" + id + "\", \"features\": 3}}");
        assertThat(wrongWidth.status()).isEqualTo(400);
        assertThat(wrongWidth.json().get("errors").get(0).get("field").asString())
                .isEqualTo("dataset.features");
    }

    @Test
    void badCsvIsA400NamingLineAndColumnAndNothingIsStored() {
        ApiClient api = api();
        long before = storedRows();
        ApiClient.Reply text = api.post(DATASETS, "a,b,y\n1,2,0\n3,x,1\n", CSV, null);
        assertThat(text.status()).isEqualTo(400);
        assertThat(text.contentType()).startsWith("application/problem+json");
        assertThat(text.json().get("code").asString()).isEqualTo("invalid-csv");
        assertThat(text.json().get("detail").asString()).isEqualTo("line 3, column 2 ('b'): 'x' is not a number");
        assertThat(text.json().get("line").asLong()).isEqualTo(3);
        assertThat(text.json().get("column").asInt()).isEqualTo(2);
        assertThat(text.json().get("errors").get(0).get("field").asString()).isEqualTo("body");

        ApiClient.Reply ragged = api.post(DATASETS, "a,b,y\n1,2,0\n3,1\n", CSV, null);
        assertThat(ragged.json().get("line").asLong()).isEqualTo(3);
        assertThat(ragged.json().get("column").asInt()).isEqualTo(3);
        ApiClient.Reply oneClass = api.post(DATASETS, "a,y\n1,1\n2,1\n", CSV, null);
        assertThat(oneClass.status()).isEqualTo(400);
        assertThat(oneClass.json().get("detail").asString()).contains("at least two classes");
        assertThat(oneClass.json().has("line")).isFalse();
        assertThat(api.post(DATASETS, "", CSV, null).json().get("detail").asString())
                .contains("the CSV is empty");
        assertThat(api.post(DATASETS, "a,y\n", CSV, null).json().get("detail").asString())
                .contains("no data rows");
        ApiClient.Reply negative = api.post(DATASETS, "a,y\n1,0\n2,-1\n", CSV, null);
        assertThat(negative.json().get("detail").asString()).contains("negative");

        ApiClient.Reply label = api.post(DATASETS + "?label=nope", "a,y\n1,0\n2,1\n", CSV, null);
        assertThat(label.status()).isEqualTo(400);
        assertThat(label.json().get("code").asString()).isEqualTo("invalid-parameter");
        assertThat(label.json().get("errors").get(0).get("field").asString()).isEqualTo("label");
        ApiClient.Reply json = api.post(DATASETS, "{\"a\": 1}", "application/json", null);
        assertThat(json.status()).isEqualTo(415);
        assertThat(json.contentType()).startsWith("application/problem+json");
        ApiClient.Reply longName = api.post(DATASETS + "?name=" + "n".repeat(201), "a,y\n1,0\n2,1\n", CSV, null);
        assertThat(longName.status()).isEqualTo(400);
        assertThat(storedRows()).as("nothing of a refused upload is stored").isEqualTo(before);
    }

    @Test
    void anUploadMayBeLargerThanTheJsonBodyLimit() {
        // 64 KB is gradlab.api.max-body-bytes; the upload path has its own limit.
        String csv = blobs(5000, 8, 2, 1, 0, 5);
        assertThat(csv.length()).isGreaterThan(200_000);
        upload(api(), csv, "", 201);
        // Streamed without a Content-Length, too.
        HttpRequest.Builder chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + port + DATASETS))
                .header("Content-Type", CSV)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        blobs(5000, 8, 2, 1, 0, 6).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(api().send(chunked).status()).isEqualTo(201);
    }

    @Test
    void deleteIsRefusedWhileAJobNeedsTheDatasetAndWorksAfter() {
        ApiClient api = api();
        String id = upload(api, blobs(2000, 10, 2, 1, 0, 7), "", 201).get("id").asString();
        // Long enough to be queued or running while the deletes below happen.
        String job = api.submit("""
                {"model": {"depth": 20, "width": 64},
                 "dataset": {"name": "upload", "id": "%s"},
                 "training": {"batchSize": 16, "epochs": 200}}""".formatted(id));
        ApiClient.Reply refused =
                api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + DATASETS + "/" + id))
                        .DELETE());
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("code").asString()).isEqualTo("dataset-in-use");
        assertThat(refused.json().get("detail").asString()).contains("1 job queued or running");
        assertThat(api.get(DATASETS + "/" + id).status()).isEqualTo(200);

        api.post("/api/v1/jobs/" + job + "/cancel", null, null, null);
        JsonNode cancelled = api.awaitFinished(job, Duration.ofSeconds(60));
        assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
        ApiClient.Reply deleted =
                api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + DATASETS + "/" + id))
                        .DELETE());
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(api.get(DATASETS + "/" + id).status()).isEqualTo(404);
        assertThat(jdbc.queryForObject(
                        "select count(*) from uploaded_dataset_block where dataset_id = ?",
                        Long.class,
                        java.util.UUID.fromString(id)))
                .isZero();
        // The finished job stays, with its spec naming the dataset it trained on.
        assertThat(api.get("/api/v1/jobs/" + job)
                        .json()
                        .get("spec")
                        .get("dataset")
                        .get("id")
                        .asString())
                .isEqualTo(id);
        ApiClient.Reply again =
                api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + DATASETS + "/" + id))
                        .DELETE());
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("code").asString()).isEqualTo("dataset-not-found");
    }

    @Test
    void pagesAreCheckedLikeTheJobsList() {
        ApiClient.Reply r = api().get(DATASETS + "?size=101");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("size");
        assertThat(api().get(DATASETS + "?page=-1").status()).isEqualTo(400);
        assertThat(api().get(DATASETS + "/not-a-uuid").status()).isEqualTo(400);
    }
}
