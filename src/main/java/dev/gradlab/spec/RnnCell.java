package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The recurrent cell of an {@code rnn} model. */
public enum RnnCell {
    /** DL4J SimpleRnn: h_t = act(W·x_t + W_rec·h_{t−1} + b). */
    @JsonProperty("simple")
    SIMPLE,
    /** DL4J LSTM (no peepholes), forget-gate bias {@code model.forgetGateBias}. */
    @JsonProperty("lstm")
    LSTM
}
