package dev.gradlab.web;

import dev.gradlab.curve.CurveQueries;
import dev.gradlab.diagnosis.FindingCode;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document is a product: clients are generated from it, and tests check every response against it.
 * Annotations on the controllers and response records say what each operation and body is; this class adds what
 * annotations cannot say once for all operations: the statistics' enums (from {@link CurveQueries}, so the list
 * lives in one place), the answers every operation can give (400, 405, 406, 413, 500), the curve parameters' limits (the
 * maxPoints ceiling is configuration), typed defaults and exclusive bounds as OpenAPI 3.1 spells them.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    /** The layer kinds training reports (network.LayerKind's labels; a test keeps the two equal). */
    static final List<String> LAYER_KINDS = List.of("dense", "batchNorm", "recurrent", "output");

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final String STAT_DEFAULT = "weightGradientNorm";
    /** The request body's schemas (the spec records are also the job's `spec` in answers, which has no more). */
    private static final List<String> REQUEST_SCHEMAS = List.of(
            "JobRequest",
            "StudyRequest",
            "ExperimentSpec",
            "ModelSpec",
            "DatasetSpec",
            "TrainingSpec",
            "GradientClipping",
            "MetricsSpec");

    @Bean
    OpenAPI gradLabOpenApi() {
        // A relative server: the API is wherever this document was fetched from (behind a proxy too), and the
        // document is the same on every instance and port.
        return new OpenAPI()
                .servers(List.of(new Server().url("/").description("This GradLab instance")))
                .components(new Components()
                        .addSecuritySchemes(
                                BEARER_SCHEME,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("An API key (glk_…), sent as `Authorization: Bearer <key>`. "
                                                + "An admin creates keys with POST /api/v1/admin/keys; the "
                                                + "operator's admin key (GRADLAB_SECURITY_ADMIN_KEY) is one too. "
                                                + "In local mode (the default: the server listens on loopback "
                                                + "only) a request without a key is the local admin.")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME))
                .info(new Info()
                        .title("GradLab API")
                        .version("1")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0"))
                        .description("""
                        Train small networks and watch their gradients. Submit a model spec, then fetch per-layer \
                        gradient norms and the loss as JSON curves. Try the three examples on POST /api/v1/jobs: a \
                        20-layer sigmoid MLP's first layer gets a gradient ~10⁻¹² of its last (vanishing gradients); \
                        batch normalization (Ioffe & Szegedy, 2015) or residual connections (He et al., 2016) keep \
                        it within a few orders of magnitude and the net learns. The rnn examples show gradients \
                        through time (Pascanu, Mikolov & Bengio, 2013): W_rec's singular values below 1 make the \
                        gradient reaching early steps vanish (/curves/timesteps), above 1 it explodes and the run \
                        ends DIVERGED, and gradient clipping tames it. POST /api/v1/studies runs matched \
                        ablations: one job per variant × repeat, the variants of a repeat sharing data, minibatch \
                        order and initial weights, and a table of their results; GET /api/v1/presets lists studies \
                        that reproduce these results, each a ready request.

                        Conventions: a field without a value is left out of the JSON (never null), except inside \
                        arrays, where null keeps the positions aligned. JSON has no NaN: a non-finite number is \
                        null in its array (or left out of its object) and listed in the `nonFinite` beside it, \
                        spelled NaN, Infinity or -Infinity. Errors are RFC 9457 problems with a `code`; bad input \
                        names each field in `errors`. Unknown request fields are refused. Requests that reach no \
                        operation get problems too: 404 for a path not listed here, 405 for a method a path does not \
                        take, 400 for a request that cannot be read, 501 for a transfer encoding and 505 for an HTTP \
                        version the server does not speak.

                        Access: every API request needs `Authorization: Bearer <key>` (the Authorize button), \
                        except in local mode, the default, where the server listens on loopback only and every \
                        request is its local admin. Each job, study and dataset has an owner: a key sees only its \
                        owner's (another owner's id answers 404, like an id that does not exist), an admin key \
                        sees all. Idempotency-Key values are per owner.

                        Fair use: a non-admin key's requests are rate-limited (the answers carry RateLimit and \
                        RateLimit-Policy); its owner has quotas of waiting jobs, jobs training at once, training \
                        iterations a day and dataset bytes. Past one the answer is 429 (code `rate-limited` or \
                        `quota-exceeded`, naming the `quota`), with Retry-After when waiting makes room. Jobs over \
                        the running quota are not refused: they wait in the queue while others' jobs run. \
                        `GET /api/v1/usage` shows the caller's limits and use."""));
    }

    @Bean
    OpenApiCustomizer gradLabContract(
            @Value("${gradlab.curves.max-points-limit:20000}") int maxPointsLimit,
            @Value("${gradlab.studies.max-jobs:64}") int maxStudyJobs) {
        return openApi -> {
            var schemas = openApi.getComponents().getSchemas();
            studyRequest(schemas, maxStudyJobs);
            schemas.put(
                    "GradientStat",
                    enumSchema(
                            "A gradient-norm series: of W (weight), b (bias), or W_rec "
                                    + "(recurrent layers), before or after clipping",
                            CurveQueries.gradientStatistics()));
            schemas.put("LayerStat", enumSchema("A per-layer statistic", CurveQueries.layerStatistics()));
            schemas.put("LayerKind", enumSchema("What kind of parameterised layer", LAYER_KINDS));
            schemas.put(
                    "FindingCode",
                    enumSchema(
                            "What a diagnosis finding says (docs/DIAGNOSIS.md: each code's rule, source and "
                                    + "threshold)",
                            Arrays.stream(FindingCode.values()).map(Enum::name).toList()));
            // springdoc describes the events operation's Java return type; the answer is a text/event-stream.
            schemas.remove("SseEmitter");
            schemas.values()
                    .forEach(s -> eachSchema(s, schema -> {
                        typeDefault(schema);
                        exclusiveBounds(schema);
                    }));
            schemas.values().forEach(OpenApiConfiguration::bareReferences);
            // The server refuses unknown request fields (spring.jackson.deserialization.fail-on-unknown-properties).
            REQUEST_SCHEMAS.forEach(name -> schemas.get(name).setAdditionalProperties(false));
            openApi.getComponents()
                    .addHeaders("RateLimit", rateLimitHeader(false))
                    .addHeaders("RateLimit-Policy", rateLimitPolicyHeader(false));
            for (Map.Entry<String, PathItem> path : openApi.getPaths().entrySet()) {
                for (Operation op : path.getValue().readOperations()) {
                    if (op.getParameters() != null) {
                        op.getParameters().forEach(p -> curveParameter(p, maxPointsLimit));
                        op.getParameters().forEach(p -> eachSchema(p.getSchema(), OpenApiConfiguration::typeDefault));
                        op.getParameters().stream()
                                .filter(p -> "stat".equals(p.getName()) && !p.getRequired())
                                .forEach(p -> untyped(p.getSchema()).setDefault(STAT_DEFAULT));
                    }
                    accessAnswers(path.getKey(), op.getResponses());
                    commonAnswers(op.getResponses());
                    if (!DATABASE_FREE_PATHS.contains(path.getKey())) {
                        databaseUnavailable(op.getResponses());
                    }
                    if (!path.getKey().startsWith(AdminKeyController.PATH)) {
                        rateLimited(op.getResponses());
                    }
                }
            }
        };
    }

    /**
     * A varied path's values are any JSON values (what the field takes), at least one: springdoc would describe
     * Jackson's JsonNode class instead. Repeats are capped by configuration, like maxPoints.
     */
    @SuppressWarnings("rawtypes")
    private static void studyRequest(Map<String, Schema> schemas, int maxStudyJobs) {
        schemas.remove("JsonNode");
        Schema<?> request = schemas.get("StudyRequest");
        Schema<?> vary = request.getProperties().get("vary");
        vary.setAdditionalProperties(new io.swagger.v3.oas.models.media.ArraySchema()
                .items(new Schema<>())
                .minItems(1)
                .description("The values to try, in order; null for the field's default"));
        request.getProperties().get("repeats").setMaximum(BigDecimal.valueOf(maxStudyJobs));
    }

    @SuppressWarnings("unchecked")
    private static Schema<Object> untyped(Schema<?> schema) {
        return (Schema<Object>) schema;
    }

    /**
     * A String property typed by {@code @Schema(ref = ...)} keeps swagger-core's {@code type: string} beside the
     * {@code $ref}; generators then ignore the reference. The referenced schema says the type.
     */
    private static void bareReferences(Schema<?> schema) {
        if (schema.getProperties() == null) {
            return;
        }
        for (Schema<?> property : schema.getProperties().values()) {
            if (property.get$ref() != null) {
                property.setType(null);
                property.setTypes(null);
            }
        }
    }

    private static Schema<?> enumSchema(String description, List<String> values) {
        StringSchema s = new StringSchema();
        s.setDescription(description);
        s.setEnum(values);
        return s;
    }

    /** maxPoints, from and to: the same limits on every curve operation, as the controller enforces them. */
    private static void curveParameter(Parameter p, int maxPointsLimit) {
        switch (p.getName()) {
            case "maxPoints" ->
                p.schema(new IntegerSchema()
                                .format("int32")
                                .minimum(BigDecimal.valueOf(2))
                                .maximum(BigDecimal.valueOf(maxPointsLimit))
                                ._default(CurveController.DEFAULT_MAX_POINTS))
                        .description("At most this many points (2.." + maxPointsLimit + ", gradlab.curves."
                                + "max-points-limit); the first, the last and each bucket's extremes are kept");
            case "from", "to" -> p.getSchema().minimum(BigDecimal.ZERO);
            default -> {}
        }
    }

    static final String BEARER_SCHEME = "bearerKey";

    /**
     * 401 on every operation (no key, or a bad one; with the WWW-Authenticate challenge) and 403 (a non-admin key
     * on the admin operations; local mode's refusals of another host name or another site's change), listed after
     * the operation's own answers.
     */
    private static void accessAnswers(String path, ApiResponses responses) {
        responses.addApiResponse(
                "401",
                new ApiResponse()
                        .description("No API key (code `unauthorized`), or one that is unknown, malformed or revoked "
                                + "(code `invalid-key`). Not in local mode without a key.")
                        .content(problemContent())
                        .addHeaderObject(
                                "WWW-Authenticate",
                                new io.swagger.v3.oas.models.headers.Header()
                                        .required(true)
                                        .description("The Bearer challenge (RFC 6750), with error=\"invalid_token\" "
                                                + "for a bad key")
                                        .schema(new StringSchema().pattern("^Bearer "))));
        String localRefusal = "in local mode, a request without a key that is not addressed to localhost, or a "
                + "change sent from another site's page (its Origin)";
        responses.addApiResponse(
                "403",
                new ApiResponse()
                        .description("Code `forbidden`: "
                                + (path.startsWith(AdminKeyController.PATH)
                                        ? "the key is valid but not an admin key; or " + localRefusal
                                        : localRefusal))
                        .content(problemContent()));
    }

    /**
     * A non-admin key's requests past its rate answer 429 on every operation but the admin ones (only admins reach
     * those, and admins are not limited). Operations with a 429 of their own say so in it.
     */
    private static void rateLimited(ApiResponses responses) {
        // Described once (components), referred to from every answer: the filter writes them before the operation.
        responses.forEach((status, response) -> {
            response.addHeaderObject(
                    "RateLimit", new io.swagger.v3.oas.models.headers.Header().$ref("#/components/headers/RateLimit"));
            response.addHeaderObject(
                    "RateLimit-Policy",
                    new io.swagger.v3.oas.models.headers.Header().$ref("#/components/headers/RateLimit-Policy"));
        });
        if (responses.containsKey("429")) {
            return;
        }
        responses.addApiResponse(
                "429",
                new ApiResponse()
                        .description("The key sent more requests than its rate allows (code rate-limited; "
                                + "gradlab.quotas.requests-per-second, after a burst of request-burst): nothing was "
                                + "done, retry after Retry-After seconds. Admin keys and local mode are not limited")
                        .content(problemContent())
                        .addHeaderObject("Retry-After", retryAfterHeader())
                        .addHeaderObject("RateLimit", rateLimitHeader(true))
                        .addHeaderObject("RateLimit-Policy", rateLimitPolicyHeader(true)));
    }

    private static io.swagger.v3.oas.models.headers.Header rateLimitHeader(boolean required) {
        return new io.swagger.v3.oas.models.headers.Header()
                .required(required)
                .description("On answers to a rate-limited key (draft-ietf-httpapi-ratelimit-headers): "
                        + "`\"per-key\";r=<left>;t=<s>`, requests left at once and seconds until the bucket is full")
                .schema(new StringSchema());
    }

    private static io.swagger.v3.oas.models.headers.Header rateLimitPolicyHeader(boolean required) {
        return new io.swagger.v3.oas.models.headers.Header()
                .required(required)
                .description("On answers to a rate-limited key: `\"per-key\";q=<burst>;w=<s>`, q requests at once, "
                        + "refilled in w seconds")
                .schema(new StringSchema());
    }

    /** Operations that answer without the database (the presets are built in): no 503 for an outage. */
    private static final Set<String> DATABASE_FREE_PATHS = Set.of("/api/v1/presets");

    /**
     * Every operation that reads or writes the database answers 503 while it cannot be reached, within the
     * connection pool's wait (2 s): the events operation says so in its own 503, the others get this one.
     */
    private static void databaseUnavailable(ApiResponses responses) {
        if (!responses.containsKey("503")) {
            responses.addApiResponse(
                    "503",
                    new ApiResponse()
                            .description("The database cannot be reached or written just now (an outage or a "
                                    + "fail-over; code `database-unavailable`), answered within about 2 s: retry "
                                    + "after Retry-After seconds. Nothing was stored, unless the database failed "
                                    + "while committing: a submission retried with its Idempotency-Key is stored "
                                    + "once either way")
                            .content(problemContent())
                            .addHeaderObject("Retry-After", retryAfterHeader()));
        }
    }

    private static io.swagger.v3.oas.models.headers.Header retryAfterHeader() {
        return new io.swagger.v3.oas.models.headers.Header()
                .required(true)
                .description("Seconds to wait before retrying")
                .schema(new IntegerSchema().minimum(BigDecimal.ONE));
    }

    /** Answers any operation can give, listed after its own so that clients pick application/json to Accept. */
    private static void commonAnswers(ApiResponses responses) {
        // Every error answer is a problem: the controllers name the status and what it means, the body is always
        // application/problem+json (springdoc would otherwise describe it with the operation's return type).
        responses.forEach((status, response) -> {
            boolean error = status.length() == 3 && status.charAt(0) >= '4';
            if (error
                    && (response.getContent() == null || !response.getContent().containsKey(PROBLEM_JSON))) {
                response.setContent(problemContent());
            }
        });
        answer(
                responses,
                "400",
                "The request could not be read: a malformed or unsafe URL, request line, header or "
                        + "percent-encoding, or a URL or headers too long");
        answer(responses, "405", "The path exists, but not with this method (the Allow header lists those that do)");
        answer(
                responses,
                "406",
                "The Accept header allows no type this operation answers with (application/json; "
                        + "application/problem+json for errors)");
        answer(
                responses,
                "413",
                "The request carries a body larger than gradlab.api.max-body-bytes (64 KB by default; an operation "
                        + "without a request body takes none)");
        answer(responses, "500", "An error of the server; it has been logged");
    }

    private static void answer(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(
                    status, new ApiResponse().description(description).content(problemContent()));
        }
    }

    private static Content problemContent() {
        return new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM_REF)));
    }

    /** Calls {@code fix} on a schema and on every schema inside it (properties, items, compositions), once each. */
    private static void eachSchema(Schema<?> schema, Consumer<Schema<?>> fix) {
        eachSchema(schema, fix, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    @SuppressWarnings("rawtypes")
    private static void eachSchema(Schema<?> schema, Consumer<Schema<?>> fix, Set<Schema<?>> seen) {
        if (schema == null || !seen.add(schema)) {
            return;
        }
        fix.accept(schema);
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(p -> eachSchema(p, fix, seen));
        }
        eachSchema(schema.getItems(), fix, seen);
        for (List<Schema> composed : Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
            if (composed != null) {
                composed.forEach(c -> eachSchema(c, fix, seen));
            }
        }
    }

    /**
     * swagger-core writes an annotation's {@code defaultValue} as a string ("0.05"); clients then send strings back.
     * Types it by the schema's own type.
     */
    private static void typeDefault(Schema<?> schema) {
        Object d = schema.getDefault();
        if (d instanceof String text) {
            String type = schema.getType() != null
                    ? schema.getType()
                    : schema.getTypes() == null
                            ? null
                            : schema.getTypes().iterator().next();
            Object typed = switch (type == null ? "" : type) {
                case "number" -> new BigDecimal(text);
                case "integer" -> Long.valueOf(text);
                case "boolean" -> Boolean.valueOf(text);
                default -> text;
            };
            untyped(schema).setDefault(typed);
        }
    }

    /**
     * An exclusive bound ({@code @DecimalMin(value = "0", inclusive = false)}, {@code exclusiveMinimum = true}) the
     * way OpenAPI 3.1 spells it. swagger-core keeps 3.0's boolean, which the 3.1 document leaves out, so
     * {@code learningRate > 0} read as {@code learningRate >= 0}; its 3.1 attribute cannot express a bound of 0.
     */
    private static void exclusiveBounds(Schema<?> schema) {
        if (Boolean.TRUE.equals(schema.getExclusiveMinimum()) && schema.getMinimum() != null) {
            schema.setExclusiveMinimumValue(schema.getMinimum());
            schema.setMinimum(null);
        }
        if (Boolean.TRUE.equals(schema.getExclusiveMaximum()) && schema.getMaximum() != null) {
            schema.setExclusiveMaximumValue(schema.getMaximum());
            schema.setMaximum(null);
        }
        schema.setExclusiveMinimum(null);
        schema.setExclusiveMaximum(null);
    }
}
