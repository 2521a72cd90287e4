package dev.gradlab.network;

public enum LayerKind {
    DENSE("dense"),
    BATCH_NORM("batchNorm"),
    RECURRENT("recurrent"),
    OUTPUT("output");

    private final String label;

    LayerKind(String label) {
        this.label = label;
    }

    /** The name used in API bodies and stored metrics. */
    public String label() {
        return label;
    }
}
