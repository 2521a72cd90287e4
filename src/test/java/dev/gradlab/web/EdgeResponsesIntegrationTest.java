package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every way a client can be refused before (or instead of) an operation answering, walked over real HTTP: Spring's
 * refusals (404, 405, 406, 415), the body limit (413), the container's own (a malformed request line, header, URL
 * or percent-encoding, an HTTP version or transfer encoding it does not speak, TRACE) and {@code /error} asked for
 * directly. Each is a problem+json whose status is the HTTP status, and none names a Java class, the server
 * software, the host or the process; those that pass Spring Security's filter chain carry its security headers.
 * The actuator shows health and the Prometheus scrape and nothing else (in local mode, this test's, the caller is the
 * local admin; keys mode's refusals of the scrape are OwnerIsolationContract's).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class EdgeResponsesIntegrationTest {

    private static final String JOB = "/api/v1/jobs/00000000-0000-0000-0000-000000000000";
    private static final String BIG = "{\"name\":\"" + "x".repeat(100 * 1024) + "\"}";

    @LocalServerPort
    int port;

    /** name, method, path, extra header (name: value, or null), body (or null), expected status */
    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("/error asked for", "GET", "/error", null, null, 404),
                Arguments.of("/error posted to", "POST", "/error", null, "{}", 404),
                Arguments.of("/error as HTML", "GET", "/error", "Accept: text/html", null, 404),
                Arguments.of("unknown path", "GET", "/nothing/here", null, null, 404),
                Arguments.of("unknown API path", "GET", "/api/v1/nothing", null, null, 404),
                Arguments.of("unknown path as HTML", "GET", "/nothing", "Accept: text/html", null, 404),
                Arguments.of("actuator index", "GET", "/actuator", null, null, 404),
                Arguments.of("actuator env", "GET", "/actuator/env", null, null, 404),
                Arguments.of("actuator beans", "GET", "/actuator/beans", null, null, 404),
                Arguments.of("actuator heapdump", "GET", "/actuator/heapdump", null, null, 404),
                Arguments.of("actuator threaddump", "GET", "/actuator/threaddump", null, null, 404),
                Arguments.of("actuator configprops", "GET", "/actuator/configprops", null, null, 404),
                Arguments.of("actuator mappings", "GET", "/actuator/mappings", null, null, 404),
                Arguments.of("actuator loggers", "GET", "/actuator/loggers", null, null, 404),
                Arguments.of("actuator metrics", "GET", "/actuator/metrics", null, null, 404),
                Arguments.of("actuator info", "GET", "/actuator/info", null, null, 404),
                Arguments.of("actuator shutdown", "POST", "/actuator/shutdown", null, null, 404),
                Arguments.of("wrong method", "DELETE", "/api/v1/jobs", null, null, 405),
                Arguments.of("PUT on presets", "PUT", "/api/v1/presets", "Content-Type: application/json", "{}", 405),
                Arguments.of("TRACE", "TRACE", "/api/v1/jobs", null, null, 405),
                Arguments.of("POST to health", "POST", "/actuator/health", null, null, 405),
                Arguments.of("POST to a page", "POST", "/index.html", null, null, 405),
                Arguments.of("Accept text/csv", "GET", "/api/v1/jobs", "Accept: text/csv", null, 406),
                Arguments.of("Accept XML on a job", "GET", JOB, "Accept: application/xml", null, 406),
                Arguments.of("unparsable Accept", "GET", "/api/v1/jobs", "Accept: ///", null, 406),
                Arguments.of("Accept text/csv on health", "GET", "/actuator/health", "Accept: text/csv", null, 406),
                Arguments.of("text/plain body", "POST", "/api/v1/jobs", "Content-Type: text/plain", "{}", 415),
                Arguments.of("unparsable Content-Type", "POST", "/api/v1/jobs", "Content-Type: ///", "{}", 415),
                Arguments.of("body too large", "POST", "/api/v1/jobs", "Content-Type: application/json", BIG, 413),
                Arguments.of("a GET with a large body", "GET", "/api/v1/presets", null, BIG, 413),
                Arguments.of("encoded NUL in a path", "GET", "/api/v1/jobs/%00", null, null, 400),
                // Spring Security's firewall: a URL that is not normalised is refused before any mapping.
                Arguments.of("semicolon in a path", "GET", "/index.html;jsessionid=1", null, null, 400),
                Arguments.of("double slash in a path", "GET", "/dashboard//api.js", null, null, 400),
                Arguments.of("encoded dot in a path", "GET", "/dashboard/%2e%2e/index.html", null, null, 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalsAreProblemsWithNothingInternal(
            String what, String method, String path, String header, String body, int status) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (header != null) {
            String[] h = header.split(": ", 2);
            request.header(h[0], h[1]);
        }
        ApiClient.Reply r = new ApiClient(port).send(request);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertProblem(status, r.contentType(), r.body());
        // The security headers are on every refusal: Spring Security's chain, its firewall's, the container's.
        assertThat(r.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        assertThat(r.header("X-Frame-Options")).as(what).isEqualTo("DENY");
        assertThat(r.header("Referrer-Policy")).as(what).isEqualTo("no-referrer");
        if (path.startsWith("/api/") || path.startsWith("/actuator")) {
            assertThat(r.header("Cache-Control")).as(what).contains("no-store");
        }
    }

    /** Requests Java's HTTP client will not send (nor java.net.URI parse): written to the socket as they are. */
    static Stream<Arguments> unreadableRequests() {
        String headers = "Host: localhost\r\nConnection: close\r\n";
        return Stream.of(
                Arguments.of("query not UTF-8", "GET /api/v1/jobs?status=%ZZ HTTP/1.1\r\n" + headers + "\r\n", 400),
                Arguments.of("lone % in a query", "GET /api/v1/studies?page=% HTTP/1.1\r\n" + headers + "\r\n", 400),
                Arguments.of("path not UTF-8", "GET /api/v1/jobs/%ZZ HTTP/1.1\r\n" + headers + "\r\n", 400),
                Arguments.of("garbage request line", "GARBAGE\r\n\r\n", 400),
                Arguments.of("space in the path", "GET /api/v1/jo bs HTTP/1.1\r\n" + headers + "\r\n", 400),
                Arguments.of("braces in the path", "GET /api/v1/jobs/{id} HTTP/1.1\r\n" + headers + "\r\n", 400),
                Arguments.of("no Host header", "GET /api/v1/jobs HTTP/1.1\r\nConnection: close\r\n\r\n", 400),
                Arguments.of(
                        "malformed header", "GET /api/v1/jobs HTTP/1.1\r\n" + headers + "Bad Header: y\r\n\r\n", 400),
                Arguments.of(
                        "Content-Length not a number",
                        "POST /api/v1/jobs HTTP/1.1\r\n" + headers + "Content-Length: abc\r\n\r\n",
                        400),
                Arguments.of(
                        "headers of 20 KB",
                        "GET /api/v1/jobs HTTP/1.1\r\n" + headers + "X-Big: " + "a".repeat(20_000) + "\r\n\r\n",
                        400),
                Arguments.of(
                        "URL of 20 KB",
                        "GET /api/v1/jobs?x=" + "a".repeat(20_000) + " HTTP/1.1\r\n" + headers + "\r\n",
                        400),
                Arguments.of(
                        "encoded ../ in a path",
                        "GET /api/v1/jobs/..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\n" + headers + "\r\n",
                        400),
                Arguments.of("HTTP/2.5", "GET /api/v1/jobs HTTP/2.5\r\n" + headers + "\r\n", 505),
                Arguments.of(
                        "unknown transfer encoding",
                        "POST /api/v1/jobs HTTP/1.1\r\n" + headers
                                + "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n",
                        501));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableRequests")
    void unreadableRequestsAreProblemsWithNothingInternal(String what, String request, int status) throws IOException {
        String response = raw(request);
        int headerEnd = response.indexOf("\r\n\r\n");
        assertThat(headerEnd).as(response).isPositive();
        String head = response.substring(0, headerEnd);
        String body = response.substring(headerEnd + 4);
        if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        assertThat(head).startsWith("HTTP/1.1 " + status);
        String contentType = head.lines()
                .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-type:"))
                .map(l -> l.substring("content-type:".length()).trim())
                .findFirst()
                .orElse("");
        assertProblem(status, contentType, body);
        assertThat(head.toLowerCase(Locale.ROOT))
                .doesNotContain("server:")
                .contains("x-content-type-options: nosniff")
                .contains("x-frame-options: deny")
                .contains("referrer-policy: no-referrer")
                .contains("cache-control: no-cache, no-store");
    }

    @Test
    void theActuatorShowsHealthAndThePrometheusScrape() {
        ApiClient api = new ApiClient(port);
        for (String health :
                new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            ApiClient.Reply r = api.get(health);
            assertThat(r.status()).as(health).isEqualTo(200);
            assertThat(r.json().get("status").asString()).isEqualTo("UP");
            assertThat(r.json().propertyNames()).as("no details").doesNotContain("components", "details");
        }
        ApiClient.Reply scrape = api.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.contentType()).startsWith("text/plain");
        assertThat(scrape.body()).contains("gradlab_jobs_queued ").contains("jvm_memory_used_bytes{");
    }

    private static void assertProblem(int status, String contentType, String body) {
        assertThat(contentType).as(body).startsWith("application/problem+json");
        JsonNode problem = JsonMapper.shared().readTree(body);
        assertThat(problem.get("status").asInt()).as(body).isEqualTo(status);
        assertThat(problem.get("type").asString()).isEqualTo("about:blank");
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(problem.get("code").asString()).isNotBlank();
        assertThat(body)
                .doesNotContain("java.")
                .doesNotContain("org.")
                .doesNotContain("jakarta.")
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("dev.gradlab")
                .doesNotContainIgnoringCase("tomcat")
                .doesNotContainIgnoringCase("apache")
                .doesNotContain("timestamp")
                .doesNotContain("999");
        assertThat(body).doesNotContainPattern("\\b" + ProcessHandle.current().pid() + "\\b");
        String host = hostName();
        if (host.length() >= 4) {
            assertThat(body).doesNotContain(host);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }

    /** The body of a chunked answer: each chunk is its length in hex, CRLF, the bytes, CRLF; a 0 ends them. */
    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    /** Sends the bytes as they are; reads the answer until the server closes or its Content-Length is read. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                answer.write(buffer, 0, n);
                String text = answer.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                        .matcher(end < 0 ? "" : text.substring(0, end));
                if (end >= 0 && length.find() && answer.size() >= end + 4 + Integer.parseInt(length.group(1))) {
                    break;
                }
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
