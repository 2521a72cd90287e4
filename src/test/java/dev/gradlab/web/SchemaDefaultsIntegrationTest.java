package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.spec.DatasetSpec;
import dev.gradlab.spec.GradientClipping;
import dev.gradlab.spec.MetricsSpec;
import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.TrainingSpec;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI schema is honest for a generated client. Client generators (openapi-generator) pre-fill every
 * schema {@code default} and send it back, so a body holding every default must be accepted for each model type;
 * and the schema's limits must be the ones the server enforces.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class SchemaDefaultsIntegrationTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The spec records, by their schema names. */
    private static final Map<String, Class<? extends Record>> SPEC_SCHEMAS = Map.of(
            "ModelSpec", ModelSpec.class,
            "DatasetSpec", DatasetSpec.class,
            "TrainingSpec", TrainingSpec.class,
            "GradientClipping", GradientClipping.class,
            "MetricsSpec", MetricsSpec.class);

    @LocalServerPort
    int port;

    @Test
    void aBodyOfEverySchemaDefaultIsAcceptedForMlpAndForRnn() {
        ApiClient api = new ApiClient(port);
        JsonNode schemas = api.get("/v3/api-docs").json().get("components").get("schemas");
        ObjectNode mlp = defaultsOf(schemas.get("JobRequest"), schemas);
        // The defaults were found (a schema without any would make this test pass vacuously).
        assertThat(mlp.get("model").get("width").asInt()).isEqualTo(64);
        assertThat(mlp.get("training").get("batchSize").asInt()).isEqualTo(128);
        assertThat(mlp.get("dataset").get("testFraction").isNumber()).isTrue();

        ObjectNode rnn = defaultsOf(schemas.get("JobRequest"), schemas);
        ((ObjectNode) rnn.get("model")).put("type", "rnn");
        ((ObjectNode) rnn.get("dataset")).put("name", "adding");

        for (ObjectNode body : List.of(mlp, rnn)) {
            ApiClient.Reply r = api.post("/api/v1/jobs", body.toString());
            assertThat(r.status()).as(body + " → " + r.body()).isEqualTo(202);
            api.post("/api/v1/jobs/" + r.json().get("id").asString() + "/cancel", null, null, null);
        }
    }

    @Test
    void schemaLimitsAreTheValidatedOnes() {
        JsonNode schemas =
                new ApiClient(port).get("/v3/api-docs").json().get("components").get("schemas");
        List<String> mismatches = new ArrayList<>();
        SPEC_SCHEMAS.forEach((name, type) -> {
            JsonNode properties = schemas.get(name).get("properties");
            for (RecordComponent component : type.getRecordComponents()) {
                String where = name + "." + component.getName();
                JsonNode property = properties.get(component.getName());
                assertThat(property).as(where).isNotNull();
                Bound min = minimumOf(field(type, component));
                Bound max = maximumOf(field(type, component));
                compare(where + " minimum", min, property, "minimum", "exclusiveMinimum", mismatches);
                compare(where + " maximum", max, property, "maximum", "exclusiveMaximum", mismatches);
            }
        });
        assertThat(mismatches).isEmpty();
    }

    /** An object with every property that has a schema default, set to it; nested specs followed through $ref. */
    private static ObjectNode defaultsOf(JsonNode schema, JsonNode schemas) {
        ObjectNode out = NODES.objectNode();
        JsonNode properties = resolve(schema, schemas).get("properties");
        if (properties == null) {
            return out;
        }
        for (Map.Entry<String, JsonNode> p : properties.properties()) {
            JsonNode property = resolve(p.getValue(), schemas);
            if (property.has("properties")) {
                ObjectNode nested = defaultsOf(property, schemas);
                if (!nested.isEmpty()) {
                    out.set(p.getKey(), nested);
                }
            } else if (property.has("default")) {
                out.set(p.getKey(), typed(property.get("default"), type(property), p.getKey()));
            }
        }
        return out;
    }

    /** Follows a $ref (also one wrapped in allOf, as some generators of the document write it). */
    private static JsonNode resolve(JsonNode schema, JsonNode schemas) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            return resolve(schemas.get(ref.substring(ref.lastIndexOf('/') + 1)), schemas);
        }
        if (schema.has("allOf") && schema.get("allOf").size() == 1 && !schema.has("properties")) {
            return resolve(schema.get("allOf").get(0), schemas);
        }
        return schema;
    }

    /** The property's JSON type; OpenAPI 3.1 may give a list such as ["number", "null"]. */
    private static String type(JsonNode property) {
        JsonNode type = property.get("type");
        if (type == null) {
            return "string";
        }
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!t.asString().equals("null")) {
                    return t.asString();
                }
            }
        }
        return type.asString();
    }

    /** The default as the JSON type a client would send; the document may print a number as a string. */
    private static JsonNode typed(JsonNode value, String type, String name) {
        String text = value.isString() ? value.asString() : value.toString();
        return switch (type) {
            case "integer" -> NODES.numberNode(Long.parseLong(text));
            case "number" -> NODES.numberNode(Double.parseDouble(text));
            case "boolean" -> {
                assertThat(text).as(name + " default").isIn("true", "false");
                yield NODES.booleanNode(Boolean.parseBoolean(text));
            }
            default -> NODES.stringNode(text);
        };
    }

    private record Bound(BigDecimal value, boolean inclusive) {}

    private static Field field(Class<?> type, RecordComponent component) {
        try {
            return type.getDeclaredField(component.getName());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Bound minimumOf(Field f) {
        Min min = f.getAnnotation(Min.class);
        DecimalMin decimal = f.getAnnotation(DecimalMin.class);
        return min != null
                ? new Bound(BigDecimal.valueOf(min.value()), true)
                : decimal != null ? new Bound(new BigDecimal(decimal.value()), decimal.inclusive()) : null;
    }

    private static Bound maximumOf(Field f) {
        Max max = f.getAnnotation(Max.class);
        DecimalMax decimal = f.getAnnotation(DecimalMax.class);
        return max != null
                ? new Bound(BigDecimal.valueOf(max.value()), true)
                : decimal != null ? new Bound(new BigDecimal(decimal.value()), decimal.inclusive()) : null;
    }

    /**
     * The schema's bound as a Bound: OpenAPI 3.0 writes {@code minimum} with a boolean {@code exclusiveMinimum},
     * 3.1 writes {@code exclusiveMinimum} as the number itself.
     */
    private static void compare(
            String where,
            Bound validated,
            JsonNode property,
            String inclusiveKey,
            String exclusiveKey,
            List<String> mismatches) {
        JsonNode exclusive = property.get(exclusiveKey);
        Bound documented = null;
        if (exclusive != null && !exclusive.isBoolean()) {
            documented = new Bound(decimal(exclusive), false);
        } else if (property.has(inclusiveKey)) {
            documented = new Bound(decimal(property.get(inclusiveKey)), exclusive == null || !exclusive.asBoolean());
        }
        boolean same = validated == null
                ? documented == null
                : documented != null
                        && validated.value().compareTo(documented.value()) == 0
                        && validated.inclusive() == documented.inclusive();
        if (!same) {
            mismatches.add(where + ": validated " + validated + ", documented " + documented);
        }
    }

    private static BigDecimal decimal(JsonNode number) {
        return new BigDecimal(number.isString() ? number.asString() : number.toString());
    }
}
