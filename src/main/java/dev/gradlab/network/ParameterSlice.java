package dev.gradlab.network;

/**
 * Where one parameter array (e.g. a layer's W) lives inside the network's flat parameter vector; the flat
 * gradient vector has the same layout. {@code divideByMinibatch} is false for arrays DL4J updates itself
 * (batch norm's running statistics), whose "gradient" is not a sum over examples.
 */
public record ParameterSlice(String key, long offset, long length, boolean divideByMinibatch) {}
