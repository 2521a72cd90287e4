package dev.gradlab.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The API's one convention for numbers JSON cannot hold. A NaN or ±Infinity is never written as a number: in an
 * array it is {@code null} at its position, in an object its field is left out, and either way the
 * {@code nonFinite} list beside it names it ({@code position} or {@code field}) and spells its value.
 */
final class NonFinite {

    private NonFinite() {}

    @Schema(
            name = "NonFiniteKind",
            enumAsRef = true,
            description = "Which non-finite number: NaN, Infinity or -Infinity")
    enum Kind {
        @JsonProperty("NaN")
        NAN,
        @JsonProperty("Infinity")
        POSITIVE_INFINITY,
        @JsonProperty("-Infinity")
        NEGATIVE_INFINITY;

        static Kind of(double v) {
            return Double.isNaN(v) ? NAN : v > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
        }
    }

    @Schema(
            name = "NonFiniteValue",
            description = "A non-finite entry of the array beside this list: the array "
                    + "holds null at `position` (0-based); `value` says which number it was. A null without an entry "
                    + "here means nothing was recorded at that position.")
    record AtPosition(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0")
            int position,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Kind value) {}

    @Schema(
            name = "NonFiniteField",
            description = "A field of the object beside this list whose number is "
                    + "non-finite: the field is left out and `value` says which number it was.")
    record InField(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "finalLoss")
            String field,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Kind value) {}

    /** Collects an array's values, replacing each non-finite one by null and listing it. */
    static final class ArrayBuilder {
        private final List<Double> values;
        private final List<AtPosition> nonFinite = new java.util.ArrayList<>();

        ArrayBuilder(int size) {
            values = new java.util.ArrayList<>(size);
        }

        /** @param v a value, or null for "not recorded" */
        void add(Double v) {
            if (v != null && !Double.isFinite(v)) {
                nonFinite.add(new AtPosition(values.size(), Kind.of(v)));
                values.add(null);
            } else {
                values.add(v);
            }
        }

        List<Double> values() {
            return values;
        }

        List<AtPosition> nonFinite() {
            return nonFinite;
        }
    }

    /** @return v if finite (or null); null after listing it as {@code field} if it is not */
    static Double field(String field, Double v, List<InField> nonFinite) {
        if (v != null && !Double.isFinite(v)) {
            nonFinite.add(new InField(field, Kind.of(v)));
            return null;
        }
        return v;
    }
}
