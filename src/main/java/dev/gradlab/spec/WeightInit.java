package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum WeightInit {
    @JsonProperty("xavier")
    XAVIER,
    @JsonProperty("he")
    HE,
    /** N(0, initScale²). */
    @JsonProperty("normal")
    NORMAL,
    /** U(-initScale, initScale); without initScale, U(-1/√fanIn, 1/√fanIn). */
    @JsonProperty("uniform")
    UNIFORM
}
