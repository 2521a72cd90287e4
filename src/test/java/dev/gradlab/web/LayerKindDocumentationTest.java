package dev.gradlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.network.LayerKind;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The documented layer kinds are the ones training reports (the web package may not import network itself). */
class LayerKindDocumentationTest {

    @Test
    void documentedKindsAreNetworkLayerKinds() {
        assertThat(OpenApiConfiguration.LAYER_KINDS)
                .containsExactlyElementsOf(
                        Arrays.stream(LayerKind.values()).map(LayerKind::label).toList());
    }
}
