package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Local mode (the default): no key needed, but only for requests addressed to loopback (a DNS-rebinding page sends
 * its own host name) and, for changes, not sent from another site's page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class LocalModeIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void noKeyNeededOnLoopbackAndTheLocalAdminSeesTheWorker() {
        ApiClient api = new ApiClient(port);
        String id = api.submit(JobApiIntegrationTest.TINY);
        assertThat(api.get("/api/v1/jobs/" + id).json().get("owner").asString()).isEqualTo("local");
        assertThat(api.awaitFinished(id, java.time.Duration.ofSeconds(60))
                        .get("worker")
                        .asString())
                .isNotBlank();
    }

    @Test
    void anotherHostNameIsRefused() throws IOException {
        assertThat(rawGet("localhost:" + port)).startsWith("HTTP/1.1 200");
        assertThat(rawGet("127.0.0.1:" + port)).startsWith("HTTP/1.1 200");
        String rebound = rawGet("evil.example:" + port);
        assertThat(rebound).startsWith("HTTP/1.1 403").contains("\"code\":\"forbidden\"");
        // X-Forwarded-Host is not what decides: the raw Host header is.
        assertThat(rawGet("evil.example:" + port + "\r\nX-Forwarded-Host: localhost"))
                .startsWith("HTTP/1.1 403");
    }

    @Test
    void changesFromAnotherSitesPageAreRefused() {
        URI jobs = URI.create("http://localhost:" + port + "/api/v1/jobs");
        ApiClient.Reply crossSite = new ApiClient(port)
                .send(HttpRequest.newBuilder(jobs)
                        .header("Content-Type", "application/json")
                        .header("Origin", "http://evil.example")
                        .POST(HttpRequest.BodyPublishers.ofString(JobApiIntegrationTest.TINY)));
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.json().get("code").asString()).isEqualTo("forbidden");
        ApiClient.Reply sameSite = new ApiClient(port)
                .send(HttpRequest.newBuilder(jobs)
                        .header("Content-Type", "application/json")
                        .header("Origin", "http://localhost:" + port)
                        .POST(HttpRequest.BodyPublishers.ofString(JobApiIntegrationTest.TINY)));
        assertThat(sameSite.status()).isEqualTo(202);
        // Reading from another origin is harmless (the browser keeps the answer from that page): not refused.
        assertThat(new ApiClient(port)
                        .send(HttpRequest.newBuilder(jobs).header("Origin", "http://evil.example"))
                        .status())
                .isEqualTo(200);
    }

    /** GET /api/v1/presets over a plain socket, with this Host header (HttpClient will not send another host). */
    private String rawGet(String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/presets HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
