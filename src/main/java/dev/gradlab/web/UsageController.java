package dev.gradlab.web;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gradlab.access.Caller;
import dev.gradlab.job.JobService;
import dev.gradlab.job.JobStatus;
import dev.gradlab.quota.OwnerQuotas;
import dev.gradlab.quota.QuotaProperties;
import dev.gradlab.upload.DatasetUploads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Usage", description = "The caller's quotas and what they use of them")
class UsageController {

    private final JobService jobs;
    private final DatasetUploads uploads;
    private final OwnerQuotas quotas;

    UsageController(JobService jobs, DatasetUploads uploads, OwnerQuotas quotas) {
        this.jobs = jobs;
        this.uploads = uploads;
        this.quotas = quotas;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "QuotaUse", description = "One quota: what the owner uses now and the limit")
    record QuotaUse(
            @Schema(requiredMode = REQUIRED, minimum = "0", example = "3")
            long used,

            @Schema(
                    description = "The limit; absent when none applies (an admin, or the limit is off)",
                    minimum = "1",
                    example = "20")
            Long limit) {}

    @Schema(name = "RequestRate", description = "The key's request rate limit")
    record RequestRate(
            @Schema(requiredMode = REQUIRED, minimum = "1", example = "20")
            long perSecond,

            @Schema(requiredMode = REQUIRED, minimum = "1", example = "100")
            long burst) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(
            name = "Usage",
            description = "The caller's owner, whether quotas apply to them (not to admins, nor in local mode), and "
                    + "each quota's use. Running jobs beyond runningJobs wait in the queue; the others refuse with "
                    + "429 quota-exceeded.")
    record UsageResponse(
            @Schema(requiredMode = REQUIRED, example = "alice")
            String owner,

            @Schema(requiredMode = REQUIRED, description = "Whether the quotas and the rate limit apply")
            boolean limited,

            @Schema(requiredMode = REQUIRED, description = "Jobs waiting (QUEUED)")
            QuotaUse queuedJobs,

            @Schema(requiredMode = REQUIRED, description = "Jobs training (RUNNING), on every instance")
            QuotaUse runningJobs,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "Training iterations the owner's jobs planned in the last 24 hours")
            QuotaUse iterationsPerDay,

            @Schema(requiredMode = REQUIRED, description = "Bytes the owner's uploaded datasets take")
            QuotaUse datasetBytes,

            @Schema(description = "The key's request rate limit; absent when none applies")
            RequestRate requests) {}

    @GetMapping(path = "/api/v1/usage", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Your quotas and what you use of them",
            description = "Counts the caller's own jobs and datasets, also for an admin (whose own are counted, with "
                    + "no limits).")
    @ApiResponse(responseCode = "200", description = "The caller's usage")
    UsageResponse usage(@AuthenticationPrincipal Caller caller) {
        QuotaProperties limits = quotas.limits();
        boolean limited = quotas.limits(caller);
        String owner = caller.owner();
        return new UsageResponse(
                owner,
                limited,
                new QuotaUse(jobs.countOwned(owner, JobStatus.QUEUED), limit(limited, limits.queuedJobs())),
                new QuotaUse(jobs.countOwned(owner, JobStatus.RUNNING), limit(limited, limits.runningJobs())),
                new QuotaUse(quotas.iterationsToday(owner), limit(limited, limits.iterationsPerDay())),
                new QuotaUse(
                        uploads.storedBytes(caller),
                        limit(limited, limits.datasetBytes().toBytes())),
                limited && limits.requestsPerSecond() > 0
                        ? new RequestRate(limits.requestsPerSecond(), limits.requestBurst())
                        : null);
    }

    private static Long limit(boolean limited, long limit) {
        return limited && limit > 0 ? limit : null;
    }
}
