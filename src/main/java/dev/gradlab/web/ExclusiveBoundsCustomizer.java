package dev.gradlab.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Writes an exclusive bound ({@code @DecimalMin(value = "0", inclusive = false)}, {@code exclusiveMinimum = true})
 * the way OpenAPI 3.1 spells it. swagger-core keeps it as 3.0's boolean, which the 3.1 document leaves out, so
 * {@code learningRate > 0} read as {@code learningRate >= 0}; and its 3.1 attribute cannot express a bound of 0.
 */
@Component
class ExclusiveBoundsCustomizer implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getSpecVersion() != SpecVersion.V31
                || openApi.getComponents() == null
                || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Set<Schema<?>> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        openApi.getComponents().getSchemas().values().forEach(s -> rewrite(s, seen));
    }

    private static void rewrite(Schema<?> schema, Set<Schema<?>> seen) {
        if (schema == null || !seen.add(schema)) {
            return;
        }
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
        Map<String, Schema> properties = schema.getProperties();
        if (properties != null) {
            properties.values().forEach(p -> rewrite(p, seen));
        }
        rewriteAll(schema.getAllOf(), seen);
        rewriteAll(schema.getAnyOf(), seen);
        rewriteAll(schema.getOneOf(), seen);
        rewrite(schema.getItems(), seen);
    }

    private static void rewriteAll(Collection<Schema> schemas, Set<Schema<?>> seen) {
        if (schemas != null) {
            schemas.forEach(s -> rewrite(s, seen));
        }
    }
}
