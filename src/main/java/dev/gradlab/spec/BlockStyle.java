package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Order of operations inside a hidden block. {@code post}: Dense → [BN] → act (the BN paper's order);
 * {@code pre}: [BN] → act → Dense (He et al. 2016's pre-activation unit).
 */
public enum BlockStyle {
    @JsonProperty("post")
    POST,
    @JsonProperty("pre")
    PRE
}
