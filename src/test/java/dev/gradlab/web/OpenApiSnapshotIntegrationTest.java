package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The committed OpenAPI document ({@value #SNAPSHOT}, from which the build generates the test client and which
 * {@code redocly lint} checks) is the one the server serves. Refresh it with the command the failure prints.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class OpenApiSnapshotIntegrationTest {

    static final String SNAPSHOT = "docs/openapi.json";
    static final String REFRESH = "./mvnw -B test -Dtest=OpenApiSnapshotIntegrationTest -Dgradlab.openapi.update=true";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void committedDocumentIsTheServedOne() throws IOException {
        ApiClient.Reply served = new ApiClient(port).get("/v3/api-docs");
        assertThat(served.status()).isEqualTo(200);
        String live = canonical(served.json());
        Path file = Path.of(SNAPSHOT);
        String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (live.equals(committed)) {
            return;
        }
        if (Boolean.getBoolean("gradlab.openapi.update")) {
            Files.writeString(file, live, StandardCharsets.UTF_8);
            System.out.println("rewrote " + file.toAbsolutePath());
            return;
        }
        throw new AssertionError(SNAPSHOT + " is not the document the server serves (/v3/api-docs). If the change "
                + "is intended, refresh it and commit it:\n  " + REFRESH + "\n" + firstDifferences(committed, live));
    }

    /**
     * The document with every object's keys sorted (springdoc's order follows reflection and may change between
     * runs) and without the server URL springdoc derives from the request (its port changes every run).
     */
    static String canonical(JsonNode document) {
        ObjectNode sorted = (ObjectNode) sortKeys(document);
        JsonNode servers = sorted.path("servers");
        if (servers.isArray()) {
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            servers.forEach(s -> {
                if (!s.path("description").asString("").equals("Generated server url")) {
                    kept.add(s);
                }
            });
            if (kept.isEmpty()) {
                sorted.remove("servers");
            } else {
                sorted.set("servers", kept);
            }
        }
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                        .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        return JSON.writer().with(pretty).writeValueAsString(sorted) + "\n";
    }

    private static JsonNode sortKeys(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> byName = new TreeMap<>();
            node.properties().forEach(e -> byName.put(e.getKey(), sortKeys(e.getValue())));
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            byName.forEach(sorted::set);
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(sortKeys(element)));
            return copy;
        }
        return node;
    }

    private static String firstDifferences(String committed, String live) {
        List<String> a = committed.lines().toList();
        List<String> b = live.lines().toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()) && out.size() < 8; i++) {
            String was = i < a.size() ? a.get(i) : "(end)";
            String is = i < b.size() ? b.get(i) : "(end)";
            if (!was.equals(is)) {
                out.add("line " + (i + 1) + ":\n    committed: " + was.strip() + "\n    served:    " + is.strip());
                if (out.size() == 1 && a.size() != b.size()) {
                    out.add("(" + a.size() + " lines committed, " + b.size() + " served; later lines shift)");
                }
            }
        }
        return String.join("\n", out);
    }
}
