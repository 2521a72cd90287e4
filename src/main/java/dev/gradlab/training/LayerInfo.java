package dev.gradlab.training;

/** A parameterised layer as the outside world sees it: index input → output, stable name, kind. */
public record LayerInfo(int index, String name, String kind) {}
