package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract checker itself, on a small OpenAPI 3.1 document: it must see each kind of broken promise. */
class OpenApiContractTest {

    private static final String DOCUMENT = """
            {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
             "servers": [{"url": "http://localhost:8080"}],
             "paths": {
               "/api/v1/things": {
                 "post": {
                   "parameters": [{"name": "Idempotency-Key", "in": "header", "schema": {"type": "string",
                                   "maxLength": 5}}],
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {
                       "type": "object", "properties": {"size": {"type": "integer", "minimum": 1}}}}}},
                   "responses": {
                     "202": {"description": "queued",
                             "headers": {"Location": {"required": true, "schema": {"type": "string", "format": "uri"}},
                                         "Retry-After": {"schema": {"type": "integer", "minimum": 1}}},
                             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                     "400": {"$ref": "#/components/responses/Problem"}}},
                 "get": {
                   "parameters": [{"name": "size", "in": "query", "schema": {"type": "integer", "maximum": 100}}],
                   "responses": {"200": {"description": "page", "content": {"application/json": {"schema": {
                       "type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}}}}},
               "/api/v1/things/{id}": {
                 "get": {
                   "parameters": [{"name": "id", "in": "path", "required": true,
                                   "schema": {"type": "string", "format": "uuid"}}],
                   "responses": {"200": {"description": "one", "content": {"application/json": {"schema": {
                                    "$ref": "#/components/schemas/Thing"}}}},
                                 "404": {"$ref": "#/components/responses/Problem"}}}},
               "/api/v1/things/{id}/extended": {
                 "get": {"responses": {"200": {"description": "composed", "content": {"application/json": {"schema": {
                     "$ref": "#/components/schemas/ExtendedThing"}}}}}}}},
             "components": {
               "responses": {"Problem": {"description": "problem", "content": {"application/problem+json": {
                   "schema": {"$ref": "#/components/schemas/ProblemDetail"}}}}},
               "schemas": {
                 "Thing": {"type": "object", "required": ["id"], "properties": {
                   "id": {"type": "string", "format": "uuid"},
                   "count": {"type": "integer", "format": "int32"},
                   "note": {"type": ["string", "null"]},
                   "loss": {"oneOf": [{"type": "number"}, {"type": "string", "enum": ["NaN", "Infinity"]}]},
                   "createdAt": {"type": "string", "format": "date-time"}}},
                 "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
                 "ExtendedThing": {"allOf": [{"$ref": "#/components/schemas/Base"},
                                             {"type": "object", "properties": {"extra": {"type": "boolean"}}}]},
                 "ProblemDetail": {"type": "object", "properties": {"status": {"type": "integer"},
                                                                     "code": {"type": "string"}}}}}}""";

