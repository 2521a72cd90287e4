package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed OpenAPI document agrees with itself: every {@code default} is a value its own schema allows (a
 * generated client sends it as written, e.g. a number default written as the string "0.05"), and the request
 * examples Swagger UI offers are valid requests by the document's schemas.
 */
class OpenApiDocumentTest {

    @Test
    void defaultsAndExamplesAreValidByTheirOwnSchemas() throws IOException {
        OpenApiContract document =
                OpenApiContract.parse(Files.readString(Path.of(OpenApiSnapshotIntegrationTest.SNAPSHOT)));
        assertThat(document.documentDefects())
                .as(OpenApiSnapshotIntegrationTest.SNAPSHOT)
                .isEmpty();
    }

    @Test
    void aDefaultOfTheWrongTypeIsFound() {
        OpenApiContract document = OpenApiContract.parse("""
                {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
                 "components": {"schemas": {"Spec": {"type": "object", "properties": {
                   "noise": {"type": "number", "default": "0.05"},
                   "depth": {"type": "integer", "default": 20, "maximum": 10},
                   "seed": {"type": "integer", "default": 1}}}}}}""");
        assertThat(document.documentDefects())
                .hasSize(2)
                .anySatisfy(v -> assertThat(v.toString()).contains("Spec/properties/noise", "\"0.05\""))
                .anySatisfy(v -> assertThat(v.toString()).contains("Spec/properties/depth", "20"));
    }
}
