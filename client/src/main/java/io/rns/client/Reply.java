package io.rns.client;

/**
 * A successful answer: the value and what the answering node said about itself.
 *
 * @param value the result; {@code null} only for {@code Reply<Void>}
 * @param meta  the response header of the node that answered, plus the endpoint it was reached at
 */
public record Reply<T>(T value, ResponseMeta meta) {}
