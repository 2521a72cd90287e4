package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Keys mode over real HTTP, with two owners' keys: every endpoint that takes an id answers another owner's id
 * exactly as it answers an id that does not exist, lists hold only the caller's own (an admin's: everyone's),
 * idempotency keys and dataset deduplication are per owner, only admins see the worker, only the owner or an admin
 * deletes, only admins scrape the metrics, and a revoked key is refused on the next request. Run on H2 ({@link KeysModeIntegrationTest}) and on PostgreSQL
 * ({@link PostgresKeysIntegrationTest}), since the owner filters are queries.
 */
abstract class OwnerIsolationContract {

    static final String DATASETS = "/api/v1/datasets";
    static final String KEYS = "/api/v1/admin/keys";

    @LocalServerPort
    int port;

    ApiClient anonymous() {
        return new ApiClient(port);
    }

    ApiClient admin() {
        return anonymous().withKey(ApiClient.TEST_ADMIN_KEY);
    }

    /** A new key for a new owner (unique per test, so tests do not see each other's resources). */
    ApiClient newOwner(String name) {
        String owner = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        ApiClient.Reply created = admin().post(KEYS, "{\"owner\": \"" + owner + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("owner").asString()).isEqualTo(owner);
        assertThat(created.json().get("admin").asBoolean()).isFalse();
        String key = created.json().get("key").asString();
        assertThat(key)
                .startsWith("glk_")
                .hasSize(47)
                .startsWith(created.json().get("prefix").asString());
        return anonymous().withKey(key);
    }

    @Test
    void theApiNeedsAKeyButProbesPagesAndTheDocumentDoNot() {
        ApiClient.Reply none = anonymous().get("/api/v1/jobs");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(none.json().get("code").asString()).isEqualTo("unauthorized");
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"gradlab\"");

