package dev.gradlab.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** What {@link ApiKeys} accepts as a key, and what it refuses before looking anything up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ApiKeysTest {

    static final String TEST_ADMIN_KEY = "test-admin-key-0123456789abcdefghijklmnopqrstuvwxyz";

    @Autowired
    ApiKeys keys;

    @Test
    void aKeyIsItsOwnersUntilRevoked() {
        ApiKeys.CreatedKey created = keys.create("owner-" + System.nanoTime(), false);
        Caller caller = keys.authenticate(created.secret()).orElseThrow();
        assertThat(caller.owner()).isEqualTo(created.key().owner());
        assertThat(caller.admin()).isFalse();
        assertThat(caller.keyId()).isEqualTo(created.key().id());
        assertThat(keys.active(created.key().id())).isTrue();

        keys.revoke(created.key().id());
        assertThat(keys.authenticate(created.secret())).isEmpty();
        assertThat(keys.active(created.key().id())).isFalse();
    }

    @Test
    void theOperatorsAdminKeyIsTheAdminOwner() {
        Caller admin = keys.authenticate(TEST_ADMIN_KEY).orElseThrow();
        assertThat(admin).isEqualTo(new Caller(Caller.ADMIN_OWNER, true, null));
    }

    @Test
    void nothingElseIsAKey() {
        assertThat(keys.authenticate(null)).isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
        assertThat(keys.authenticate(ApiKeys.KEY_PREFIX + "x".repeat(600)))
                .as("too long")
                .isEmpty();
        assertThat(keys.authenticate("not-a-gradlab-key")).isEmpty();
        assertThat(keys.authenticate(ApiKeys.KEY_PREFIX + "unknown")).isEmpty();
    }

    @Test
    void ownersAreNamesThatLogsAndListsCanShow() {
        assertThatThrownBy(() -> keys.create("two words", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.create(null, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.create("x".repeat(101), false)).isInstanceOf(IllegalArgumentException.class);
    }
}
