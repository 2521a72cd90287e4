package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** The per-key request rate limit over real HTTP: 5 requests at once, then 1 a second. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gradlab.security.mode=keys",
            "gradlab.quotas.requests-per-second=1",
            "gradlab.quotas.request-burst=5"
        })
@ActiveProfiles("test")
class RateLimitIntegrationTest {

    @LocalServerPort
    int port;

    private ApiClient admin() {
        return new ApiClient(port).withKey(ApiClient.TEST_ADMIN_KEY);
    }

    private ApiClient newOwner(String name) {
        String owner = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        ApiClient.Reply created = admin().post("/api/v1/admin/keys", "{\"owner\": \"" + owner + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new ApiClient(port).withKey(created.json().get("key").asString());
    }

    @Test
    void aKeyPastItsRateGets429WithRetryAfterAndOthersAreNotHeldUp() throws InterruptedException {
        ApiClient alice = newOwner("alice");
        ApiClient.Reply first = alice.get("/api/v1/jobs");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("RateLimit-Policy")).isEqualTo("\"per-key\";q=5;w=5");
        assertThat(first.header("RateLimit")).isEqualTo("\"per-key\";r=4;t=1");

        long start = System.nanoTime();
        int allowed = 1;
        ApiClient.Reply refused = null;
        for (int i = 0; i < 30 && refused == null; i++) {
            ApiClient.Reply r = alice.get("/api/v1/usage");
            if (r.status() == 429) {
                refused = r;
            } else {
                assertThat(r.status()).isEqualTo(200);
                allowed++;
            }
        }
        long elapsedSeconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(refused).as("no 429 within 30 requests").isNotNull();
        // The burst of 5, plus what the bucket refilled (1 a second) while the requests were sent.
        assertThat(allowed).isBetween(5, 5 + (int) elapsedSeconds + 1);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("code").asString()).isEqualTo("rate-limited");
        assertThat(refused.json().get("quota").asString()).isEqualTo("requests-per-second");
        assertThat(refused.json().get("limit").asLong()).isEqualTo(5);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.json().get("retryAfterSeconds").asLong()).isEqualTo(1);
        assertThat(refused.header("RateLimit")).startsWith("\"per-key\";r=0;t=");
        assertThat(refused.header("X-Content-Type-Options")).isEqualTo("nosniff");

        // Another key has a bucket of its own; the admin is not limited.
        ApiClient bob = newOwner("bob");
        assertThat(bob.get("/api/v1/jobs").status()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            ApiClient.Reply r = admin().get("/api/v1/jobs");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("RateLimit")).isNull();
        }
        // Pages, the document and the probes are not counted.
        ApiClient.Reply docs = alice.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.header("RateLimit")).isNull();

        Thread.sleep(1_100);
        assertThat(alice.get("/api/v1/jobs").status()).isEqualTo(200);
        ApiClient.Reply usage = alice.get("/api/v1/usage");
        if (usage.status() == 200) {
            assertThat(usage.json().get("requests").get("perSecond").asLong()).isEqualTo(1);
            assertThat(usage.json().get("requests").get("burst").asLong()).isEqualTo(5);
        }
    }
}