        ApiClient.Reply bad = anonymous().withKey("glk_" + "A".repeat(43)).get("/api/v1/jobs");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.json().get("code").asString()).isEqualTo("invalid-key");
        assertThat(bad.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        ApiClient.Reply basic = anonymous()
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/presets"))
                        .header("Authorization", "Basic " + "YWRtaW46YWRtaW4="));
        assertThat(basic.status()).isEqualTo(401);

        assertThat(anonymous().get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(anonymous().get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(anonymous().get("/").status()).isEqualTo(200);
        assertThat(anonymous().get("/dashboard/api.js").status()).isEqualTo(200);
        assertThat(anonymous().get("/v3/api-docs").status()).isEqualTo(200);
        // Other actuator endpoints: admins only. The Prometheus scrape holds every owner's counts.
        ApiClient alice = newOwner("alice");
        ApiClient.Reply noKey = anonymous().get("/actuator/prometheus");
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.contentType()).startsWith("application/problem+json");
        assertThat(noKey.json().get("code").asString()).isEqualTo("unauthorized");
        assertThat(noKey.body()).doesNotContain("gradlab_");
        ApiClient.Reply notAdmin = alice.get("/actuator/prometheus");
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(notAdmin.json().get("code").asString()).isEqualTo("forbidden");
        assertThat(notAdmin.body()).doesNotContain("gradlab_");
        ApiClient.Reply scrape = admin().get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.contentType()).startsWith("text/plain");
        assertThat(scrape.header("Cache-Control")).contains("no-store");
        assertThat(scrape.body()).contains("gradlab_jobs_queued", "gradlab_jobs_submitted_total");
        // An endpoint that is off: refused before it is looked up, unless the caller is an admin (then 404).
        assertThat(anonymous().get("/actuator/env").status()).isEqualTo(401);
        assertThat(alice.get("/actuator/env").status()).isEqualTo(403);
        assertThat(admin().get("/actuator/env").status()).isEqualTo(404);
    }

    @Test
    void adminEndpointsAreForAdminsAndNeverShowASecretAgain() {
        ApiClient alice = newOwner("alice");
        ApiClient.Reply denied = alice.post(KEYS, "{\"owner\": \"mallory\", \"admin\": true}");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().get("code").asString()).isEqualTo("forbidden");
        assertThat(alice.get(KEYS).status()).isEqualTo(403);
        assertThat(alice.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + KEYS + "/x"))
                                .DELETE())
                        .status())
                .isEqualTo(403);

        assertThat(admin().post(KEYS, "{\"owner\": \"no spaces\"}").status()).isEqualTo(400);
        assertThat(admin().post(KEYS, "{}").status()).isEqualTo(400);
        ApiClient.Reply list = admin().get(KEYS);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain("glk_" + "A".repeat(10)); // the contract checks no other fields
        for (JsonNode key : list.json().get("items")) {
            assertThat(key.has("key")).isFalse();
            assertThat(key.get("prefix").asString()).hasSize(10);
        }
        ApiClient.Reply unknown = admin().send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + KEYS + "/" + UUID.randomUUID()))
                                .DELETE());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("code").asString()).isEqualTo("api-key-not-found");

        // An admin key made through the API sees every owner's, like the operator's.
        String aliceJob = alice.submit(JobApiIntegrationTest.TINY);
        ApiClient.Reply made = admin().post(KEYS, "{\"owner\": \"ops\", \"admin\": true}");
        ApiClient ops = anonymous().withKey(made.json().get("key").asString());
        assertThat(ops.get("/api/v1/jobs/" + aliceJob).status()).isEqualTo(200);
        assertThat(ops.get(KEYS).status()).isEqualTo(200);
    }

    @Test
    void aRevokedKeyIsRefusedAtOnce() {
        ApiClient.Reply created = admin().post(KEYS, "{\"owner\": \"carol\"}");
        String id = created.json().get("id").asString();
        ApiClient carol = anonymous().withKey(created.json().get("key").asString());
        assertThat(carol.get("/api/v1/jobs").status()).isEqualTo(200);

        ApiClient.Reply revoked = admin().send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + KEYS + "/" + id))
                                .DELETE());
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("revokedAt").asString()).isNotBlank();

        ApiClient.Reply refused = carol.get("/api/v1/jobs");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("code").asString()).isEqualTo("invalid-key");
        JsonNode listed = null;
        for (JsonNode key : admin().get(KEYS).json().get("items")) {
            if (key.get("id").asString().equals(id)) {
                listed = key;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("revokedAt").asString())
                .isEqualTo(revoked.json().get("revokedAt").asString());
        assertThat(listed.get("lastUsedAt").asString()).isNotBlank(); // carol's one request
    }

    @Test
    void anotherOwnersIdsAnswerLikeIdsThatDoNotExist() {
        ApiClient alice = newOwner("alice");
        ApiClient bob = newOwner("bob");

        // Alice's job (with an idempotency key), dataset, a job on that dataset, and study.
        ApiClient.Reply submitted = alice.post("/api/v1/jobs", JobApiIntegrationTest.TINY, "application/json", "k-1");
        assertThat(submitted.status()).isEqualTo(202);
        String job = submitted.json().get("id").asString();
        String csv = DatasetApiIntegrationTest.blobs(60, 2, 2, 1, 0, 7);
        ApiClient.Reply upload = alice.post(DATASETS, csv, "text/csv", null);
        assertThat(upload.status()).isEqualTo(201);
        String dataset = upload.json().get("id").asString();
        String onUpload = """
                {"model": {"depth": 2, "width": 8}, "dataset": {"name": "upload", "id": "%s"},
                 "training": {"epochs": 1, "batchSize": 16}}""".formatted(dataset);
        assertThat(alice.post("/api/v1/jobs", onUpload).status()).isEqualTo(202);
        ApiClient.Reply study = alice.post("/api/v1/studies", """
                {"name": "s", "base": %s, "vary": {"training.learningRate": [0.01, 0.02]}}""".formatted(StudyApiIntegrationTest.TINY_BASE));
        assertThat(study.status()).as(study.body()).isEqualTo(202);
        String studyId = study.json().get("id").asString();
        JsonNode done = alice.awaitFinished(job, Duration.ofSeconds(90));
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");

        // The owner sees hers, without the worker (host and process are admins' business); the admin sees both.
        assertThat(done.get("owner").asString()).startsWith("alice-");
        assertThat(done.has("worker")).isFalse();
        JsonNode asAdmin = admin().get("/api/v1/jobs/" + job).json();
        assertThat(asAdmin.get("worker").asString()).isNotBlank();
        assertThat(asAdmin.get("owner").asString()).isEqualTo(done.get("owner").asString());
        assertThat(alice.get("/api/v1/jobs/" + job + "/curves/loss").status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/jobs/" + job + "/events").status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/studies/" + studyId).status()).isEqualTo(200);
        assertThat(alice.get(DATASETS + "/" + dataset).status()).isEqualTo(200);

        // Bob: every endpoint that takes one of those ids answers as for an id that does not exist.
        List<String> jobPaths = List.of(
                "/api/v1/jobs/{id}",
                "/api/v1/jobs/{id}/curves/loss",
                "/api/v1/jobs/{id}/curves/gradients",
                "/api/v1/jobs/{id}/curves/layers?stat=updateRatio",
                "/api/v1/jobs/{id}/curves/timesteps",
                "/api/v1/jobs/{id}/curves/timesteps/iterations",
                "/api/v1/jobs/{id}/profiles",
                "/api/v1/jobs/{id}/events");
        for (String path : jobPaths) {
            assertAnswersLikeUnknown(bob, "GET", path, job, "job-not-found");
        }
        assertAnswersLikeUnknown(bob, "POST", "/api/v1/jobs/{id}/cancel", job, "job-not-found");
        for (String path :
                List.of("/api/v1/studies/{id}", "/api/v1/studies/{id}/profiles", "/api/v1/jobs?studyId={id}")) {
            if (path.contains("studyId")) {
                assertThat(bob.get(path.replace("{id}", studyId))
                                .json()
                                .get("total")
                                .asLong())
                        .isZero();
            } else {
                assertAnswersLikeUnknown(bob, "GET", path, studyId, "study-not-found");
            }
        }
        assertAnswersLikeUnknown(bob, "POST", "/api/v1/studies/{id}/cancel", studyId, "study-not-found");
        // Deleting: Bob cannot delete her job or study, not even learn that a job is a study's (409 job-in-study).
        String studyJob = alice.get("/api/v1/jobs?studyId=" + studyId)
                .json()
                .get("items")
                .get(0)
                .get("id")
                .asString();
        assertAnswersLikeUnknown(bob, "DELETE", "/api/v1/jobs/{id}", job, "job-not-found");
        assertAnswersLikeUnknown(bob, "DELETE", "/api/v1/jobs/{id}", studyJob, "job-not-found");
        assertAnswersLikeUnknown(bob, "DELETE", "/api/v1/studies/{id}", studyId, "study-not-found");
        assertAnswersLikeUnknown(bob, "GET", DATASETS + "/{id}", dataset, "dataset-not-found");
        assertAnswersLikeUnknown(bob, "DELETE", DATASETS + "/{id}", dataset, "dataset-not-found");
        // Naming her dataset in a spec: the validator does not know it either.
        ApiClient.Reply borrowed = bob.post("/api/v1/jobs", onUpload);
        ApiClient.Reply invented = bob.post(
                "/api/v1/jobs", onUpload.replace(dataset, UUID.randomUUID().toString()));
        assertThat(borrowed.status()).isEqualTo(400).isEqualTo(invented.status());
        assertThat(borrowed.json()
                        .get("errors")
                        .get(0)
                        .get("message")
                        .asString()
                        .replace(dataset, "X"))
                .isEqualTo(invented.json()
                        .get("errors")
                        .get(0)
                        .get("message")
                        .asString()
                        .replaceAll("[0-9a-f-]{36}", "X"));

        // Lists: Bob's are empty, the admin's hold Alice's.
        for (String list : List.of("/api/v1/jobs", "/api/v1/studies", DATASETS)) {
            JsonNode page = bob.get(list).json();
            assertThat(page.get("total").asLong()).as(list).isZero();
            assertThat(page.get("items").size()).as(list).isZero();
        }
        assertThat(ids(admin().get("/api/v1/jobs?size=100").json())).contains(job);
        assertThat(ids(admin().get("/api/v1/studies?size=100").json())).contains(studyId);
        assertThat(ids(admin().get(DATASETS + "?size=100").json())).contains(dataset);
        assertThat(ids(alice.get("/api/v1/jobs?size=100").json())).contains(job).hasSize(4);

        // Per owner: Bob's Idempotency-Key k-1 (with another body) is his own, and the same CSV is his own dataset.
        ApiClient.Reply bobsKeyed = bob.post(
                "/api/v1/jobs", JobApiIntegrationTest.TINY.replace("tiny", "bob's"), "application/json", "k-1");
        assertThat(bobsKeyed.status()).isEqualTo(202);
        assertThat(bobsKeyed.header("Idempotent-Replayed")).isNull();
        assertThat(bobsKeyed.json().get("id").asString()).isNotEqualTo(job);
        ApiClient.Reply replay = alice.post("/api/v1/jobs", JobApiIntegrationTest.TINY, "application/json", "k-1");
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.json().get("id").asString()).isEqualTo(job);
        ApiClient.Reply same = bob.post(DATASETS, csv, "text/csv", null);
        assertThat(same.status()).isEqualTo(201);
        assertThat(same.json().get("id").asString()).isNotEqualTo(dataset);
        assertThat(same.json().get("sha256").asString())
                .isEqualTo(upload.json().get("sha256").asString());

        // Nothing of Alice's was touched by Bob's calls.
        assertThat(alice.get(DATASETS + "/" + dataset).status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/jobs/" + job).status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/jobs/" + studyJob).status()).isEqualTo(200);
        assertThat(alice.awaitStudy(studyId, Duration.ofSeconds(120))
                        .get("status")
                        .asString())
                .isEqualTo("FINISHED");
    }

    @Test
    void onlyTheOwnerOrAnAdminDeletes() {
        ApiClient alice = newOwner("alice");
        ApiClient bob = newOwner("bob");
        String job = alice.submit(JobApiIntegrationTest.TINY);
        String other = alice.submit(JobApiIntegrationTest.TINY);
        ApiClient.Reply study = alice.post("/api/v1/studies", """
                {"name": "s", "base": %s, "vary": {"training.learningRate": [0.01, 0.02]}}""".formatted(StudyApiIntegrationTest.TINY_BASE));
        assertThat(study.status()).as(study.body()).isEqualTo(202);
        String studyId = study.json().get("id").asString();

        assertThat(bob.delete("/api/v1/jobs/" + job).status()).isEqualTo(404);
        assertThat(bob.delete("/api/v1/studies/" + studyId).status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/jobs/" + job).status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/studies/" + studyId).status()).isEqualTo(200);

        // Her own: deleted; then gone for her and for the admin too.
        assertThat(alice.delete("/api/v1/jobs/" + job).status()).isEqualTo(204);
        assertThat(alice.get("/api/v1/jobs/" + job).status()).isEqualTo(404);
        assertThat(admin().get("/api/v1/jobs/" + job).status()).isEqualTo(404);
        // An admin deletes any owner's job and study.
        assertThat(admin().delete("/api/v1/jobs/" + other).status()).isEqualTo(204);
        assertThat(alice.get("/api/v1/jobs/" + other).status()).isEqualTo(404);
        assertThat(admin().delete("/api/v1/studies/" + studyId).status()).isEqualTo(204);
        assertThat(alice.get("/api/v1/studies/" + studyId).status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/jobs?studyId=" + studyId)
                        .json()
                        .get("total")
                        .asLong())
                .isZero();
    }

    /**
     * {@code method path} with {@code id} (another owner's) answers 404 with {@code code}, byte for byte as the same
     * call with a random id (up to the id itself).
     */
    void assertAnswersLikeUnknown(ApiClient caller, String method, String path, String id, String code) {
        String unknown = UUID.randomUUID().toString();
        ApiClient.Reply theirs = call(caller, method, path.replace("{id}", id));
        ApiClient.Reply none = call(caller, method, path.replace("{id}", unknown));
        assertThat(theirs.status()).as(method + " " + path).isEqualTo(404);
        assertThat(theirs.json().get("code").asString()).as(method + " " + path).isEqualTo(code);
        assertThat(theirs.contentType()).isEqualTo(none.contentType());
        assertThat(theirs.body().replace(id, "ID"))
                .as(method + " " + path)
                .isEqualTo(none.body().replace(unknown, "ID"));
    }

    private ApiClient.Reply call(ApiClient caller, String method, String path) {
        return switch (method) {
            case "GET" -> caller.get(path);
            case "POST" -> caller.post(path, null, null, null);
            case "DELETE" ->
                caller.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .DELETE());
            default -> throw new IllegalArgumentException(method);
        };
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(item -> out.add(item.get("id").asString()));
        return out;
    }
}
