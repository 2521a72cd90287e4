package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum DatasetName {
    @JsonProperty("spirals") SPIRALS,
    @JsonProperty("circles") CIRCLES,
    @JsonProperty("xor") XOR,
    @JsonProperty("gaussians") GAUSSIANS
}
