package dev.gradlab.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** {@link QuotaContract} on H2. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "gradlab.security.mode=keys")
@ActiveProfiles("test")
class QuotaIntegrationTest extends QuotaContract {}
