package dev.gradlab.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Every way this repository starts the service or trains runs the JIT at full speed: no C1-only
 * ({@code -XX:TieredStopAtLevel=1..3}, what Spring Boot's optimised launch adds to {@code spring-boot:run}) and no
 * interpreter-only ({@code -Xint}) JVM. With C1 only, jobs trained through {@code ./mvnw spring-boot:run} took
 * 1.29× as long as through {@code java -jar} (issue #15). Comments may name the flags; commands may not.
 */
class LaunchFlagsTest {

    /** JVM flags that keep C2 from compiling the training loop. */
    static final Pattern SLOW_JIT = Pattern.compile("-XX:TieredStopAtLevel=[0-3]\\b|-Xint\\b");

    @Test
    void springBootRunHasNoOptimisedLaunch() throws Exception {
        Element plugin = plugin("spring-boot-maven-plugin");
        // Plugin-level configuration: applies to spring-boot:run and spring-boot:test-run alike.
        assertThat(child(plugin, "configuration", "optimizedLaunch"))
                .as("spring-boot-maven-plugin <optimizedLaunch> (its default, true, adds -XX:TieredStopAtLevel=1)")
                .isEqualTo("false");
        assertThat(child(plugin, "configuration", "jvmArguments")).doesNotContainPattern(SLOW_JIT);
    }

    /** The README's two ways to start the service run the same JVM flags (collector and heap). */
    @Test
    void springBootRunHasTheFlagsOfTheReadmesJavaJarLine() throws Exception {
        Matcher javaJar = Pattern.compile("(?m)^OMP_NUM_THREADS=1 java (.*?) -jar target/gradlab-")
                .matcher(codeBlocks(Files.readString(Path.of("README.md"))));
        assertThat(javaJar.find()).as("the README's java -jar line").isTrue();
        assertThat(child(plugin("spring-boot-maven-plugin"), "configuration", "jvmArguments"))
                .isEqualTo(javaJar.group(1))
                .contains("-Xmx");
    }

    @Test
    void testJvmsRunAtFullSpeed() throws Exception {
        assertThat(child(plugin("maven-surefire-plugin"), "configuration", "argLine"))
                .doesNotContainPattern(SLOW_JIT);
        // No plugin anywhere in the pom passes such a flag (the element text, without the comments).
        assertThat(pom().getDocumentElement().getTextContent()).doesNotContainPattern(SLOW_JIT);
    }

    @Test
    void containerBenchesAndCiStartJavaAtFullSpeed() throws IOException {
        for (String file : List.of(
                "Dockerfile",
                "src/main/docker/entrypoint.sh",
                "docker-compose.yml",
                "deploy/k8s/base/deployment.yaml",
                "bench/run",
                "bench/perf-suite",
                "bench/api-latency.sh",
                "bench/launch-compare.sh",
                "bench/jvm-pair.sh",
                "bench/job-windows.sh",
                ".ci/run",
                ".mvn/jvm.config")) {
            assertThat(withoutComments(Files.readString(Path.of(file))))
                    .as(file)
                    .doesNotContainPattern(SLOW_JIT);
        }
    }

    @Test
    void theReadmesCommandsStartJavaAtFullSpeed() throws IOException {
        String readme = codeBlocks(Files.readString(Path.of("README.md")));
        assertThat(readme).contains("./mvnw spring-boot:run").contains(" java ").doesNotContainPattern(SLOW_JIT);
        assertThat(codeBlocks(Files.readString(Path.of("docs/PERFORMANCE.md")))).doesNotContainPattern(SLOW_JIT);
    }

    /** The checks above can fail: each finds the flag where it is. */
    @Test
    void theChecksSeeTheFlag() {
        assertThat("OMP_NUM_THREADS=1 java -XX:TieredStopAtLevel=1 -jar x.jar").containsPattern(SLOW_JIT);
        assertThat("java -Xint -jar x.jar").containsPattern(SLOW_JIT);
        assertThat("java -XX:TieredStopAtLevel=4 -Xmx1g -jar x.jar").doesNotContainPattern(SLOW_JIT);
        assertThat(withoutComments("# -XX:TieredStopAtLevel=1 is slow\nexec java -XX:TieredStopAtLevel=1 -jar a"))
                .containsPattern(SLOW_JIT);
        assertThat(codeBlocks("text -Xint\n```bash\njava -Xint -jar a\n```\n")).containsPattern(SLOW_JIT);
    }

    private static org.w3c.dom.Document pom() throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile());
    }

    private static Element plugin(String artifactId) throws Exception {
        NodeList plugins = pom().getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (artifactId.equals(child(plugin, "artifactId"))) {
                return plugin;
            }
        }
        throw new AssertionError("no " + artifactId + " in pom.xml");
    }

    /** @return the text of the element at this path of direct children, or "" if there is none */
    private static String child(Element element, String... path) {
        Element current = element;
        for (String name : path) {
            Element next = null;
            for (Node n = current.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    next = e;
                    break;
                }
            }
            if (next == null) {
                return "";
            }
            current = next;
        }
        return current.getTextContent().trim();
    }

    private static String withoutComments(String script) {
        return script.lines().filter(l -> !l.strip().startsWith("#")).collect(Collectors.joining("\n"));
    }

    private static String codeBlocks(String markdown) {
        Matcher m = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        StringBuilder blocks = new StringBuilder();
        while (m.find()) {
            blocks.append(m.group(1));
        }
        return blocks.toString();
    }
}
