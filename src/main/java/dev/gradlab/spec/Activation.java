package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Activation {
    @JsonProperty("sigmoid")
    SIGMOID,
    @JsonProperty("tanh")
    TANH,
    @JsonProperty("relu")
    RELU,
    @JsonProperty("leakyrelu")
    LEAKYRELU,
    @JsonProperty("elu")
    ELU,
    @JsonProperty("identity")
    IDENTITY
}
