package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum Optimizer {
    @JsonProperty("sgd")
    SGD(0.1),
    /** Nesterov momentum, coefficient 0.9. */
    @JsonProperty("momentum")
    MOMENTUM(0.01),
    @JsonProperty("adam")
    ADAM(0.001);

    private final double defaultLearningRate;

    Optimizer(double defaultLearningRate) {
        this.defaultLearningRate = defaultLearningRate;
    }

    public double defaultLearningRate() {
        return defaultLearningRate;
    }
}
