package dev.gradlab.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** {@link OwnerIsolationContract} on H2, in keys mode with the test profile's admin key. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "gradlab.security.mode=keys")
@ActiveProfiles("test")
class KeysModeIntegrationTest extends OwnerIsolationContract {}
