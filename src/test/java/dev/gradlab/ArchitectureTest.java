package dev.gradlab;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The package graph of docs/ARCHITECTURE.md, checked: each feature package may depend only on the packages its
 * arrows point to, so a back-edge (say, metric reaching into job, or web into training) fails the build. The
 * arrows are imports, not data flow (data flows training → metric; the import is metric → training, because the
 * recorder implements training's observer).
 */
class ArchitectureTest {

    /** package → the packages it may use (besides itself, the JDK and libraries). Keep equal to ARCHITECTURE.md. */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry(
                    "web",
                    Set.of(
                            "study",
                            "upload",
                            "job",
                            "curve",
                            "diagnosis",
                            "profile",
                            "spec",
                            "database",
                            "access",
                            "quota")),
            Map.entry("upload", Set.of("job", "dataset", "spec", "access", "quota")),
            Map.entry("study", Set.of("job", "curve", "profile", "spec", "access")),
            Map.entry("profile", Set.of("curve", "spec")),
            Map.entry("diagnosis", Set.of("curve", "spec")),
            Map.entry("job", Set.of("training", "metric", "spec", "database", "access", "quota")),
            Map.entry("curve", Set.of("metric")),
            Map.entry("metric", Set.of("training", "database")),
            Map.entry("training", Set.of("network", "dataset", "spec")),
            Map.entry("network", Set.of("spec")),
            Map.entry("dataset", Set.of("spec")),
            Map.entry("spec", Set.of()),
            Map.entry("database", Set.of()),
            Map.entry("access", Set.of()),
            Map.entry("quota", Set.of("access")),
            Map.entry("host", Set.of()));

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.gradlab");

    @Test
    void packagesDependOnlyAlongTheArrows() {
        Map<String, Set<String>> actual = packageGraph();
        assertThat(actual.keySet())
                .as("every feature package is in the allowed graph")
                .isSubsetOf(ALLOWED.keySet());
        actual.forEach((from, to) ->
                assertThat(to).as(from + " may use only " + ALLOWED.get(from)).isSubsetOf(ALLOWED.get(from)));
    }

    @Test
    void theGraphHasNoCycles() {
        slices().matching("dev.gradlab.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /** The drawing is the code: every allowed arrow is used, so ARCHITECTURE.md shows no edge that does not exist. */
    @Test
    void everyAllowedArrowExists() {
        Map<String, Set<String>> actual = packageGraph();
        ALLOWED.forEach((from, to) ->
                assertThat(actual.getOrDefault(from, Set.of())).as(from).isEqualTo(to));
    }

    @Test
    void onlyNetworkAndTrainingTouchDl4j() {
        ArchRuleDefinition.noClasses()
                .that()
                .resideOutsideOfPackages("dev.gradlab.network..", "dev.gradlab.training..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.deeplearning4j..", "org.nd4j..")
                .check(MAIN);
    }

    @Test
    void theHttpContractLivesInWeb() {
        // Only web (and spec, whose records are the request body: the spec language) describe the API.
        ArchRuleDefinition.noClasses()
                .that()
                .resideOutsideOfPackages("dev.gradlab.web..", "dev.gradlab.spec..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.swagger..", "org.springdoc..")
                .check(MAIN);
        ArchRuleDefinition.noClasses()
                .that()
                .resideOutsideOfPackage("dev.gradlab.web..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.web..", "org.springframework.http..", "jakarta.servlet..")
                .check(MAIN);
    }

    @Test
    void entitiesStayInTheirPackage() {
        ArchRuleDefinition.classes()
                .that()
                .areAnnotatedWith(jakarta.persistence.Entity.class)
                .should()
                .notBePublic()
                .check(MAIN);
    }

    @Test
    void noFieldInjection() {
        ArchRuleDefinition.noFields()
                .should()
                .beAnnotatedWith(org.springframework.beans.factory.annotation.Autowired.class)
                .check(MAIN);
    }

    /** The "x → a, b" lines of docs/ARCHITECTURE.md's diagram are the allowed graph, word for word. */
    @Test
    void architectureDocumentDrawsThisGraph() throws java.io.IOException {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/ARCHITECTURE.md"));
        int imports = doc.indexOf("```", doc.indexOf("**Imports**"));
        doc = doc.substring(imports, doc.indexOf("```", imports + 3)); // the diagram's code block
        Map<String, Set<String>> drawn = new TreeMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b([a-z]+) → ([a-z]+(?:, [a-z]+)*)")
                .matcher(doc);
        while (m.find()) {
            drawn.computeIfAbsent(m.group(1), k -> new TreeSet<>())
                    .addAll(List.of(m.group(2).split(", ")));
        }
        Map<String, Set<String>> allowed = new TreeMap<>();
        ALLOWED.forEach((from, to) -> {
            if (!to.isEmpty()) {
                allowed.put(from, new TreeSet<>(to));
            }
        });
        assertThat(drawn).isEqualTo(allowed);
    }

    private static Map<String, Set<String>> packageGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (JavaClass c : MAIN) {
            String from = feature(c);
            if (from == null) {
                continue;
            }
            c.getDirectDependenciesFromSelf().forEach(d -> {
                String to = feature(d.getTargetClass());
                if (to != null && !to.equals(from)) {
                    graph.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            });
        }
        return graph;
    }

    /** The feature package a class belongs to ("web" for dev.gradlab.web.X), or null outside them. */
    private static String feature(JavaClass c) {
        String p = c.getPackageName();
        if (!p.startsWith("dev.gradlab.")) {
            return null;
        }
        String rest = p.substring("dev.gradlab.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
