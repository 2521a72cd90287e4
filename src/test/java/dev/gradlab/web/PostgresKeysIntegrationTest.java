package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The postgres profile requires keys (no property here turns them on), and {@link OwnerIsolationContract}'s owner
 * filters, per-owner unique keys and V8's migration hold on PostgreSQL.
 */
@ExtendWith(EmbeddedPostgresServer.class) // first, so that the server outlives the application context
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"test", "postgres"})
@DirtiesContext
class PostgresKeysIntegrationTest extends OwnerIsolationContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresProfileIntegrationTest.database(registry);
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theKeyTableHoldsHashesAndTheOwnersAreUniqueKeysOfTheirOwn() {
        newOwner("dora");
        assertThat(jdbc.queryForList("select key_hash from api_key", String.class))
                .isNotEmpty()
                .allMatch(hash -> hash.matches("[0-9a-f]{64}"));
        assertThat(jdbc.queryForList(
                        "select constraint_name from information_schema.table_constraints"
                                + " where constraint_type = 'UNIQUE' and table_name in ('job', 'uploaded_dataset')",
                        String.class))
                .containsExactlyInAnyOrder("job_owner_idempotency_key_unique", "uploaded_dataset_owner_sha256_unique");
    }
}
