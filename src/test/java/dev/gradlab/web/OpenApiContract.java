package dev.gradlab.web;

import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.format.Format;
import com.networknt.schema.keyword.AnnotationKeyword;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAPI 3.1 document used as a checker of real HTTP exchanges: which documented operation a request hit, and
 * whether the response's status, headers, content type and body are what the document promises.
 *
 * <p>Schemas are JSON Schema 2020-12 (OpenAPI 3.1's dialect), checked by networknt's json-schema-validator, with
 * these deliberate strictnesses, because generated clients rely on them:
 * <ul>
 *   <li>{@code format} is asserted (uuid, date-time, uri, ... plus OpenAPI's int32 and int64 ranges);</li>
 *   <li>an object schema that lists {@code properties} and says nothing about others gets
 *       {@code additionalProperties: false} (or {@code unevaluatedProperties: false} when it is composed with
 *       allOf/oneOf/anyOf): a property the server sends but the document does not name is a violation, since
 *       clients generated from the document drop it;</li>
 *   <li>response headers other than HTTP plumbing (Date, Content-Length, ...) must be documented.</li>
 * </ul>
 * The request is checked only when the server accepted it (2xx/3xx): tests send invalid requests on purpose, and
 * their 4xx responses are what is checked then. A request the server accepted but the document forbids is a
 * violation (the document claims a stricter contract than the server's).
 */
final class OpenApiContract {

    /** Where the document lives for the schema validator: a name only, never fetched. */
    private static final String DOCUMENT_IRI = "https://contract.gradlab.invalid/openapi.json";
    /** Operation-level schemas (parameters, bodies, headers), appended to the document so that one IRI names all. */
    private static final String INLINE_SCHEMAS = "x-contract-schemas";

    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    /** Transport and framework headers that no API document lists. */
    private static final Set<String> PLUMBING_HEADERS = Set.of(
            "date",
            "content-type",
            "content-length",
            "transfer-encoding",
            "connection",
            "keep-alive",
            "vary",
            "server",
            "cache-control",
            "pragma",
            "expires",
            "x-content-type-options",
            "x-xss-protection",
            "x-frame-options",
            "referrer-policy",
            "strict-transport-security",
            "content-encoding",
            "accept-ranges",
            "accept",
            "allow"); // Accept on a 415 and Allow on a 405 are HTTP's own (RFC 9110)

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final JsonNode document;
    private final String serverPathPrefix;
    private final List<PathTemplate> paths = new ArrayList<>();
    private final Map<JsonNode, Integer> inlineSchemaIndex = new java.util.IdentityHashMap<>();
    private final SchemaRegistry registry;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    OpenApiContract(JsonNode document) {
        this.document = document;
        if (!document.path("openapi").asString("").startsWith("3.1")) {
            throw new IllegalArgumentException(
                    "an OpenAPI 3.1 document is needed (JSON Schema 2020-12), not " + document.path("openapi"));
        }
        this.serverPathPrefix = serverPathPrefix(document);
        document.path("paths").properties().forEach(e -> paths.add(new PathTemplate(e.getKey(), e.getValue())));
        ObjectNode forValidator = (ObjectNode) document.deepCopy();
        ArrayNode inline = forValidator.putArray(INLINE_SCHEMAS);
        collectOperationSchemas(inline);
        forbidUndocumentedProperties(forValidator);
        this.registry = SchemaRegistry.withDefaultDialect(
                dialect(),
                builder -> builder.schemas(Map.of(DOCUMENT_IRI, forValidator.toString()))
                        .schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .formatAssertionsEnabled(true)
                                .pathType(com.networknt.schema.path.PathType.JSON_POINTER)
                                .build()));
    }

    static OpenApiContract parse(String documentJson) {
        return new OpenApiContract(JSON.readTree(documentJson));
    }

    /** One request and the response it got, as they went over the wire. */
    record Exchange(
            String method,
            URI uri,
            Map<String, List<String>> requestHeaders,
            String requestBody,
            int status,
            Map<String, List<String>> responseHeaders,
            String responseBody) {

        String describe() {
            return method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " → "
                    + status;
        }
    }

    /** A broken promise: where ({@code operation}, e.g. "GET /api/v1/jobs/{id} 200"), what kind, and what. */
    record Violation(String operation, String kind, String message) {
        @Override
        public String toString() {
            return operation + " [" + kind + "] " + message;
        }
    }

    /** Everything in this exchange that the document does not allow; empty when it keeps its word. */
    List<Violation> check(Exchange exchange) {
        List<Violation> violations = new ArrayList<>();
        String rawPath = exchange.uri().getRawPath();
        if (!serverPathPrefix.isEmpty() && rawPath.startsWith(serverPathPrefix)) {
            rawPath = rawPath.substring(serverPathPrefix.length());
        }
        String method = exchange.method().toLowerCase(Locale.ROOT);
        Optional<PathMatch> match = match(rawPath);
        if (match.isEmpty() || !match.get().template().item().has(method)) {
            String where = exchange.method() + " "
                    + match.map(m -> m.template().path()).orElse(rawPath) + " " + exchange.status();
            // An undocumented path must not exist (404), an undocumented method must be refused (405); either way
            // the refusal is a problem document when the API has a problem schema.
            int expected = match.isEmpty() ? 404 : 405;
            if (exchange.status() != expected) {
                violations.add(new Violation(
                        where,
                        "operation",
                        match.isEmpty()
                                ? "no documented path matches, yet the server answered " + exchange.status()
                                : exchange.method() + " is not documented for this path, yet the server answered "
                                        + exchange.status() + " (expected 405)"));
            }
            checkUndocumentedProblem(exchange, where, violations);
            return violations;
        }
        PathMatch m = match.get();
        JsonNode operation = m.template().item().get(method);
        String operationName = exchange.method() + " " + m.template().path();
        if (exchange.status() < 400) {
            checkRequest(exchange, m, operation, operationName, violations);
        }
        checkResponse(exchange, operation, operationName, violations);
        return violations;
    }

    /**
     * What the document says that its own schemas deny: a {@code default} its schema rejects (generated clients
     * send defaults, typed as written), and request examples their schema rejects.
     */
    List<Violation> documentDefects() {
        List<Violation> out = new ArrayList<>();
        document.path("components")
                .path("schemas")
                .properties()
                .forEach(e -> checkDefaults(e.getValue(), "/components/schemas/" + escape(e.getKey()), out));
        for (PathTemplate path : paths) {
            path.item().properties().stream()
                    .filter(op -> METHODS.contains(op.getKey()))
                    .forEach(op -> {
                        String where = op.getKey().toUpperCase(Locale.ROOT) + " " + path.path();
                        for (JsonNode parameter : parameters(path.item(), op.getValue())) {
                            JsonNode schema = parameter.path("schema");
                            if (schema.has("default")) {
                                validate(schema, schema.get("default"))
                                        .forEach(error -> out.add(new Violation(
                                                where,
                                                "default",
                                                "parameter "
                                                        + parameter.path("name").asString() + ": default "
                                                        + schema.get("default") + ": " + describe(error))));
                            }
                        }
                        JsonNode body = resolve(op.getValue().get("requestBody"));
                        if (body != null) {
                            body.path("content").properties().forEach(media -> {
                                JsonNode schema = media.getValue().get("schema");
                                media.getValue().path("examples").properties().forEach(example -> {
                                    JsonNode value = resolve(example.getValue()).get("value");
                                    if (schema != null && value != null) {
                                        validate(schema, value)
                                                .forEach(error -> out.add(new Violation(
                                                        where, "example", example.getKey() + ": " + describe(error))));
                                    }
                                });
                            });
                        }
                    });
        }
        return out;
    }

    private void checkDefaults(JsonNode schema, String pointer, List<Violation> out) {
        if (!schema.isObject()) {
            return;
        }
        if (schema.has("default")) {
            Schema own = compiled.computeIfAbsent(
                    DOCUMENT_IRI + "#" + pointer, l -> registry.getSchema(SchemaLocation.of(l)));
            own.validate(schema.get("default"))
                    .forEach(error -> out.add(new Violation(
                            "#" + pointer, "default", "default " + schema.get("default") + ": " + error.getMessage())));
        }
        schema.path("properties")
                .properties()
                .forEach(p -> checkDefaults(p.getValue(), pointer + "/properties/" + escape(p.getKey()), out));
        for (String each : List.of("allOf", "oneOf", "anyOf", "prefixItems")) {
            for (int i = 0; i < schema.path(each).size(); i++) {
                checkDefaults(schema.path(each).get(i), pointer + "/" + each + "/" + i, out);
            }
        }
        for (String single : List.of("items", "additionalProperties", "not")) {
            if (schema.has(single)) {
                checkDefaults(schema.get(single), pointer + "/" + single, out);
            }
        }
    }

    private static String escape(String jsonPointerToken) {
        return jsonPointerToken.replace("~", "~0").replace("/", "~1");
    }

    // ---- request ----------------------------------------------------------------------------------------------

    private void checkRequest(Exchange e, PathMatch m, JsonNode operation, String name, List<Violation> out) {
        String where = name + " request (answered " + e.status() + ")";
        Map<String, List<String>> query = parseQuery(e.uri().getRawQuery());
        Set<String> documentedQuery = new HashSet<>();
        for (JsonNode parameter : parameters(m.template().item(), operation)) {
            String in = parameter.path("in").asString("");
            String pname = parameter.path("name").asString("");
            List<String> values = switch (in) {
                case "path" ->
                    Optional.ofNullable(m.pathValues().get(pname)).map(List::of).orElse(List.of());
                case "query" -> {
                    documentedQuery.add(pname);
                    yield query.getOrDefault(pname, List.of());
                }
                case "header" -> headerValues(e.requestHeaders(), pname);
                default -> List.of();
            };
            if (values.isEmpty()) {
                if (parameter.path("required").asBoolean(false)) {
                    out.add(new Violation(where, "request", "required " + in + " parameter " + pname + " is missing"));
                }
                continue;
            }
            JsonNode schema = parameter.get("schema");
            if (schema != null) {
                for (Error error : validate(schema, parameterValue(schema, values))) {
                    out.add(new Violation(
                            where, "request", in + " parameter " + pname + "=" + values + ": " + describe(error)));
                }
            }
        }
        query.keySet().stream()
                .filter(q -> !documentedQuery.contains(q))
                .forEach(q -> out.add(new Violation(where, "request", "query parameter " + q + " is not documented")));

        JsonNode requestBody = resolve(operation.get("requestBody"));
        String body = e.requestBody() == null ? "" : e.requestBody();
        if (requestBody == null) {
            if (!body.isEmpty()) {
                out.add(new Violation(where, "request", "a body was sent and accepted, but none is documented"));
            }
            return;
        }
        if (body.isEmpty()) {
            if (requestBody.path("required").asBoolean(false)) {
                out.add(new Violation(
                        where, "request", "the documented body is required, yet an empty one was " + "accepted"));
            }
            return;
        }
        String type = mediaType(headerValues(e.requestHeaders(), "Content-Type"));
        Optional<Map.Entry<String, JsonNode>> media = mediaEntry(requestBody.path("content"), type);
        if (media.isEmpty()) {
            out.add(new Violation(
                    where,
                    "request",
                    "Content-Type " + type + " was accepted but is not documented " + "(documented: "
                            + requestBody.path("content").propertyNames() + ")"));
            return;
        }
        checkBody(body, type, media.get(), where, "request", out);
    }

    // ---- response ---------------------------------------------------------------------------------------------

    private void checkResponse(Exchange e, JsonNode operation, String name, List<Violation> out) {
        JsonNode responses = operation.path("responses");
        String status = String.valueOf(e.status());
        String where = name + " " + status;
        JsonNode response = resolve(Optional.ofNullable(responses.get(status))
                .or(() -> Optional.ofNullable(responses.get(status.charAt(0) + "XX")))
                .orElse(responses.get("default")));
        if (response == null) {
            out.add(new Violation(
                    where,
                    "status",
                    "status " + status + " is not documented (documented: " + responses.propertyNames() + ")"));
            return;
        }
        checkResponseHeaders(e, response, where, out);
        String body = e.responseBody() == null ? "" : e.responseBody();
        JsonNode content = response.path("content");
        String type = mediaType(headerValues(e.responseHeaders(), "Content-Type"));
        if (content.isEmpty()) {
            if (!body.isEmpty()) {
                out.add(new Violation(
                        where,
                        "content-type",
                        "a " + type + " body was sent, but the document says " + "this response has none"));
            }
            return;
        }
        Optional<Map.Entry<String, JsonNode>> media = mediaEntry(content, type);
        if (media.isEmpty()) {
            out.add(new Violation(
                    where,
                    "content-type",
                    "Content-Type " + (type.isEmpty() ? "(none)" : type) + " is not documented (documented: "
                            + content.propertyNames() + ")"));
            return;
        }
        if (body.isEmpty()) {
            out.add(new Violation(
                    where, "body", "empty body, but " + media.get().getKey() + " is documented"));
            return;
        }
        checkBody(body, type, media.get(), where, "body", out);
    }

    private void checkResponseHeaders(Exchange e, JsonNode response, String where, List<Violation> out) {
        Map<String, JsonNode> documented = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.path("headers").properties().forEach(h -> documented.put(h.getKey(), resolve(h.getValue())));
        documented.remove("Content-Type"); // OpenAPI: a Content-Type header definition is ignored
        for (Map.Entry<String, JsonNode> header : documented.entrySet()) {
            List<String> values = headerValues(e.responseHeaders(), header.getKey());
            JsonNode definition = header.getValue();
            if (values.isEmpty()) {
                if (definition.path("required").asBoolean(false)) {
                    out.add(new Violation(where, "header", "required header " + header.getKey() + " is missing"));
                }
                continue;
            }
            JsonNode schema = definition.get("schema");
            if (schema == null) {
                out.add(new Violation(
                        where,
                        "header",
                        header.getKey() + ": documented without a schema, so " + "clients cannot know its type (sent: "
                                + values + ")"));
                continue;
            }
            for (Error error : validate(schema, parameterValue(schema, values))) {
                out.add(new Violation(where, "header", header.getKey() + "=" + values + ": " + describe(error)));
            }
        }
        e.responseHeaders().keySet().stream()
                .filter(h -> !PLUMBING_HEADERS.contains(h.toLowerCase(Locale.ROOT)) && !documented.containsKey(h))
                .sorted()
                .forEach(h -> out.add(new Violation(where, "header", h + " is sent but not documented")));
    }

    /** A response to no documented operation: if it claims to be a problem, it must be the documented kind. */
    private void checkUndocumentedProblem(Exchange e, String where, List<Violation> out) {
        JsonNode problem = document.at("/components/schemas/ProblemDetail");
        String type = mediaType(headerValues(e.responseHeaders(), "Content-Type"));
        if (!problem.isMissingNode() && type.equals("application/problem+json")) {
            checkBody(
                    e.responseBody(),
                    type,
                    Map.entry(
                            type,
                            JsonNodeFactory.instance
                                    .objectNode()
                                    .set(
                                            "schema",
                                            JsonNodeFactory.instance
                                                    .objectNode()
                                                    .put("$ref", "#/components/schemas/ProblemDetail"))),
                    where,
                    "body",
                    out);
        }
    }

    private void checkBody(
            String body,
            String actualType,
            Map.Entry<String, JsonNode> media,
            String where,
            String kind,
            List<Violation> out) {
        if (!isJson(actualType) && !isJson(media.getKey())) {
            return;
        }
        JsonNode value;
        try {
            value = JSON.readTree(body);
        } catch (JacksonException notJson) {
            out.add(new Violation(where, kind, "not JSON: " + notJson.getOriginalMessage()));
            return;
        }
        JsonNode schema = media.getValue().get("schema");
        if (schema == null) {
            return;
        }
        for (Error error : validate(schema, value)) {
            out.add(new Violation(where, kind, describe(error)));
        }
    }

    // ---- schemas ----------------------------------------------------------------------------------------------

    private List<Error> validate(JsonNode schemaNode, JsonNode value) {
        String location;
        if (schemaNode.has("$ref") && schemaNode.size() == 1) {
            location = DOCUMENT_IRI + schemaNode.get("$ref").asString();
        } else {
            Integer index = inlineSchemaIndex.get(schemaNode);
            if (index == null) {
                throw new IllegalStateException("schema not collected at load: " + schemaNode);
            }
            location = DOCUMENT_IRI + "#/" + INLINE_SCHEMAS + "/" + index;
        }
        Schema schema = compiled.computeIfAbsent(location, l -> registry.getSchema(SchemaLocation.of(l)));
        return schema.validate(value);
    }

    private static String describe(Error error) {
        String at = error.getInstanceLocation().toString();
        return (at.isEmpty() ? "(root)" : at) + ": " + error.getMessage() + "  ["
                + error.getSchemaLocation().toString().replace(DOCUMENT_IRI, "") + "]";
    }

    private void collectOperationSchemas(ArrayNode inline) {
        for (PathTemplate path : paths) {
            List<JsonNode> holders = new ArrayList<>();
            path.item().properties().stream()
                    .filter(op -> METHODS.contains(op.getKey()))
                    .forEach(op -> {
                        JsonNode operation = op.getValue();
                        parameters(path.item(), operation).forEach(holders::add);
                        Optional.ofNullable(resolve(operation.get("requestBody")))
                                .ifPresent(b -> b.path("content").values().forEach(holders::add));
                        operation.path("responses").values().stream()
                                .map(this::resolve)
                                .forEach(r -> {
                                    r.path("content").values().forEach(holders::add);
                                    r.path("headers").values().stream()
                                            .map(this::resolve)
                                            .forEach(holders::add);
                                });
                    });
            for (JsonNode holder : holders) {
                JsonNode schema = holder.get("schema");
                if (schema != null && !inlineSchemaIndex.containsKey(schema)) {
                    inlineSchemaIndex.put(schema, inline.size());
                    inline.add(schema.deepCopy());
                }
            }
        }
    }

    private static Dialect dialect() {
        // Unknown keywords (x- extensions, OpenAPI's own) are annotations: they must not log a warning per schema.
        return Dialect.builder(Dialects.getOpenApi31())
                .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword))
                .format(new IntegerRangeFormat("int32", Integer.MIN_VALUE, Integer.MAX_VALUE))
                .format(new IntegerRangeFormat("int64", Long.MIN_VALUE, Long.MAX_VALUE))
                .build();
    }

    /** OpenAPI's int32/int64 formats: a whole number within the type's range. */
    private record IntegerRangeFormat(String name, long min, long max) implements Format {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean matches(ExecutionContext context, SchemaContext schemaContext, JsonNode value) {
            if (!value.isNumber()) {
                return true; // format applies to numbers only; type is checked elsewhere
            }
            if (!value.isIntegralNumber()) {
                return value.decimalValue().stripTrailingZeros().scale() <= 0
                        && inRange(value.decimalValue().toBigInteger());
            }
            return inRange(value.bigIntegerValue());
        }

        private boolean inRange(java.math.BigInteger v) {
            return v.compareTo(java.math.BigInteger.valueOf(min)) >= 0
                    && v.compareTo(java.math.BigInteger.valueOf(max)) <= 0;
        }
    }

    /**
     * Adds additionalProperties: false (unevaluatedProperties: false for composed schemas) to every object schema
     * that lists properties, or is an allOf, and does not say whether others are allowed. Members of an allOf
     * (and a component an allOf names, wherever else it is used) stay open: closing them would reject the
     * properties their siblings add.
     */
    private static void forbidUndocumentedProperties(ObjectNode doc) {
        Set<JsonNode> allOfMembers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Set<String> allOfRefs = new HashSet<>();
        List<JsonNode> roots = new ArrayList<>();
        doc.path("components").path("schemas").values().forEach(roots::add);
        doc.path(INLINE_SCHEMAS).values().forEach(roots::add);
        Set<JsonNode> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (JsonNode root : roots) {
            walkSchemas(
                    root,
                    seen,
                    s -> s.path("allOf").values().forEach(member -> {
                        allOfMembers.add(member);
                        if (member.has("$ref")) {
                            allOfRefs.add(member.get("$ref").asString());
                        }
                    }));
        }
        Set<JsonNode> allOfTargets = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        allOfRefs.forEach(ref -> allOfTargets.add(doc.at(ref.substring(1))));
        seen.clear();
        for (JsonNode root : roots) {
            walkSchemas(root, seen, s -> {
                if (!(s instanceof ObjectNode object)
                        || !(s.has("properties") || s.has("allOf"))
                        || allOfMembers.contains(s)
                        || allOfTargets.contains(s)
                        || s.has("additionalProperties")
                        || s.has("unevaluatedProperties")
                        || s.has("patternProperties")) {
                    return;
                }
                boolean composed = s.has("allOf") || s.has("oneOf") || s.has("anyOf");
                object.put(composed ? "unevaluatedProperties" : "additionalProperties", false);
            });
        }
    }

    private static void walkSchemas(JsonNode schema, Set<JsonNode> seen, java.util.function.Consumer<JsonNode> visit) {
        if (schema == null || !schema.isObject() || !seen.add(schema)) {
            return;
        }
        visit.accept(schema);
        schema.path("properties").values().forEach(s -> walkSchemas(s, seen, visit));
        schema.path("patternProperties").values().forEach(s -> walkSchemas(s, seen, visit));
        schema.path("$defs").values().forEach(s -> walkSchemas(s, seen, visit));
        for (String each : List.of("allOf", "oneOf", "anyOf", "prefixItems")) {
            schema.path(each).values().forEach(s -> walkSchemas(s, seen, visit));
        }
        for (String single : List.of("items", "additionalProperties", "not", "contains", "if", "then", "else")) {
            walkSchemas(schema.get(single), seen, visit);
        }
    }

    /** A header or parameter's text as the JSON value its schema describes (simple/form style, as HTTP sends it). */
    private static JsonNode parameterValue(JsonNode schema, List<String> values) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String type = primaryType(schema);
        if (type.equals("array")) {
            ArrayNode array = f.arrayNode();
            JsonNode items = schema.path("items");
            values.stream()
                    .flatMap(v -> java.util.Arrays.stream(v.split(",", -1)))
                    .forEach(v -> array.add(scalar(primaryType(items), v)));
            return array;
        }
        return scalar(type, values.get(0));
    }

    private static JsonNode scalar(String type, String text) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        try {
            return switch (type) {
                case "integer", "number" -> JSON.readTree(text).isNumber() ? JSON.readTree(text) : f.stringNode(text);
                case "boolean" ->
                    text.equals("true") || text.equals("false")
                            ? f.booleanNode(Boolean.parseBoolean(text))
                            : f.stringNode(text);
                default -> f.stringNode(text);
            };
        } catch (JacksonException notANumber) {
            return f.stringNode(text);
        }
    }

    private static String primaryType(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!t.asString().equals("null")) {
                    return t.asString();
                }
            }
        }
        return type.asString("string");
    }

    // ---- document navigation ----------------------------------------------------------------------------------

    private List<JsonNode> parameters(JsonNode pathItem, JsonNode operation) {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (JsonNode source : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
            for (JsonNode p : source) {
                JsonNode resolved = resolve(p);
                byKey.put(
                        resolved.path("in").asString() + ":"
                                + resolved.path("name").asString(),
                        resolved);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int depth = 0; current != null && current.has("$ref") && depth < 10; depth++) {
            current = document.at(current.get("$ref").asString().substring(1));
            if (current.isMissingNode()) {
                throw new IllegalStateException("unresolvable $ref " + node.get("$ref"));
            }
        }
        return current;
    }

    private Optional<PathMatch> match(String rawPath) {
        String[] segments = rawPath.split("/", -1);
        PathMatch best = null;
        for (PathTemplate template : paths) {
            Map<String, String> values = template.match(segments);
            if (values != null
                    && (best == null || template.literals() > best.template().literals())) {
                best = new PathMatch(template, values);
            }
        }
        return Optional.ofNullable(best);
    }

    private record PathMatch(PathTemplate template, Map<String, String> pathValues) {}

    private record PathTemplate(String path, JsonNode item, String[] segments, int literals) {
        PathTemplate(String path, JsonNode item) {
            this(path, item, path.split("/", -1), (int) java.util.Arrays.stream(path.split("/", -1))
                    .filter(s -> !s.startsWith("{"))
                    .count());
        }

        Map<String, String> match(String[] actual) {
            if (actual.length != segments.length) {
                return null;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                if (s.startsWith("{") && s.endsWith("}")) {
                    if (actual[i].isEmpty()) {
                        return null;
                    }
                    values.put(s.substring(1, s.length() - 1), decode(actual[i]));
                } else if (!s.equals(actual[i])) {
                    return null;
                }
            }
            return values;
        }
    }

    private static String serverPathPrefix(JsonNode document) {
        JsonNode servers = document.path("servers");
        if (servers.isEmpty()) {
            return "";
        }
        String path = URI.create(servers.get(0).path("url").asString("/")).getPath();
        return path == null || path.equals("/") ? "" : path.replaceAll("/$", "");
    }

    private static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return query;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    private static List<String> headerValues(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase(name))
                .flatMap(h -> h.getValue().stream())
                .collect(Collectors.toList());
    }

    private static String mediaType(List<String> contentType) {
        return contentType.isEmpty()
                ? ""
                : contentType.get(0).split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    private static Optional<Map.Entry<String, JsonNode>> mediaEntry(JsonNode content, String type) {
        if (type.isEmpty()) {
            return Optional.empty();
        }
        String range = type.substring(0, type.indexOf('/') + 1) + "*";
        for (String candidate : List.of(type, range, "*/*")) {
            for (Map.Entry<String, JsonNode> entry : content.properties()) {
                if (entry.getKey().split(";")[0].trim().equalsIgnoreCase(candidate)) {
                    return Optional.of(entry);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isJson(String mediaType) {
        String t = mediaType.toLowerCase(Locale.ROOT);
        return t.equals("application/json") || t.endsWith("+json");
    }
}
