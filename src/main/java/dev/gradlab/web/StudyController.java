package dev.gradlab.web;

import dev.gradlab.access.Caller;
import dev.gradlab.diagnosis.DiagnosisService;
import dev.gradlab.profile.GradientProfiles;
import dev.gradlab.study.StudyDetails;
import dev.gradlab.study.StudyService;
import dev.gradlab.study.VariantProfile;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

@RestController
@Tag(
        name = "Studies",
        description = "Matched ablations: one base spec, the fields to vary, repeats; one job per variant × repeat, "
                + "and a table of their results")
class StudyController {

    private final StudyService studies;
    private final DiagnosisService diagnosis;
    private final List<StudyResponses.PresetBody> presets;

    StudyController(StudyService studies, DiagnosisService diagnosis, JsonMapper json) {
        this.studies = studies;
        this.diagnosis = diagnosis;
        // Read with the API's own strict mapper: a preset that would not be accepted fails the start.
        this.presets = StudyPresets.ALL.stream()
                .map(p -> new StudyResponses.PresetBody(
                        p.name(), p.title(), p.description(), json.readValue(p.request(), StudyRequest.class)))
                .toList();
    }

    @PostMapping(
            path = "/api/v1/studies",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "createStudy",
            summary = "Create a study: one queued job per variant × repeat",
            description = "Every variant (the base with one value of each varied path) is validated as a job's spec; "
                    + "the study and all its jobs are stored and queued in one transaction, so it is created whole "
                    + "or not at all. At most gradlab.studies.max-jobs (64) jobs. Jobs run repeat by repeat (every "
                    + "variant's repeat 0 first). The presets (GET /api/v1/presets) are ready bodies.")
    @ApiResponse(
            responseCode = "202",
            description = "Created and queued: the study, its variants and their QUEUED jobs",
            headers =
                    @Header(
                            name = "Location",
                            required = true,
                            description = "Absolute URL of the study",
                            schema = @Schema(type = "string", format = "uri")),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = StudyResponses.StudyResponse.class)))
    @ApiResponse(
            responseCode = "400",
            description = "Invalid study (code invalid-study): `errors` names each field, `vary.<path>[i]` for a "
                    + "varied value, `base.<path>` for the base spec; or a malformed body (malformed-body)",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(implementation = ProblemBody.class),
                            examples = @ExampleObject(name = "invalidStudy", value = ResponseExamples.INVALID_STUDY)))
    @ApiResponse(responseCode = "413", description = "Body over gradlab.api.max-body-bytes (64 KB)")
    @ApiResponse(responseCode = "415", description = "Body is not application/json")
    @ApiResponse(
            responseCode = "429",
            description = "Nothing was created. The study's jobs would take the queue past "
                    + "gradlab.jobs.queue-capacity (code queue-full), or pass an owner quota (code quota-exceeded, "
                    + "`quota` queued-jobs or iterations-per-day, with `limit`, `used` and `requested`); or the key "
                    + "sent too many requests (code rate-limited). Retry after the Retry-After header's seconds; "
                    + "it is absent when the study alone plans more iterations than the daily quota",
            headers =
                    @Header(
                            name = "Retry-After",
                            description = "Seconds to wait before retrying; absent for a quota that waiting "
                                    + "does not free",
                            schema = @Schema(type = "integer", minimum = "1")))
    ResponseEntity<StudyResponses.StudyResponse> create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = StudyRequest.class),
                                            examples = {
                                                @ExampleObject(
                                                        name = "depth-vs-cures",
                                                        summary = "Sigmoid MLPs over depths: plain, batch norm, "
                                                                + "residual, both",
                                                        value = StudyPresets.DEPTH_VS_CURES),
                                                @ExampleObject(
                                                        name = "recurrent-scale",
                                                        summary = "Simple RNN, W_rec singular values 0.5 … 3",
                                                        value = StudyPresets.RECURRENT_SCALE),
                                                @ExampleObject(
                                                        name = "clipping",
                                                        summary = "Gradient clipping on and off, stable and "
                                                                + "exploding RNN",
                                                        value = StudyPresets.CLIPPING),
                                                @ExampleObject(
                                                        name = "simple-vs-lstm",
                                                        summary = "Simple RNN vs LSTM on remember-first",
                                                        value = StudyPresets.SIMPLE_VS_LSTM),
                                                @ExampleObject(
                                                        name = "nielsen-mnist",
                                                        summary = "Nielsen's [784, 30, 30, 30, 10] sigmoid net on "
                                                                + "MNIST, 2–4 hidden layers",
                                                        value = StudyPresets.NIELSEN_MNIST),
                                                @ExampleObject(
                                                        name = "nielsen-digits",
                                                        summary = "The same nets on the bundled digits (offline)",
                                                        value = StudyPresets.NIELSEN_DIGITS),
                                                @ExampleObject(
                                                        name = "depth-vs-cures-digits",
                                                        summary = "20-layer sigmoid MLP on digits: plain, batch norm, "
                                                                + "residual",
                                                        value = StudyPresets.DEPTH_VS_CURES_DIGITS)
                                            }))
                    @RequestBody
                    StudyRequest request,
            @AuthenticationPrincipal Caller caller) {
        StudyDetails study = studies.create(caller, request.definition());
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri()
                .path("/{id}")
                .buildAndExpand(study.summary().id())
                .toUri();
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(location)
                .body(StudyResponses.StudyResponse.from(study));
    }

    @GetMapping(path = "/api/v1/studies/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "getStudy",
            summary = "A study: status, job counts, and one row per variant",
            description = "Each row: the variant's values, its jobs and, over its completed repeats, median, min and "
                    + "max of the gradient ratio at iteration 1 and at the end, the final train and test accuracy, "
                    + "the best test accuracy, the iterations to targetLoss, and the wall time; and how many "
                    + "repeats DIVERGED. Read from the database: any instance answers for any study.")
    @ApiResponse(responseCode = "200", description = "The study")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No such study (code study-not-found)")
    StudyResponses.StudyResponse get(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return StudyResponses.StudyResponse.from(studies.get(id, caller));
    }

    @GetMapping(path = "/api/v1/studies", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listStudies", summary = "Studies, newest first, one page at a time")
    @ApiResponse(responseCode = "200", description = "A page of studies with the total count")
    @ApiResponse(responseCode = "400", description = "A parameter is out of range")
    StudyResponses.StudyPageResponse list(
            @Parameter(
                            description = "Page number from 0",
                            schema = @Schema(type = "integer", format = "int32", minimum = "0", defaultValue = "0"))
                    @RequestParam(defaultValue = "0")
                    int page,
            @Parameter(
                            description = "Studies per page",
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
        return StudyResponses.StudyPageResponse.from(studies.list(caller, page, size));
    }

    @PostMapping(path = "/api/v1/studies/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "cancelStudy",
            summary = "Cancel a study and its jobs",
            description = "Like cancelling each unfinished job: a queued one never starts, a running one stops after "
                    + "its current iteration (on whichever instance runs it) and keeps its metrics. The study shows "
                    + "CANCELLED; finished jobs keep their results.")
    @ApiResponse(responseCode = "200", description = "Cancelled, or its running jobs asked to stop")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No such study")
    @ApiResponse(responseCode = "409", description = "Every job of the study has already finished")
    StudyResponses.StudyResponse cancel(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return StudyResponses.StudyResponse.from(studies.cancel(id, caller));
    }

    @DeleteMapping(path = "/api/v1/studies/{id}")
    @Operation(
            operationId = "deleteStudy",
            summary = "Delete a study with all its jobs and their curves",
            description = "Whatever the state of its jobs, as DELETE /api/v1/jobs/{id} would delete each: queued "
                    + "ones never start, running ones stop (on whichever instance trains them) and store nothing "
                    + "more, and their measurements are removed in the background within seconds. The study and its "
                    + "jobs go in one transaction: from the answer on, all of them answer 404 on every instance. Only "
                    + "the study's owner deletes it (an admin key: any owner's).")
    @ApiResponse(responseCode = "204", description = "Deleted, with all its jobs")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(
            responseCode = "404",
            description =
                    "No such study (code study-not-found; another owner's study answers the same), or deleted already")
    ResponseEntity<Void> delete(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        studies.delete(id, caller).forEach(diagnosis::forget);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/api/v1/studies/{id}/profiles", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "getStudyProfiles",
            summary = "Each variant's depth or time profile: fitted and predicted slopes over its repeats",
            description = "Per variant, over its completed repeats: median [min–max] of the fitted slope (decades "
                    + "per layer toward the input, or per step back in time) and its r², of each slope the mechanism "
                    + "predicts from the run's own factors, and the median log₁₀ norm per position; and each "
                    + "repeat's whole profile as GET /api/v1/jobs/{id}/profiles gives it.")
    @ApiResponse(responseCode = "200", description = "The variants' profiles")
    @ApiResponse(responseCode = "400", description = "A parameter is out of range, or the id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No such study (code study-not-found)")
    ProfileResponses.StudyProfiles profiles(
            @PathVariable UUID id,
            @Parameter(
                            description = "Which recorded iteration of each job: first (the initial weights) or last",
                            schema =
                                    @Schema(
                                            allowableValues = {"first", "last"},
                                            defaultValue = "first"))
                    @RequestParam(defaultValue = "first")
                    String at,
            @Parameter(
                            description = "mlp variants: weightGradientNorm or biasGradientNorm",
                            schema =
                                    @Schema(
                                            allowableValues = {
                                                GradientProfiles.WEIGHT_GRADIENT,
                                                GradientProfiles.BIAS_GRADIENT
                                            },
                                            defaultValue = GradientProfiles.WEIGHT_GRADIENT))
                    @RequestParam(defaultValue = GradientProfiles.WEIGHT_GRADIENT)
                    String stat,
            @AuthenticationPrincipal Caller caller) {
        ProfileController.requireStatistic(stat);
        if (!at.equals("first") && !at.equals("last")) {
            throw new BadParameterException("at", "must be first or last (was " + at + ")");
        }
        boolean last = at.equals("last");
        List<VariantProfile> variants = studies.profiles(id, caller, last, stat);
        // An rnn study's profiles are ‖∂L/∂x_t‖ whatever stat says: name what was profiled.
        String profiled = variants.stream()
                .flatMap(v -> v.repeats().stream())
                .map(r -> r.profile().statistic())
                .findFirst()
                .orElse(stat);
        return new ProfileResponses.StudyProfiles(
                id,
                last ? ProfileResponses.At.LAST : ProfileResponses.At.FIRST,
                profiled,
                variants.stream().map(ProfileResponses.VariantProfileBody::of).toList());
    }

    @GetMapping(path = "/api/v1/presets", produces = MediaType.APPLICATION_JSON_VALUE)
    @Tag(name = "Studies")
    @Operation(
            operationId = "listPresets",
            summary = "Studies that reproduce the classic results",
            description = "Depth vs cures (sigmoid MLP: plain, batch norm, residual), recurrent scale (0.5 … 3), "
                    + "gradient clipping on and off, simple RNN vs LSTM, Nielsen's table (his sigmoid nets' "
                    + "hidden-layer bias-gradient norms at initialisation, on MNIST and on the bundled digits) and a "
                    + "20-layer sigmoid net on digits with each cure. Each `request` is a ready body for POST "
                    + "/api/v1/studies; each finishes in a few minutes with one job at a time (the README gives what "
                    + "we measured; nielsen-mnist needs the MNIST files, docs/DATASETS.md).")
    @ApiResponse(responseCode = "200", description = "The presets")
    List<StudyResponses.PresetBody> presets() {
        return presets;
    }
}
