package dev.gradlab.metric;

import io.swagger.v3.oas.annotations.media.Schema;

/** JSON has no NaN or infinity: such a value appears as null in its array and is spelled out here. */
@Schema(description = "A non-finite value: its array holds null at `position`; `value` is NaN, Infinity or -Infinity")
public record NonFiniteValue(int position, String value) {

    static String spell(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }
}
