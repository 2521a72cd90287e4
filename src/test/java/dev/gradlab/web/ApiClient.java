package dev.gradlab.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the tests: they drive the real server over a socket, as a user's script would.
 *
 * <p>Every exchange with {@code /api/...} is checked against the server's own OpenAPI document
 * ({@code /v3/api-docs}, fetched once per server) by {@link OpenApiContract}: a response the document does not
 * describe fails the test that got it. {@code -Dgradlab.openapi.contract=report} records violations in
 * {@value #VIOLATIONS_FILE} without failing (to collect them all in one run); every violation of the test run is
 * recorded there in either mode (array indices as *, so that {@code sort | uniq -c} groups them), and so is every
 * exemption. One call can be exempted, with a reason, by {@link #exemptFromContract(String)}.
 */
final class ApiClient {

    static final String VIOLATIONS_FILE = "target/openapi-contract/violations.txt";
    /** The admin key of the test profile (application-test.properties), for servers in keys mode. */
    static final String TEST_ADMIN_KEY = "test-admin-key-0123456789abcdefghijklmnopqrstuvwxyz";

    private static final Map<String, OpenApiContract> CONTRACTS = new ConcurrentHashMap<>();
    private static final boolean FAIL_ON_VIOLATION =
            !System.getProperty("gradlab.openapi.contract", "fail").equals("report");

    static {
        try {
            Files.deleteIfExists(Path.of(VIOLATIONS_FILE)); // the file tells about this test run only
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String base;
    /** Sent as Authorization: Bearer on every request, or null for none. */
    private final String key;

    private String exemptionReason;

    ApiClient(int port) {
        this("http://localhost:" + port, null, null);
    }

    private ApiClient(String base, String key, String exemptionReason) {
        this.base = base;
        this.key = key;
        this.exemptionReason = exemptionReason;
    }

    /** The same server, every request with {@code Authorization: Bearer <key>} (null: without). */
    ApiClient withKey(String key) {
        return new ApiClient(base, key, null);
    }

    /**
     * A client whose next call is not checked against the OpenAPI document; calls after it are. For a test that
     * must see a response the document cannot describe: say why, e.g.
     * {@code api.exemptFromContract("the server answers a raw Tomcat error here, #123").get(path)}.
     */
    ApiClient exemptFromContract(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an exemption from the OpenAPI contract needs a reason");
        }
        return new ApiClient(base, key, reason);
    }

    record Reply(int status, String contentType, String body, HttpResponse<String> raw, JsonNode json) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    Reply post(String path, String body) {
        return post(path, body, "application/json", null);
    }

    Reply post(String path, String body, String contentType, String idempotencyKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return send(b);
    }

    Reply send(HttpRequest.Builder request) {
        try {
            if (key != null) {
                request.setHeader("Authorization", "Bearer " + key);
            }
            HttpRequest sent = request.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> r = http.send(sent, HttpResponse.BodyHandlers.ofString());
            checkContract(sent, r);
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode node = null;
            if (type.contains("json") && !r.body().isEmpty()) {
                node = json.readTree(r.body());
            }
            return new Reply(r.statusCode(), type, r.body(), r, node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String submit(String body) {
        Reply r = post("/api/v1/jobs", body);
        if (r.status() != 202) {
            throw new AssertionError("submit failed: " + r.status() + " " + r.body());
        }
        return r.json().get("id").asString();
    }

    /** Polls the job until {@code done} holds, or fails after the timeout. */
    JsonNode awaitJob(String id, Predicate<JsonNode> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            job = get("/api/v1/jobs/" + id).json();
            if (done.test(job)) {
                return job;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("job " + id + " did not get there in " + timeout + "; last seen: " + job);
    }

    /**
     * Waits until no job is QUEUED or RUNNING on the server, for a test that counts places in the queue: jobs other
     * tests left behind would count ahead of its own.
     */
    void awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (get("/api/v1/jobs?status=QUEUED&size=1").json().get("total").asLong() > 0
                || get("/api/v1/jobs?status=RUNNING&size=1").json().get("total").asLong() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("jobs still queued or running after " + timeout);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    JsonNode awaitFinished(String id, Duration timeout) {
        return awaitJob(
                id,
                j -> !j.get("status").asString().equals("QUEUED")
                        && !j.get("status").asString().equals("RUNNING"),
                timeout);
    }

    /** Polls the study until it is FINISHED or CANCELLED, or fails after the timeout. */
    JsonNode awaitStudy(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode study = null;
        while (System.nanoTime() < deadline) {
            study = get("/api/v1/studies/" + id).json();
            String status = study.get("status").asString();
            if (status.equals("FINISHED") || status.equals("CANCELLED")) {
                return study;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("study " + id + " did not finish in " + timeout + "; last seen: " + study);
    }

    private void checkContract(HttpRequest request, HttpResponse<String> response) {
        if (!request.uri().getRawPath().startsWith("/api/")) {
            return; // actuator, Swagger UI and the document itself are not part of the API
        }
        String exchange = request.method() + " " + request.uri().getRawPath()
                + (request.uri().getRawQuery() == null
                        ? ""
                        : "?" + request.uri().getRawQuery()) + " → "
                + response.statusCode();
        if (exemptionReason != null) {
            String reason = exemptionReason;
            exemptionReason = null;
            record(List.of("EXEMPT " + exchange + ": " + reason));
            return;
        }
        OpenApiContract contract = CONTRACTS.computeIfAbsent(base, this::fetchContract);
        List<OpenApiContract.Violation> violations = contract.check(new OpenApiContract.Exchange(
                request.method(),
                request.uri(),
                request.headers().map(),
                requestBody(request),
                response.statusCode(),
                response.headers().map(),
                response.body()));
        if (violations.isEmpty()) {
            return;
        }
        record(violations.stream()
                .map(v -> v.toString().replaceAll("/\\d+(?=/|:)", "/*"))
                .toList());
        if (FAIL_ON_VIOLATION) {
            int shown = Math.min(violations.size(), 25);
            throw new AssertionError("the response breaks the OpenAPI document (/v3/api-docs): " + exchange + "\n  "
                    + violations.subList(0, shown).stream()
                            .map(Object::toString)
                            .collect(Collectors.joining("\n  "))
                    + (shown < violations.size() ? "\n  ... and " + (violations.size() - shown) + " more" : "")
                    + "\nresponse body: " + abbreviate(response.body()));
        }
    }

    private OpenApiContract fetchContract(String server) {
        try {
            HttpResponse<String> doc = http.send(
                    HttpRequest.newBuilder(URI.create(server + "/v3/api-docs"))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (doc.statusCode() != 200) {
                throw new AssertionError(server + "/v3/api-docs answered " + doc.statusCode());
            }
            return OpenApiContract.parse(doc.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The bytes the request carried: its publisher is read once more (ofString and ofByteArray replay). */
    private static String requestBody(HttpRequest request) {
        if (request.bodyPublisher().isEmpty() || request.bodyPublisher().get().contentLength() == 0) {
            return "";
        }
        CompletableFuture<String> body = new CompletableFuture<>();
        request.bodyPublisher().get().subscribe(new Flow.Subscriber<>() {
            private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }

            @Override
            public void onError(Throwable throwable) {
                body.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                body.complete(bytes.toString(StandardCharsets.UTF_8));
            }
        });
        try {
            return body.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not read back the request body", e);
        }
    }

    private static synchronized void record(List<String> lines) {
        try {
            Path file = Path.of(VIOLATIONS_FILE);
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 2000 ? body : body.substring(0, 2000) + "... (" + body.length() + " characters)";
    }
}
