package dev.gradlab.web;

import dev.gradlab.access.Caller;
import dev.gradlab.diagnosis.DiagnosisService;
import dev.gradlab.job.JobDetails;
import dev.gradlab.job.JobService;
import dev.gradlab.job.JobStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping(path = "/api/v1/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Jobs", description = "Submit model specs, follow, cancel and delete their training")
class JobController {

    private final JobService jobs;
    private final DiagnosisService diagnosis;

    JobController(JobService jobs, DiagnosisService diagnosis) {
        this.jobs = jobs;
        this.diagnosis = diagnosis;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Queue a model spec for training",
            description = "Validates the spec, stores it with its defaults filled in and queues it. With an "
                    + "Idempotency-Key header, sending the same request again returns the first job instead of "
                    + "creating a second (header Idempotent-Replayed: true).")
    @ApiResponse(
            responseCode = "202",
            description =
                    "Accepted and queued (or, with a reused Idempotency-Key, the " + "job the first request created)",
            headers = {
                @Header(
                        name = "Location",
                        required = true,
                        description = "Absolute URL of the job (behind a "
                                + "reverse proxy: as the client addressed it, from X-Forwarded-* / Forwarded)",
                        schema = @Schema(type = "string", format = "uri")),
                @Header(
                        name = "Idempotent-Replayed",
                        description = "Present, with value true, when this "
                                + "answer replays the job an earlier request with the same Idempotency-Key created",
                        schema = @Schema(type = "string", allowableValues = "true"))
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = JobResponse.class),
                            examples = @ExampleObject(name = "queued", value = ResponseExamples.QUEUED_JOB)))
    @ApiResponse(
            responseCode = "400",
            description = "Invalid spec or header: `errors` names each field and what " + "is allowed",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(implementation = ProblemBody.class),
                            examples = @ExampleObject(name = "invalidSpec", value = ResponseExamples.INVALID_SPEC)))
    @ApiResponse(responseCode = "413", description = "Body over gradlab.api.max-body-bytes (64 KB)")
    @ApiResponse(responseCode = "415", description = "Body is not application/json")
    @ApiResponse(responseCode = "422", description = "Idempotency-Key already used with a different body")
    @ApiResponse(
            responseCode = "429",
            description = "Nothing was queued. The queue is full (gradlab.jobs.queue-capacity; code queue-full); or "
                    + "the job would pass an owner quota (code quota-exceeded, `quota` queued-jobs or "
                    + "iterations-per-day, with `limit`, `used` and `requested`); or the key sent too many requests "
                    + "(code rate-limited). Retry after the Retry-After header's seconds; it is absent when the "
                    + "job alone plans more iterations than the daily quota",
            headers =
                    @Header(
                            name = "Retry-After",
                            description = "Seconds to wait before retrying; absent for a quota that waiting "
                                    + "does not free",
                            schema = @Schema(type = "integer", minimum = "1")))
    ResponseEntity<JobResponse> submit(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = JobRequest.class),
                                            examples = {
                                                @ExampleObject(
                                                        name = "plain",
                                                        summary = "Plain 20-layer sigmoid MLP: vanishing gradients",
                                                        value = SpecExamples.PLAIN),
                                                @ExampleObject(
                                                        name = "batchNorm",
                                                        summary = "Same net with batch norm (Ioffe & Szegedy 2015)",
                                                        value = SpecExamples.BATCH_NORM),
                                                @ExampleObject(
                                                        name = "residual",
                                                        summary = "Same net with residual connections (He et al. 2016)",
                                                        value = SpecExamples.RESIDUAL),
                                                @ExampleObject(
                                                        name = "rnnVanishing",
                                                        summary =
                                                                "Simple RNN, W_rec singular values 0.5: gradients vanish through time",
                                                        value = SpecExamples.RNN_VANISHING),
                                                @ExampleObject(
                                                        name = "rnnExploding",
                                                        summary =
                                                                "Simple RNN, singular values 3, no clipping: explodes, ends DIVERGED",
                                                        value = SpecExamples.RNN_EXPLODING),
                                                @ExampleObject(
                                                        name = "rnnClipped",
                                                        summary =
                                                                "The exploding RNN with gradient clipping (Pascanu et al. 2013): trains",
                                                        value = SpecExamples.RNN_CLIPPED),
                                                @ExampleObject(
                                                        name = "digits",
                                                        summary =
                                                                "Handwritten digits (UCI, Alpaydin & Kaynak 1998, CC BY 4.0), bundled: ~0.98 test accuracy",
                                                        value = SpecExamples.DIGITS)
                                            }))
                    @RequestBody
                    JobRequest request,
            @Parameter(
                            description =
                                    "Any unique string; retrying with the same key and body returns the first job",
                            schema = @Schema(type = "string", minLength = 1, maxLength = 200))
                    @RequestHeader(name = "Idempotency-Key", required = false)
                    String idempotencyKey,
            @AuthenticationPrincipal Caller caller) {
        if (request.name() != null && request.name().length() > 200) {
            throw new BadParameterException("name", "at most 200 characters");
        }
        if (request.name() != null && request.name().indexOf('\u0000') >= 0) {
            // PostgreSQL text cannot hold NUL (H2's can): refuse it here rather than fail the insert with a 500.
            throw new BadParameterException("name", "must not contain NUL (\\u0000) characters");
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw new BadParameterException("Idempotency-Key", "1 to 200 characters");
        }
        JobService.Submission s = jobs.submit(caller, request.name(), request.spec(), idempotencyKey);
        // Honours X-Forwarded-* / Forwarded (server.forward-headers-strategy=framework), so behind a proxy the URL
        // is the one the client used.
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri()
                .path("/{id}")
                .buildAndExpand(s.job().id())
                .toUri();
        ResponseEntity.BodyBuilder response =
                ResponseEntity.status(HttpStatus.ACCEPTED).location(location);
        if (!s.created()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(JobResponse.from(s.job(), caller));
    }

    @GetMapping("/{id}")
    @Operation(
            summary = "A job: status, spec with defaults, progress, result, diagnosis",
            description = "The diagnosis (findings with evidence and remedies, or HEALTHY) is computed from the "
                    + "job's last recorded points, while it runs and once it has finished; see the `diagnosis` "
                    + "field and docs/DIAGNOSIS.md.")
    @ApiResponse(
            responseCode = "200",
            description = "The job",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = JobResponse.class),
                            examples = {
                                @ExampleObject(name = "succeeded", value = ResponseExamples.SUCCEEDED_JOB),
                                @ExampleObject(name = "diverged", value = ResponseExamples.DIVERGED_JOB)
                            }))
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No such job")
    JobResponse get(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        JobDetails job = jobs.get(id, caller); // another owner's job: 404, as for an id that does not exist
        if (job.status() == JobStatus.QUEUED) {
            return JobResponse.from(job, caller); // nothing recorded to diagnose
        }
        return JobResponse.from(
                job, caller, DiagnosisResponses.body(diagnosis.diagnose(DiagnosisResponses.facts(job))));
    }

    @GetMapping
    @Operation(summary = "Jobs, newest first, one page at a time")
    @ApiResponse(responseCode = "200", description = "A page of jobs with the total count")
    @ApiResponse(responseCode = "400", description = "A parameter is out of range")
    JobPageResponse list(
            @Parameter(description = "Only jobs in this status") @RequestParam(required = false) JobStatus status,
            @Parameter(description = "Only this study's jobs") @RequestParam(required = false) UUID studyId,
            @Parameter(
                            description = "Page number from 0",
                            schema = @Schema(type = "integer", format = "int32", minimum = "0", defaultValue = "0"))
                    @RequestParam(defaultValue = "0")
                    int page,
            @Parameter(
                            description = "Jobs per page",
                            schema =
                                    @Schema(
                                            type = "integer",
                                            format = "int32",
                                            minimum = "1",
                                            maximum = "100",
                                            defaultValue = "20"))
                    @RequestParam(defaultValue = "20")
                    int size,
            @AuthenticationPrincipal Caller caller) {
        PageParameters.check(page, size);
        return JobPageResponse.from(jobs.list(caller, status, studyId, page, size), caller);
    }

    @PostMapping("/{id}/cancel")
    @Operation(
            summary = "Cancel a job",
            description = "A queued job never starts. A running job stops after its current iteration (within a "
                    + "second or two) and keeps the metrics it recorded; it then shows CANCELLED.")
    @ApiResponse(responseCode = "200", description = "Cancelled, or asked to stop")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(responseCode = "409", description = "The job has already finished")
    JobResponse cancel(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return JobResponse.from(jobs.cancel(id, caller), caller);
    }

    @DeleteMapping("/{id}")
    @Operation(
            operationId = "deleteJob",
            summary = "Delete a job with its curves",
            description = "Whatever its state. A queued job never starts; a running one is stopped first (after its "
                    + "current iteration, on whichever instance trains it) and nothing it still writes is stored. "
                    + "From the answer on, the job, its curves, profiles, events and findings answer 404 on every "
                    + "instance, and its Idempotency-Key may be used again. Its stored measurements are removed in "
                    + "the background within seconds (a few hundred rows per transaction, so running jobs never "
                    + "wait for it); storedBytes said how much. A study's job is deleted with its study only "
                    + "(DELETE /api/v1/studies/{id}). Only the job's owner deletes it (an admin key: any owner's).")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(
            responseCode = "404",
            description = "No such job (code job-not-found; another owner's job answers the same), or deleted already")
    @ApiResponse(
            responseCode = "409",
            description = "The job is one of a study's (code job-in-study; `studyId` names the study): delete the "
                    + "study instead")
    ResponseEntity<Void> delete(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        jobs.delete(id, caller);
        diagnosis.forget(id);
        return ResponseEntity.noContent().build();
    }
}
