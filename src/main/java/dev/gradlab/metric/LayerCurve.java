package dev.gradlab.metric;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "One layer's series. The gradients endpoint names the array `norms`; the layers endpoint `values`. "
        + "null entries are non-finite values (listed in nonFinite) or, without a nonFinite entry, not recorded "
        + "for this layer (e.g. activations of the output layer)")
public record LayerCurve(int index, String name, String kind, List<Double> norms, List<Double> values,
                         List<NonFiniteValue> nonFinite) {
}
