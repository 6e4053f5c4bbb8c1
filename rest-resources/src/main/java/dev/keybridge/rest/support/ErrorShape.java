package dev.keybridge.rest.support;

/** How one compatibility API writes an {@link ApiException} as its JSON error body. */
@FunctionalInterface
public interface ErrorShape {

    Object body(ApiException failure);
}
