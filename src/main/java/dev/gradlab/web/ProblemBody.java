package dev.gradlab.web;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The OpenAPI description of every error body. The bodies themselves are Spring's {@code ProblemDetail}, built in
 * {@link ProblemHandler} (and, for the few answers made outside Spring MVC, by {@link BodySizeLimitFilter} and
 * {@link ProblemErrorReportValve}); a test checks that each matches this schema.
 */
@Schema(
        name = "Problem",
        description = "An RFC 9457 problem (application/problem+json). `code` says which "
                + "problem it is in a word a program can match; `errors` names each bad field of the request.")
record ProblemBody(
        @Schema(
                requiredMode = REQUIRED,
                format = "uri-reference",
                description = "Always about:blank: the status " + "and `code` say what happened",
                example = "about:blank")
        String type,

        @Schema(requiredMode = REQUIRED, example = "Bad Request")
        String title,

        @Schema(requiredMode = REQUIRED, minimum = "400", maximum = "599", example = "400")
        int status,

        @Schema(description = "What went wrong, readable") String detail,

        @Schema(format = "uri-reference", description = "The path of the request", example = "/api/v1/jobs")
        String instance,

        @Schema(
                requiredMode = REQUIRED,
                description = "Which problem: invalid-spec, invalid-study, invalid-parameter, invalid-csv, "
                        + "malformed-body, body-too-large, too-many-rows, job-not-found, study-not-found, "
                        + "dataset-not-found, api-key-not-found, iteration-not-recorded, not-recurrent, "
                        + "unauthorized (no API key), invalid-key (unknown, malformed or revoked), forbidden (not an "
                        + "admin key; or in local mode a request not addressed to localhost or from another site), "
                        + "wrong-state, dataset-in-use, job-in-study, idempotency-key-reused, queue-full, uploads-busy, "
                        + "quota-exceeded (an owner quota: see `quota`), rate-limited (the key's request rate), "
                        + "internal-error, or for errors Spring raises "
                        + "itself the status's name (method-not-allowed, not-acceptable, unsupported-media-type, "
                        + "not-found, ...)",
                example = "invalid-spec")
        String code,

        @Schema(
                description = "For bad input: each field (dotted path for spec fields; for a study "
                        + "vary.<path>[i] or base.<path>; the name for query parameters and headers) and what is "
                        + "allowed")
        List<FieldError> errors,

        @Schema(
                description = "For queue-full, uploads-busy and rate-limited, and for quota-exceeded when waiting "
                        + "makes room: the Retry-After header's seconds",
                minimum = "1")
        Long retryAfterSeconds,

        @Schema(
                description =
                        "For quota-exceeded and rate-limited: which limit (its property under " + "gradlab.quotas)",
                allowableValues = {"queued-jobs", "iterations-per-day", "dataset-bytes", "requests-per-second"},
                example = "queued-jobs")
        String quota,

        @Schema(
                description = "For quota-exceeded: the limit (jobs, iterations or bytes); for rate-limited: the "
                        + "requests a key may send at once",
                minimum = "1",
                example = "20")
        Long limit,

        @Schema(description = "For quota-exceeded: what the owner uses now, in the limit's unit", minimum = "0")
        Long used,

        @Schema(description = "For quota-exceeded: what the refused request would have added", minimum = "0")
        Long requested,

        @Schema(
                description = "For invalid-csv, body-too-large and too-many-rows of an upload: the CSV's line "
                        + "(1-based; the header is line 1) where the problem is",
                minimum = "1",
                example = "17")
        Long line,

        @Schema(
                description = "For invalid-csv: the CSV's column (1-based), when the problem is in one",
                minimum = "1",
                example = "2")
        Integer column,

        @Schema(description = "For job-in-study: the study the job belongs to, which is deleted with all its jobs")
        java.util.UUID studyId) {

    @Schema(name = "FieldError", description = "One bad field of the request and what is allowed")
    record FieldError(
            @Schema(requiredMode = REQUIRED, example = "model.depth")
            String field,

            @Schema(requiredMode = REQUIRED, example = "must be less than or equal to 200 (was 500)")
            String message) {}
}
