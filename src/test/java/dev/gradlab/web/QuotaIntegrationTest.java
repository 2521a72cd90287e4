package dev.gradlab.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** {@link QuotaContract} on H2. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gradlab.security.mode=keys",
            "gradlab.quotas.queued-jobs=3",
            "gradlab.quotas.running-jobs=1",
            "gradlab.quotas.iterations-per-day=150000",
            "gradlab.quotas.dataset-bytes=400B",
            "gradlab.quotas.requests-per-second=0",
            "gradlab.quotas.start-retry-delay=300ms",
            "gradlab.jobs.concurrency=2"
        })
@ActiveProfiles("test")
class QuotaIntegrationTest extends QuotaContract {}
