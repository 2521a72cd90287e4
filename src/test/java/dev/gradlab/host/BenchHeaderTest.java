package dev.gradlab.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every benchmark names its host first (issue #15): a figure without its CPU and OpenBLAS kernels cannot be
 * compared with one from another machine. The benches are not compiled by Maven (bench/run compiles them), so this
 * reads their sources: each program's main prints {@link HostDescription#line()} before anything else, and the
 * shell benches that start a server print the line the server logged.
 */
class BenchHeaderTest {

    private static final Pattern MAIN = Pattern.compile("public static void main\\(String\\[] args\\)[^{]*\\{\\s*");
    private static final String HEADER = "System.out.println(HostDescription.current().line());";

    @Test
    void everyBenchProgramPrintsTheHostFirst() throws IOException {
        List<Path> programs;
        try (Stream<Path> files = Files.walk(Path.of("bench", "java"))) {
            programs = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> MAIN.matcher(read(p)).find())
                    .toList();
        }
        assertThat(programs).hasSizeGreaterThanOrEqualTo(16);
        for (Path program : programs) {
            String source = read(program);
            var main = MAIN.matcher(source);
            assertThat(main.find()).isTrue();
            assertThat(source.substring(main.end()))
                    .as("%s: the first statement of main", program)
                    .startsWith(HEADER);
        }
    }

    @Test
    void shellBenchesPrintTheServersHostLine() throws IOException {
        for (String script : List.of(
                "bench/api-latency.sh",
                "bench/launch-compare.sh",
                "bench/jvm-pair.sh",
                "bench/auth-latency.sh",
                "bench/job-windows.sh")) {
            assertThat(Files.readString(Path.of(script))).as(script).contains("grep -m1 -oP 'host: .*'");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
