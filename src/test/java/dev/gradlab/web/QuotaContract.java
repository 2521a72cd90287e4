package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Per-owner quotas over real HTTP, in keys mode (the subclasses' profiles) with small limits: 3 queued jobs, 1 running
 * job, 150,000 iterations a day, 400 dataset bytes; two queue threads. Each test uses owners of its own.
 */
@TestPropertySource(
        properties = {
            "gradlab.quotas.queued-jobs=3",
            "gradlab.quotas.running-jobs=1",
            "gradlab.quotas.iterations-per-day=150000",
            "gradlab.quotas.dataset-bytes=400B",
            "gradlab.quotas.requests-per-second=0",
            "gradlab.quotas.start-retry-delay=300ms",
            "gradlab.jobs.concurrency=2"
        })
abstract class QuotaContract {

    @LocalServerPort
    int port;

    /** Jobs a test left training: cancelled after it, so that the next test finds both queue threads free. */
    private final List<String> started = new ArrayList<>();

    ApiClient admin() {
        return new ApiClient(port).withKey(ApiClient.TEST_ADMIN_KEY);
    }

    ApiClient newOwner(String name) {
        String owner = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        ApiClient.Reply created = admin().post("/api/v1/admin/keys", "{\"owner\": \"" + owner + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new ApiClient(port).withKey(created.json().get("key").asString());
    }

    static String spec(String name, long epochs) {
        return """
                {"name": "%s", "model": {"depth": 2, "width": 16}, "dataset": {"name": "gaussians", "samples": 1000},
                 "training": {"batchSize": 16, "epochs": %d}}""".formatted(name, epochs);
    }

    private long iterationsPerEpoch;

    /** What one epoch of {@link #spec} plans (the validator's split), read once from a job the admin submits. */
    long iterationsPerEpoch() {
        if (iterationsPerEpoch == 0) {
            ApiClient admin = admin();
            ApiClient.Reply r = admin.post("/api/v1/jobs", spec("probe", 1));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            iterationsPerEpoch = r.json().get("progress").get("totalIterations").asLong();
            admin.post("/api/v1/jobs/" + r.json().get("id").asString() + "/cancel", null);
            admin.awaitFinished(r.json().get("id").asString(), Duration.ofSeconds(60));
        }
        return iterationsPerEpoch;
    }

    /** A job of about {@code iterations} iterations (whole epochs, no more). */
    String sized(String name, long iterations) {
        return spec(name, Math.max(1, iterations / iterationsPerEpoch()));
    }

    /** Submits a job that trains for minutes, and waits until it trains. */
    String startLong(ApiClient owner, long iterations) {
        String id = owner.submit(sized("long", iterations));
        started.add(id);
        owner.awaitJob(id, j -> j.get("status").asString().equals("RUNNING"), Duration.ofSeconds(60));
        return id;
    }

    @AfterEach
    void cancelWhatStillTrains() {
        ApiClient admin = admin();
        for (String id : started) {
            admin.post("/api/v1/jobs/" + id + "/cancel", null);
        }
        for (String id : started) {
            admin.awaitFinished(id, Duration.ofSeconds(60));
        }
        started.clear();
    }

    @Test
    void anOwnerAtTheRunningQuotaWaitsWhileAnotherOwnersJobRuns() {
        ApiClient alice = newOwner("alice");
        ApiClient bob = newOwner("bob");
        String training = startLong(alice, 100_000);
        String waiting = alice.submit(sized("second", 20));
        // Alice's second job was queued first, and a queue thread is free: it is held back, and Bob's runs.
        String bobs = bob.submit(sized("bobs", 20));
        JsonNode done = bob.awaitFinished(bobs, Duration.ofSeconds(120));
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode held = alice.get("/api/v1/jobs/" + waiting).json();
        assertThat(held.get("status").asString()).isEqualTo("QUEUED");
        assertThat(held.get("attempt").asInt()).isZero();

        JsonNode usage = alice.get("/api/v1/usage").json();
        assertThat(usage.get("limited").asBoolean()).isTrue();
        assertThat(usage.get("runningJobs").get("used").asLong()).isEqualTo(1);
        assertThat(usage.get("runningJobs").get("limit").asLong()).isEqualTo(1);
        assertThat(usage.get("queuedJobs").get("used").asLong()).isEqualTo(1);

        // Once her first job ends, the second starts.
        alice.post("/api/v1/jobs/" + training + "/cancel", null);
        assertThat(alice.awaitFinished(waiting, Duration.ofSeconds(120))
                        .get("status")
                        .asString())
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void theQueuedJobsQuotaHoldsExactlyUnderSimultaneousSubmissions() throws Exception {
        ApiClient dave = newOwner("dave");
        startLong(dave, 100_000); // holds the running quota: dave's further jobs stay QUEUED
        String small = sized("small", 20);
        List<Callable<ApiClient.Reply>> posts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            posts.add(() -> dave.post("/api/v1/jobs", small));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<ApiClient.Reply> replies = new ArrayList<>();
        try {
            for (Future<ApiClient.Reply> f : pool.invokeAll(posts)) {
                replies.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<ApiClient.Reply> accepted =
                replies.stream().filter(r -> r.status() == 202).toList();
        List<ApiClient.Reply> refused =
                replies.stream().filter(r -> r.status() == 429).toList();
        assertThat(accepted).as(replies.toString()).hasSize(3);
        assertThat(refused).hasSize(5);
        for (ApiClient.Reply r : refused) {
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("code").asString()).isEqualTo("quota-exceeded");
            assertThat(r.json().get("quota").asString()).isEqualTo("queued-jobs");
            assertThat(r.json().get("limit").asLong()).isEqualTo(3);
            assertThat(r.json().get("used").asLong()).isEqualTo(3);
            assertThat(r.json().get("requested").asLong()).isEqualTo(1);
            assertThat(r.header("Retry-After")).isEqualTo("30");
        }
        JsonNode usage = dave.get("/api/v1/usage").json();
        assertThat(usage.get("queuedJobs").get("used").asLong()).isEqualTo(3);
        assertThat(usage.get("queuedJobs").get("limit").asLong()).isEqualTo(3);

        // A study counts each of its jobs; another owner is not held up by Dave's full quota.
        ApiClient.Reply study = dave.post("/api/v1/studies", """
                {"name": "s", "base": {"model": {"depth": 2, "width": 16},
                  "dataset": {"name": "gaussians", "samples": 1000}, "training": {"batchSize": 16, "epochs": 1}},
                 "vary": {"training.seed": [1, 2]}}""");
        assertThat(study.status()).as(study.body()).isEqualTo(429);
        assertThat(study.json().get("quota").asString()).isEqualTo("queued-jobs");
        assertThat(study.json().get("requested").asLong()).isEqualTo(2);
        ApiClient erin = newOwner("erin");
        assertThat(erin.post("/api/v1/jobs", small).status()).isEqualTo(202);

        // A replayed submission is the job it made before, not a new one: no quota refuses it.
        ApiClient frank = newOwner("frank");
        startLong(frank, 100_000);
        ApiClient.Reply first = frank.post("/api/v1/jobs", small, "application/json", "key-1");
        assertThat(first.status()).isEqualTo(202);
        frank.post("/api/v1/jobs", small);
        frank.post("/api/v1/jobs", small);
        assertThat(frank.post("/api/v1/jobs", small).status()).isEqualTo(429);
        ApiClient.Reply replay = frank.post("/api/v1/jobs", small, "application/json", "key-1");
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.json().get("id").asString())
                .isEqualTo(first.json().get("id").asString());
    }

    @Test
    void iterationsPerDayAreChargedAtSubmissionAndGivenBackOnlyForJobsThatNeverStarted() {
        ApiClient carol = newOwner("carol");
        long perEpoch = iterationsPerEpoch();
        long tooMany = (150_000 / perEpoch + 1) * perEpoch;
        ApiClient.Reply alone = carol.post("/api/v1/jobs", sized("huge", tooMany));
        assertThat(alone.status()).as(alone.body()).isEqualTo(429);
        assertThat(alone.json().get("quota").asString()).isEqualTo("iterations-per-day");
        assertThat(alone.json().get("limit").asLong()).isEqualTo(150_000);
        assertThat(alone.json().get("used").asLong()).isZero();
        assertThat(alone.json().get("requested").asLong()).isEqualTo(tooMany);
        assertThat(alone.header("Retry-After")).as("waiting never makes it fit").isNull();
        assertThat(alone.json().has("retryAfterSeconds")).isFalse();

        startLong(carol, 100_000);
        long charged = carol.get("/api/v1/usage")
                .json()
                .get("iterationsPerDay")
                .get("used")
                .asLong();
        assertThat(charged).isBetween(100_000 - perEpoch, 100_000L);
        String queued = carol.submit(sized("queued", 30_000)); // held back by the running quota
        long both = carol.get("/api/v1/usage")
                .json()
                .get("iterationsPerDay")
                .get("used")
                .asLong();
        assertThat(both).isGreaterThan(charged);
        carol.post("/api/v1/jobs/" + queued + "/cancel", null);
        assertThat(carol.get("/api/v1/usage")
                        .json()
                        .get("iterationsPerDay")
                        .get("used")
                        .asLong())
                .as("a queued job cancelled before it started gives its iterations back")
                .isEqualTo(charged);

        ApiClient.Reply over = carol.post("/api/v1/jobs", sized("over", 60_000));
        assertThat(over.status()).as(over.body()).isEqualTo(429);
        assertThat(over.json().get("quota").asString()).isEqualTo("iterations-per-day");
        assertThat(over.json().get("used").asLong()).isEqualTo(charged);
        // It fits when the running job's charge, made moments ago, leaves the last 24 hours.
        long retryAfter = Long.parseLong(over.header("Retry-After"));
        assertThat(retryAfter).isBetween(86_400L - 600, 86_400L);
        assertThat(over.json().get("retryAfterSeconds").asLong()).isEqualTo(retryAfter);
    }

    @Test
    void datasetBytesCountStoredUploadsAndADeletionMakesRoom() {
        ApiClient gina = newOwner("gina");
        // 10 rows of 3 features and a label: 160 bytes stored each (4 per value)
        String first = upload(gina, csv(1), 201).get("id").asString();
        upload(gina, csv(2), 201);
        JsonNode full = upload(gina, csv(3), 429);
        assertThat(full.get("code").asString()).isEqualTo("quota-exceeded");
        assertThat(full.get("quota").asString()).isEqualTo("dataset-bytes");
        assertThat(full.get("limit").asLong()).isEqualTo(400);
        assertThat(full.get("used").asLong()).isEqualTo(320);
        assertThat(full.get("requested").asLong()).isEqualTo(160);
        assertThat(full.has("retryAfterSeconds")).isFalse();
        assertThat(gina.get("/api/v1/usage")
                        .json()
                        .get("datasetBytes")
                        .get("used")
                        .asLong())
                .isEqualTo(320);
        // The same content again is the dataset stored before: no new bytes.
        assertThat(upload(gina, csv(1), 200).get("id").asString()).isEqualTo(first);
        assertThat(gina.delete("/api/v1/datasets/" + first).status()).isEqualTo(204);
        upload(gina, csv(3), 201);
        // Another owner's uploads are theirs to count.
        upload(newOwner("hana"), csv(3), 201);
    }

    @Test
    void adminsAreNotLimited() {
        ApiClient admin = admin();
        ApiClient owner = newOwner("ivan");
        startLong(owner, 100_000);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ApiClient.Reply r = admin.post("/api/v1/jobs", sized("admin", 20));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            ids.add(r.json().get("id").asString());
        }
        JsonNode usage = admin.get("/api/v1/usage").json();
        assertThat(usage.get("limited").asBoolean()).isFalse();
        assertThat(usage.get("queuedJobs").has("limit")).isFalse();
        assertThat(usage.has("requests")).isFalse();
        for (String id : ids) {
            admin.awaitFinished(id, Duration.ofSeconds(120));
        }
    }

    private static JsonNode upload(ApiClient owner, String csv, int status) {
        ApiClient.Reply r = owner.post("/api/v1/datasets?name=q", csv, "text/csv", null);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r.json();
    }

    /** 10 rows, 3 features and a label of two classes; {@code variant} changes the values (another dataset). */
    private static String csv(int variant) {
        StringBuilder s = new StringBuilder("a,b,c,label\n");
        for (int row = 0; row < 10; row++) {
            s.append(row * variant)
                    .append(',')
                    .append(row + variant)
                    .append(",0.5,")
                    .append(row % 2)
                    .append('\n');
        }
        return s.toString();
    }
}
