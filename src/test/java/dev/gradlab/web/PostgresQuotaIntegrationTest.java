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
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"test", "postgres"})
@DirtiesContext
class PostgresQuotaIntegrationTest extends QuotaContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresProfileIntegrationTest.database(registry);
    }
}
