package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Family of network. Only {@code mlp} trains today; {@code rnn} is reserved so specs keep one shape. */
public enum ModelType {
    @JsonProperty("mlp") MLP,
    @JsonProperty("rnn") RNN
}
