package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.context.ActiveProfiles;

/** {@link OwnerIsolationContract} on H2, in keys mode with the test profile's admin key. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "gradlab.security.mode=keys")
@ActiveProfiles("test")
class KeysModeIntegrationTest extends OwnerIsolationContract {

    @Autowired
    ApplicationContext context;

    /** Boot's default user would log a generated password at start that opens nothing: callers are keys only. */
    @Test
    void noPasswordUserExists() {
        assertThat(context.getBeanNamesForType(UserDetailsService.class)).isEmpty();
    }
}
