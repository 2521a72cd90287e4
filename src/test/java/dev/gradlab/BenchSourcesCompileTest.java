package dev.gradlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benches in bench/java are compiled only when someone runs one; this keeps a change to the code they drive from
 * breaking them unseen.
 */
class BenchSourcesCompileTest {

    @Test
    void everyBenchCompilesAgainstTheCurrentCode(@TempDir Path out) throws IOException {
        List<String> sources;
        try (Stream<Path> files = Files.walk(Path.of("bench", "java"))) {
            sources = files.filter(f -> f.toString().endsWith(".java"))
                    .map(Path::toString)
                    .toList();
        }
        assertThat(sources).isNotEmpty();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> arguments = new ArrayList<>(List.of(
                "-d",
                out.toString(),
                "-proc:none",
                "-cp",
                System.getProperty("java.class.path"),
                "-encoding",
                "UTF-8"));
        arguments.addAll(sources);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, arguments.toArray(String[]::new));
        assertThat(status)
                .as("javac on bench/java:%n%s", errors.toString(StandardCharsets.UTF_8))
                .isZero();
        assertThat(out.resolve("dev/gradlab/bench/PerformanceSuite.class".replace('/', File.separatorChar)))
                .exists();
    }
}
