package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The upload limits as configuration, over HTTP (small limits, so that small bodies pass them): 413 for bytes (with
 * and without a Content-Length) and for rows, 429 past the concurrent uploads; nothing stored by any of them.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gradlab.datasets.upload.max-bytes=4KB",
            "gradlab.datasets.upload.max-rows=50",
            "gradlab.datasets.upload.concurrency=1"
        })
@ActiveProfiles("test")
class UploadLimitsIntegrationTest {

    private static final String DATASETS = DatasetApiIntegrationTest.DATASETS;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private long stored() {
        return jdbc.queryForObject("select count(*) from uploaded_dataset", Long.class);
    }

    private HttpRequest.Builder streamed(java.util.function.Supplier<InputStream> body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + DATASETS))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(body));
    }

    private static String rows(int n) {
        StringBuilder csv = new StringBuilder("a,y\n");
        for (int i = 0; i < n; i++) {
            csv.append(i % 7).append(',').append(i % 2).append('\n');
        }
        return csv.toString();
    }

    @Test
    void overTheBytesOrRowsLimitIs413AndNothingIsStored() {
        ApiClient api = new ApiClient(port);
        long before = stored();
        String big = rows(1200); // over 4 KB
        assertThat(big.length()).isGreaterThan(4096);
        ApiClient.Reply declared = api.post(DATASETS, big, "text/csv", null);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.json().get("code").asString()).isEqualTo("body-too-large");
        assertThat(declared.json().get("detail").asString()).contains("larger than 4096 bytes");

        ApiClient.Reply chunked =
                api.send(streamed(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))));
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.json().get("code").asString()).isEqualTo("body-too-large");

        ApiClient.Reply manyRows = api.post(DATASETS, rows(51), "text/csv", null);
        assertThat(manyRows.status()).isEqualTo(413);
        assertThat(manyRows.json().get("code").asString()).isEqualTo("too-many-rows");
        assertThat(manyRows.json().get("line").asLong()).isEqualTo(52);
        assertThat(manyRows.json().get("detail").asString())
                .isEqualTo("line 52: more than gradlab.datasets.upload.max-rows = 50 data rows");
        assertThat(stored()).isEqualTo(before);
        assertThat(api.post(DATASETS, rows(50), "text/csv", null).status()).isEqualTo(201);
    }

    @Test
    void anUploadPastTheConcurrencyLimitIs429WithRetryAfter() throws Exception {
        ApiClient api = new ApiClient(port);
        // The first upload, over a plain socket, sends its header and a row in a chunk and then waits: it holds the
        // one permit meanwhile. On a loaded machine the server may take up one of the tries below before it (seen
        // in a full run): then the held upload is the one answered 429, and it is sent again.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int n = 0;
        while (true) {
            try (Socket slow = new Socket("localhost", port)) {
                slow.setSoTimeout(30_000);
                OutputStream out = slow.getOutputStream();
                out.write(("POST " + DATASETS + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n8\r\na,y\n1,0\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                ApiClient.Reply busy = null;
                while (slow.getInputStream().available() == 0) {
                    assertThat(System.nanoTime()).as("no 429 within 60 s").isLessThan(deadline);
                    // Each try is new content, so none of them is answered from an earlier one.
                    busy = api.post(DATASETS, "a,y\n" + (100 + n++) + ",0\n5,1\n", "text/csv", null);
                    if (busy.status() == 429) {
                        break;
                    }
                    assertThat(busy.status()).as(busy.body()).isIn(200, 201);
                }
                if (busy == null || busy.status() != 429) {
                    String late = new java.io.BufferedReader(
                                    new java.io.InputStreamReader(slow.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
                    assertThat(late).as("the held upload, answered early").matches("HTTP/1\\.1 429\\b.*");
                    continue;
                }
                assertThat(busy.json().get("code").asString()).isEqualTo("uploads-busy");
                assertThat(busy.header("Retry-After")).isEqualTo("5");
                assertThat(busy.json().get("retryAfterSeconds").asLong()).isEqualTo(5);

                out.write("8\r\n2,1\n3,0\n\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String status = new java.io.BufferedReader(
                                new java.io.InputStreamReader(slow.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertThat(status).matches("HTTP/1\\.1 20[01]\\b.*");
                break;
            }
        }
        // The permit is back: the next upload is parsed.
        assertThat(api.post(DATASETS, "a,y\n7,0\n8,1\n", "text/csv", null).status())
                .isIn(200, 201);
    }
}
