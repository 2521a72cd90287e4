package dev.gradlab.web;

import dev.gradlab.access.ApiKeyNotFoundException;
import dev.gradlab.curve.IterationNotRecordedException;
import dev.gradlab.curve.UnknownStatisticException;
import dev.gradlab.database.DatabaseFailures;
import dev.gradlab.job.IdempotencyConflictException;
import dev.gradlab.job.JobInStudyException;
import dev.gradlab.job.JobNotFoundException;
import dev.gradlab.job.JobStateException;
import dev.gradlab.job.QueueFullException;
import dev.gradlab.quota.QuotaExceededException;
import dev.gradlab.spec.InvalidSpecException;
import dev.gradlab.study.InvalidStudyException;
import dev.gradlab.study.StudyNotFoundException;
import dev.gradlab.study.StudyStateException;
import dev.gradlab.upload.DatasetInUseException;
import dev.gradlab.upload.DatasetNotFoundException;
import dev.gradlab.upload.InvalidCsvException;
import dev.gradlab.upload.UploadsBusyException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error is an RFC 9457 problem ({@code application/problem+json}) with a short {@code code}; bad input names
 * the field and what is allowed. Nothing internal (stack traces, SQL, class names of ours) reaches a client.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** The Retry-After of a 503 during a database outage. */
    private final long databaseRetryAfterSeconds;

    ProblemHandler(@Value("${gradlab.api.database-unavailable-retry-after:5s}") Duration databaseRetryAfter) {
        this.databaseRetryAfterSeconds = Math.max(1, (databaseRetryAfter.toMillis() + 999) / 1000);
    }

    @ExceptionHandler(InvalidSpecException.class)
    ProblemDetail invalidSpec(InvalidSpecException e) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-spec", e.getMessage());
        p.setTitle("Invalid model spec");
        p.setProperty(
                "errors",
                e.violations().stream()
                        .map(v -> Map.of("field", v.field(), "message", v.message()))
                        .toList());
        return p;
    }

    @ExceptionHandler(InvalidStudyException.class)
    ProblemDetail invalidStudy(InvalidStudyException e) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-study", e.getMessage());
        p.setTitle("Invalid study");
        p.setProperty(
                "errors",
                e.violations().stream()
                        .map(v -> Map.of("field", v.field(), "message", v.message()))
                        .toList());
        return p;
    }

    @ExceptionHandler(BadParameterException.class)
    ProblemDetail badParameter(BadParameterException e) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-parameter", e.parameter() + ": " + e.getMessage());
        p.setProperty("errors", List.of(Map.of("field", e.parameter(), "message", e.getMessage())));
        return p;
    }

    /** A query string that is not valid percent-encoded UTF-8 (Tomcat refuses to decode it). */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail undecodableParameter(InvalidParameterException e) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "invalid-parameter",
                "the query string is not valid percent-encoded UTF-8 (such as %ZZ or a lone %)");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "a valid value" : describeType(e.getRequiredType());
        String message = "must be " + expected;
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-parameter", e.getName() + ": " + message);
        p.setProperty("errors", List.of(Map.of("field", e.getName(), "message", message)));
        return p;
    }

    private static String describeType(Class<?> type) {
        if (type.isEnum()) {
            return "one of "
                    + java.util.Arrays.stream(type.getEnumConstants())
                            .map(Object::toString)
                            .collect(Collectors.joining(", "));
        }
        if (type == java.util.UUID.class) {
            return "an id (UUID)";
        }
        return "a valid " + type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** A refused upload: 400 naming the line and column, or 413 over max-bytes or max-rows; nothing stored. */
    @ExceptionHandler(InvalidCsvException.class)
    ResponseEntity<ProblemDetail> invalidCsv(InvalidCsvException e) {
        if (e.parameter() != null) {
            return ResponseEntity.badRequest().body(badParameter(new BadParameterException(e.parameter(), e.reason())));
        }
        ProblemDetail p;
        if (InvalidCsvException.MAX_BYTES.equals(e.limit())) {
            p = problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", e.getMessage());
        } else if (InvalidCsvException.MAX_ROWS.equals(e.limit())) {
            p = problem(HttpStatus.CONTENT_TOO_LARGE, "too-many-rows", e.getMessage());
        } else {
            p = problem(HttpStatus.BAD_REQUEST, "invalid-csv", e.getMessage());
            p.setTitle("Invalid CSV");
            p.setProperty("errors", List.of(Map.of("field", "body", "message", e.getMessage())));
        }
        if (e.line() > 0) {
            p.setProperty("line", e.line());
        }
        if (e.column() > 0) {
            p.setProperty("column", e.column());
        }
        return ResponseEntity.status(p.getStatus()).body(p);
    }

    /** An upload longer than allowed, without (or with a false) Content-Length: seen while reading it. */
    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> bodyTooLarge(BodyTooLargeException e) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .header(HttpHeaders.CONNECTION, "close")
                .body(problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", e.getMessage()));
    }

    @ExceptionHandler(DatasetNotFoundException.class)
    ProblemDetail datasetNotFound(DatasetNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "dataset-not-found", e.getMessage());
    }

    @ExceptionHandler(DatasetInUseException.class)
    ProblemDetail datasetInUse(DatasetInUseException e) {
        return problem(HttpStatus.CONFLICT, "dataset-in-use", e.getMessage());
    }

    /** Each upload being parsed holds its floats; past gradlab.datasets.upload.concurrency the next waits. */
    @ExceptionHandler(UploadsBusyException.class)
    ResponseEntity<ProblemDetail> uploadsBusy(UploadsBusyException e) {
        ProblemDetail p = problem(HttpStatus.TOO_MANY_REQUESTS, "uploads-busy", e.getMessage());
        p.setProperty("retryAfterSeconds", (long) UploadsBusyException.RETRY_AFTER_SECONDS);
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(UploadsBusyException.RETRY_AFTER_SECONDS))
                .body(p);
    }

    @ExceptionHandler(ApiKeyNotFoundException.class)
    ProblemDetail apiKeyNotFound(ApiKeyNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "api-key-not-found", e.getMessage());
    }

    @ExceptionHandler(JobNotFoundException.class)
    ProblemDetail notFound(JobNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "job-not-found", e.getMessage());
    }

    @ExceptionHandler(JobInStudyException.class)
    ProblemDetail jobInStudy(JobInStudyException e) {
        ProblemDetail p = problem(HttpStatus.CONFLICT, "job-in-study", e.getMessage());
        p.setProperty("studyId", e.studyId());
        return p;
    }

    @ExceptionHandler(StudyNotFoundException.class)
    ProblemDetail studyNotFound(StudyNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "study-not-found", e.getMessage());
    }

    @ExceptionHandler(StudyStateException.class)
    ProblemDetail studyConflict(StudyStateException e) {
        return problem(HttpStatus.CONFLICT, "wrong-state", e.getMessage());
    }

    @ExceptionHandler(IterationNotRecordedException.class)
    ProblemDetail notRecorded(IterationNotRecordedException e) {
        ProblemDetail p = problem(HttpStatus.NOT_FOUND, "iteration-not-recorded", e.getMessage());
        p.setProperty("errors", List.of(Map.of("field", "iteration", "message", e.getMessage())));
        return p;
    }

    @ExceptionHandler(NotRecurrentException.class)
    ProblemDetail notRecurrent(NotRecurrentException e) {
        return problem(HttpStatus.NOT_FOUND, "not-recurrent", e.getMessage());
    }

    @ExceptionHandler(UnknownStatisticException.class)
    ProblemDetail unknownStatistic(UnknownStatisticException e) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "stat: " + e.getMessage());
        p.setProperty("errors", List.of(Map.of("field", "stat", "message", e.getMessage())));
        return p;
    }

    @ExceptionHandler(JobStateException.class)
    ProblemDetail conflict(JobStateException e) {
        return problem(HttpStatus.CONFLICT, "wrong-state", e.getMessage());
    }

    /**
     * An owner quota: 429 with what was over, by how much, and Retry-After when waiting makes room (not for a job
     * larger than the daily quota by itself, or for dataset bytes, which only a deletion frees).
     */
    @ExceptionHandler(QuotaExceededException.class)
    ResponseEntity<ProblemDetail> quotaExceeded(QuotaExceededException e) {
        ProblemDetail p = problem(HttpStatus.TOO_MANY_REQUESTS, "quota-exceeded", e.getMessage());
        p.setProperty("quota", e.quota().configName());
        p.setProperty("limit", e.limit());
        p.setProperty("used", e.used());
        p.setProperty("requested", e.requested());
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS);
        if (e.retryAfter() != null) {
            long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
            p.setProperty("retryAfterSeconds", seconds);
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return answer.body(p);
    }

    /** Overload: 429 with Retry-After (seconds), so well-behaved clients back off instead of hammering. */
    @ExceptionHandler(QueueFullException.class)
    ResponseEntity<ProblemDetail> queueFull(QueueFullException e) {
        ProblemDetail p = problem(HttpStatus.TOO_MANY_REQUESTS, "queue-full", e.getMessage());
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        p.setProperty("retryAfterSeconds", seconds);
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .body(p);
    }

    /** Too many open event streams here: 503 with Retry-After; the client polls meanwhile. */
    @ExceptionHandler(TooManyEventStreamsException.class)
    ResponseEntity<ProblemDetail> tooManyStreams(TooManyEventStreamsException e) {
        ProblemDetail p = problem(HttpStatus.SERVICE_UNAVAILABLE, "too-many-event-streams", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "30")
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }

    @ExceptionHandler(IdempotencyConflictException.class)
    ProblemDetail idempotency(IdempotencyConflictException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", e.getMessage());
    }

    /**
     * Anything else is the server's fault (500), except the database being unreachable, read-only or full: 503
     * with Retry-After, answered as soon as the connection pool gives up (spring.datasource.hikari.connection-
     * timeout, 2 s), so that a client backs off and retries, or a load balancer tries another instance.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (DatabaseFailures.isUnavailable(e)) {
            log.warn("database unavailable, answering 503: {}", e.getMessage());
            ProblemDetail p = problem(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "database-unavailable",
                    "the database cannot be reached or written just now (an outage or a fail-over); retry in "
                            + databaseRetryAfterSeconds + " s. A submission sent with an Idempotency-Key can be "
                            + "retried as it is: it is stored once");
            p.setTitle("Database unavailable");
            p.setProperty("retryAfterSeconds", databaseRetryAfterSeconds);
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(databaseRetryAfterSeconds))
                    .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                    .body(p);
        }
        log.error("unexpected error", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "internal-error",
                        "the server could not handle this request; it has been logged"));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = e.getMostSpecificCause();
        if (hasCause(e, BodyTooLargeException.class)) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .body(problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", cause.getMessage()));
        }
        String field = null;
        String message;
        if (cause instanceof UnrecognizedPropertyException u) {
            field = path(u);
            message = "unknown field; allowed here: "
                    + u.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "));
        } else if (cause instanceof InvalidFormatException f
                && f.getTargetType() != null
                && f.getTargetType().isEnum()) {
            field = path(f);
            message = "'" + f.getValue() + "' is not one of " + enumValues(f.getTargetType());
        } else if (cause instanceof InputCoercionException n && !n.getPath().isEmpty()) {
            field = path(n);
            message = "number out of range: " + n.getOriginalMessage();
        } else if (cause instanceof DatabindException d && !d.getPath().isEmpty()) {
            field = path(d);
            message = "wrong type or malformed value" + targetType(d);
        } else if (cause instanceof tools.jackson.databind.exc.MismatchedInputException m
                && m.getPath().isEmpty()) {
            message = "the request body must be a JSON object (a model spec)"; // Jackson's text names our classes
        } else if (cause instanceof JacksonException j) {
            message = "malformed JSON: " + j.getOriginalMessage();
        } else {
            message = "the request body is missing or is not a JSON model spec";
        }
        ProblemDetail p =
                problem(HttpStatus.BAD_REQUEST, "malformed-body", field == null ? message : field + ": " + message);
        if (field != null) {
            p.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        }
        return ResponseEntity.badRequest().body(p);
    }

    /** Spring's text names its static-resource handler; the client only needs to know there is nothing here. */
    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(
            NoResourceFoundException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail p = problem(HttpStatus.NOT_FOUND, "not-found", containerDetail(HttpStatus.NOT_FOUND.value()));
        return handleExceptionInternal(e, p, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail p) {
            if (p.getProperties() == null || !p.getProperties().containsKey("code")) {
                p.setProperty("code", codeFor(statusCode.value()));
            }
            p.setType(ABOUT_BLANK);
        }
        return response;
    }

    private static String targetType(DatabindException d) {
        if (d instanceof tools.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
            Class<?> t = m.getTargetType();
            if (t.isEnum()) {
                return "; expected one of " + enumValues(t);
            }
            if (t == Boolean.class || t == boolean.class) {
                return "; expected true or false";
            }
            if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
                return "; expected a whole number";
            }
            if (Number.class.isAssignableFrom(t) || t.isPrimitive()) {
                return "; expected a number";
            }
            if (t == String.class) {
                return "; expected a string";
            }
            return "; expected an object";
        }
        return "";
    }

    /** An enum's JSON spellings (from its @JsonProperty names). */
    private static String enumValues(Class<?> type) {
        return java.util.Arrays.stream(type.getFields())
                .filter(java.lang.reflect.Field::isEnumConstant)
                .map(f -> {
                    var a = f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                    return a == null ? f.getName() : a.value();
                })
                .collect(Collectors.joining(", "));
    }

    private static String path(JacksonException e) {
        return e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a status means when the container (Tomcat, or Spring before any handler) refused the request: the same
     * words whether {@link ProblemErrorController} or {@link ProblemErrorReportValve} answers. Never the exception's
     * own text, which may name classes, hosts or paths on the server.
     */
    static String containerDetail(int status) {
        return switch (status) {
            case 400 ->
                "the request could not be read: a malformed or unsafe URL, request line, header or percent-encoding, "
                        + "or a URL or headers too long";
            case 404 -> "nothing here: this path is not part of the service (the API is described at /v3/api-docs)";
            case 405 -> "this path does not take this method";
            case 406 -> "the Accept header allows no type this path answers with";
            case 408 -> "the request did not arrive in time";
            case 411 -> "a request body needs a Content-Length or chunked transfer encoding";
            case 413 -> "the request is too large";
            case 414 -> "the URL is too long";
            case 415 -> "this Content-Type is not accepted here";
            case 417 -> "this Expect header cannot be met";
            case 431 -> "the request's headers are too large";
            case 501 -> "this method or transfer encoding is not implemented";
            case 503 -> "the service cannot answer just now; retry later";
            case 505 -> "this HTTP version is not supported; use HTTP/1.1";
            default ->
                status >= 500
                        ? "the server could not handle this request; it has been logged"
                        : "the request was refused";
        };
    }

    /** The {@code code} of problems Spring raises itself: its status name, e.g. "unsupported-media-type". */
    static String codeFor(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "error" : known.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static ProblemDetail problem(HttpStatus status, String code, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(ABOUT_BLANK);
        p.setProperty("code", code);
        return p;
    }

    /** RFC 9457's "no further semantics than the status": {@code code} says which problem it is. */
    static final java.net.URI ABOUT_BLANK = java.net.URI.create("about:blank");
}
