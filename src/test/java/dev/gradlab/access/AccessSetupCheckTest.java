package dev.gradlab.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The settings the service refuses to start on, and what the failure report tells the operator. */
class AccessSetupCheckTest {

    private static final String GOOD_KEY = "k".repeat(AccessProperties.MIN_ADMIN_KEY_LENGTH);

    @Test
    void localModeStartsOnLoopbackOnly() {
        AccessProperties local = new AccessProperties(SecurityMode.LOCAL, null);
        for (String loopback : new String[] {"127.0.0.1", "localhost", "::1", "127.0.0.2"}) {
            assertThatCode(() -> AccessSetupCheck.check(local, loopback))
                    .as(loopback)
                    .doesNotThrowAnyException();
        }
        for (String open : new String[] {"0.0.0.0", "::", "", "  ", "192.0.2.7", "no-such-host.invalid"}) {
            InsecureSetupException e =
                    catchThrowableOfType(InsecureSetupException.class, () -> AccessSetupCheck.check(local, open));
            assertThat(e).as(open).isNotNull();
            assertThat(e.getMessage()).contains("loopback");
            assertThat(e.action()).contains("gradlab.security.mode=keys", "GRADLAB_SECURITY_ADMIN_KEY");
        }
        assertThat(catchThrowableOfType(InsecureSetupException.class, () -> AccessSetupCheck.check(local, null)))
                .hasMessageContaining("not set (every interface)");
    }

    @Test
    void keysModeNeedsAnAdminKeyOfAtLeast32Characters() {
        for (String missing : new String[] {null, "", "   "}) {
            InsecureSetupException e = catchThrowableOfType(
                    InsecureSetupException.class,
                    () -> AccessSetupCheck.check(new AccessProperties(SecurityMode.KEYS, missing), "0.0.0.0"));
            assertThat(e.getMessage()).contains("no admin key");
            FailureAnalysis analysis = new InsecureSetupFailureAnalyzer().analyze(new IllegalStateException(e));
            assertThat(analysis.getDescription()).isEqualTo(e.getMessage());
            assertThat(analysis.getAction()).contains("GRADLAB_SECURITY_ADMIN_KEY", "openssl rand");
        }
        assertThat(catchThrowableOfType(
                        InsecureSetupException.class,
                        () -> AccessSetupCheck.check(
                                new AccessProperties(SecurityMode.KEYS, GOOD_KEY.substring(1)), "0.0.0.0")))
                .hasMessageContaining("31 characters");
        assertThatCode(() -> AccessSetupCheck.check(new AccessProperties(SecurityMode.KEYS, GOOD_KEY), "0.0.0.0"))
                .doesNotThrowAnyException();
    }

    @Test
    void theAdminKeyStaysOutOfLogs() {
        assertThat(new AccessProperties(SecurityMode.KEYS, GOOD_KEY).toString())
                .doesNotContain(GOOD_KEY)
                .contains("(set)");
    }
}