    private static final String ID = "8d3e4c36-7f52-4b36-9a3c-6b9c7a0e2f11";
    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));
    private static final Map<String, List<String>> PROBLEM =
            Map.of("Content-Type", List.of("application/problem+json"));

    private final OpenApiContract contract = OpenApiContract.parse(DOCUMENT);

    private List<String> check(
            String method,
            String pathAndQuery,
            Map<String, List<String>> requestHeaders,
            String requestBody,
            int status,
            Map<String, List<String>> responseHeaders,
            String responseBody) {
        return contract
                .check(new OpenApiContract.Exchange(
                        method,
                        URI.create("http://localhost:8080" + pathAndQuery),
                        requestHeaders,
                        requestBody,
                        status,
                        responseHeaders,
                        responseBody))
                .stream()
                .map(Object::toString)
                .toList();
    }

    private List<String> get(String path, int status, Map<String, List<String>> headers, String body) {
        return check("GET", path, Map.of(), "", status, headers, body);
    }

    @Test
    void aResponseThatKeepsTheDocumentsWordPasses() {
        assertThat(get("/api/v1/things/" + ID, 200, JSON, """
                {"id": "%s", "count": 3, "note": null, "loss": "NaN", "createdAt": "2026-01-02T03:04:05.678Z"}""".formatted(ID))).isEmpty();
        assertThat(get(
                        "/api/v1/things?size=3",
                        200,
                        Map.of("Content-Type", List.of("application/json;charset=UTF-8"), "Date", List.of("today")),
                        "[]"))
                .isEmpty();
        assertThat(get("/api/v1/things/" + ID + "/extended", 200, JSON, "{\"id\": \"" + ID + "\", \"extra\": true}"))
                .isEmpty();
    }

    @Test
    void bodiesAreCheckedAgainstTheirSchemas() {
        assertThat(get("/api/v1/things/" + ID, 200, JSON, "{\"id\": \"" + ID + "\", \"count\": \"three\"}"))
                .singleElement()
                .asString()
                .contains("GET /api/v1/things/{id} 200 [body]", "/count", "integer");
        assertThat(get("/api/v1/things/" + ID, 200, JSON, "{\"id\": \"" + ID + "\", \"loss\": null}"))
                .as("null where the schema does not allow it")
                .isNotEmpty();
        assertThat(get("/api/v1/things/" + ID, 200, JSON, "{\"count\": 1}"))
                .singleElement()
                .asString()
                .contains("required", "id");
        assertThat(get("/api/v1/things/" + ID, 200, JSON, "{\"id\": \"not-a-uuid\"}"))
                .singleElement()
                .asString()
                .contains("/id", "uuid");
        assertThat(get("/api/v1/things/" + ID, 200, JSON, "{\"id\": \"" + ID + "\", \"count\": 3000000000}"))
                .as("int32 range")
                .singleElement()
                .asString()
                .contains("/count");
        assertThat(get("/api/v1/things/" + ID, 200, JSON, "{\"id\": \"" + ID + "\", \"createdAt\": \"yesterday\"}"))
                .singleElement()
                .asString()
                .contains("/createdAt");
        assertThat(get("/api/v1/things/" + ID, 200, JSON, "{\"id\": \"" + ID + "\", \"id\": \"x\"}"))
                .singleElement()
                .asString()
                .contains("not JSON");
    }

    @Test
    void propertiesTheDocumentDoesNotNameAreViolations() {
        assertThat(get("/api/v1/things/" + ID, 200, JSON, "{\"id\": \"" + ID + "\", \"secret\": 1}"))
                .singleElement()
                .asString()
                .contains("secret");
        // allOf: the closed sibling must not reject what the other member adds, but the whole rejects the unknown.
        assertThat(get(
                        "/api/v1/things/" + ID + "/extended",
                        200,
                        JSON,
                        "{\"id\": \"" + ID + "\", \"extra\": true, \"secret\": 1}"))
                .singleElement()
                .asString()
                .contains("secret");
    }

    @Test
    void statusesAndContentTypesMustBeDocumented() {
        assertThat(get("/api/v1/things/" + ID, 406, PROBLEM, "{\"status\": 406}"))
                .singleElement()
                .asString()
                .contains("[status]", "406 is not documented", "200", "404");
        assertThat(get("/api/v1/things/" + ID, 200, Map.of("Content-Type", List.of("text/plain")), "hello"))
                .singleElement()
                .asString()
                .contains("[content-type]", "text/plain");
        assertThat(get("/api/v1/things/" + ID, 404, JSON, "{\"status\": 404}"))
                .singleElement()
                .asString()
                .contains("application/json", "application/problem+json");
        assertThat(get("/api/v1/things/" + ID, 404, PROBLEM, "{\"status\": 404, \"code\": \"no-thing\"}"))
                .isEmpty();
        assertThat(get("/api/v1/things/" + ID, 200, JSON, ""))
                .singleElement()
                .asString()
                .contains("empty body");
    }

    @Test
    void responseHeadersAreCheckedWithTheirSchemas() {
        String body = "{\"id\": \"" + ID + "\"}";
        assertThat(check(
                        "POST",
                        "/api/v1/things",
                        JSON,
                        "{\"size\": 2}",
                        202,
                        Map.of(
                                "Content-Type",
                                List.of("application/json"),
                                "Location",
                                List.of("http://h/api/v1/things/1")),
                        body))
                .isEmpty();
        assertThat(check("POST", "/api/v1/things", JSON, "{\"size\": 2}", 202, JSON, body))
                .singleElement()
                .asString()
                .contains("required header Location is missing");
        assertThat(check(
                        "POST",
                        "/api/v1/things",
                        JSON,
                        "{\"size\": 2}",
                        202,
                        Map.of(
                                "Content-Type",
                                List.of("application/json"),
                                "Location",
                                List.of("http://h/x"),
                                "Retry-After",
                                List.of("soon"),
                                "Idempotent-Replayed",
                                List.of("true")),
                        body))
                .hasSize(2)
                .anySatisfy(v -> assertThat(v).contains("Retry-After", "integer"))
                .anySatisfy(v -> assertThat(v).contains("Idempotent-Replayed is sent but not documented"));
    }

    @Test
    void acceptedRequestsMustBeValidButRefusedOnesAreOnlyJudgedByTheirResponse() {
        Map<String, List<String>> location =
                Map.of("Content-Type", List.of("application/json"), "Location", List.of("http://h/x"));
        String body = "{\"id\": \"" + ID + "\"}";
        assertThat(check("POST", "/api/v1/things", JSON, "{\"size\": 0}", 202, location, body))
                .singleElement()
                .asString()
                .contains("request", "/size", "minimum");
        assertThat(check(
                        "POST",
                        "/api/v1/things",
                        Map.of("Content-Type", List.of("text/plain"), "Idempotency-Key", List.of("much-too-long")),
                        "{}",
                        202,
                        location,
                        body))
                .anySatisfy(v -> assertThat(v).contains("text/plain was accepted"))
                .anySatisfy(v -> assertThat(v).contains("Idempotency-Key"));
        assertThat(get("/api/v1/things?size=500&sort=name", 200, JSON, "[]"))
                .hasSize(2)
                .anySatisfy(v -> assertThat(v).contains("size", "maximum"))
                .anySatisfy(v -> assertThat(v).contains("sort is not documented"));
        // The same bad requests refused with a documented problem: nothing to report.
        assertThat(check("POST", "/api/v1/things", JSON, "{\"size\": 0}", 400, PROBLEM, "{\"status\": 400}"))
                .isEmpty();
        assertThat(check("POST", "/api/v1/things", JSON, "{not json", 400, PROBLEM, "{\"status\": 400}"))
                .isEmpty();
    }

    @Test
    void undocumentedPathsMustBe404AndUndocumentedMethods405() {
        assertThat(get("/api/v1/nothing", 404, PROBLEM, "{\"status\": 404}")).isEmpty();
        assertThat(get("/api/v1/nothing", 200, JSON, "{}"))
                .singleElement()
                .asString()
                .contains("no documented path matches");
        assertThat(check("DELETE", "/api/v1/things", Map.of(), "", 405, PROBLEM, "{\"status\": 405}"))
                .isEmpty();
        assertThat(check("DELETE", "/api/v1/things", Map.of(), "", 204, Map.of(), ""))
                .singleElement()
                .asString()
                .contains("DELETE is not documented");
        assertThat(get("/api/v1/nothing", 404, PROBLEM, "{\"status\": \"404\"}"))
                .as("still a problem document")
                .singleElement()
                .asString()
                .contains("/status");
    }

    @Test
    void onlyOpenApi31DocumentsAreAccepted() {
        assertThatThrownBy(() -> OpenApiContract.parse(DOCUMENT.replace("3.1.0", "3.0.3")))
                .hasMessageContaining("3.1");
    }
}
