package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Family of network: a deep feed-forward stack, or recurrent layers unrolled over a sequence. */
public enum ModelType {
    @JsonProperty("mlp")
    MLP,
    @JsonProperty("rnn")
    RNN
}
