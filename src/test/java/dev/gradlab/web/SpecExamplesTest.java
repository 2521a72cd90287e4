package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** The README's example files and Swagger UI's examples are the same specs. */
class SpecExamplesTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @ParameterizedTest
    @CsvSource({
        "plain.json, PLAIN",
        "batchnorm.json, BATCH_NORM",
        "residual.json, RESIDUAL",
        "rnn-vanishing.json, RNN_VANISHING",
        "rnn-exploding.json, RNN_EXPLODING",
        "rnn-clipped.json, RNN_CLIPPED",
        "digits.json, DIGITS"
    })
    void exampleFileMatchesTheSwaggerExample(String file, String constant) throws Exception {
        String swagger = (String) SpecExamples.class.getDeclaredField(constant).get(null);
        assertThat(json.readTree(read(file))).isEqualTo(json.readTree(swagger));
    }

    private static String read(String file) throws IOException {
        return Files.readString(Path.of("examples", file));
    }
}
