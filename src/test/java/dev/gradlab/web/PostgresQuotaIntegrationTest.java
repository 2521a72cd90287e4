package dev.gradlab.web;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link QuotaContract} on PostgreSQL, where the owner's row lock (select ... for update) and the concurrent
 * inserts of the lock row behave as a shared database does under several instances.
 */
@ExtendWith(EmbeddedPostgresServer.class) // first, so that the server outlives the application context
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gradlab.quotas.queued-jobs=3",
            "gradlab.quotas.running-jobs=1",
            "gradlab.quotas.iterations-per-day=150000",
            "gradlab.quotas.dataset-bytes=400B",
            "gradlab.quotas.requests-per-second=0",
            "gradlab.quotas.start-retry-delay=300ms",
            "gradlab.jobs.concurrency=2"
        })
@ActiveProfiles({"test", "postgres"})
@DirtiesContext
class PostgresQuotaIntegrationTest extends QuotaContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresProfileIntegrationTest.database(registry);
    }
}
