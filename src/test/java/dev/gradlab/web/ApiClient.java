package dev.gradlab.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the tests: they drive the real server over a socket, as a user's script would. */
final class ApiClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String base;

    ApiClient(int port) {
        this.base = "http://localhost:" + port;
    }

    record Reply(int status, String contentType, String body, HttpResponse<String> raw, JsonNode json) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
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
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
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

    JsonNode awaitFinished(String id, Duration timeout) {
        return awaitJob(id, j -> !j.get("status").asString().equals("QUEUED")
                && !j.get("status").asString().equals("RUNNING"), timeout);
    }
}
