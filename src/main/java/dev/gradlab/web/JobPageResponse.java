package dev.gradlab.web;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.gradlab.access.Caller;
import dev.gradlab.job.JobPage;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@Schema(name = "JobPage", description = "One page of jobs, newest first")
record JobPageResponse(
        @Schema(requiredMode = REQUIRED) List<JobResponse> items,
        @Schema(requiredMode = REQUIRED, minimum = "0") int page,

        @Schema(requiredMode = REQUIRED, minimum = "1", maximum = "100")
        int size,

        @Schema(requiredMode = REQUIRED, minimum = "0", description = "Jobs matching the filter, on all pages")
        long total) {

    static JobPageResponse from(JobPage page, Caller caller) {
        return new JobPageResponse(
                page.items().stream().map(job -> JobResponse.from(job, caller)).toList(),
                page.page(),
                page.size(),
                page.total());
    }
}
