package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum BatchNormPlacement {
    /** Dense → BN → act, as in Ioffe & Szegedy. */
    @JsonProperty("beforeActivation")
    BEFORE_ACTIVATION,
    /** Dense → act → BN. */
    @JsonProperty("afterActivation")
    AFTER_ACTIVATION
}
