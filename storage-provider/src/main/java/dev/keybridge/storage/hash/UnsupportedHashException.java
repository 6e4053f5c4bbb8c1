package dev.keybridge.storage.hash;

/** A stored hash we cannot verify: malformed, or of a format or parameter we do not support. */
public class UnsupportedHashException extends RuntimeException {

    public UnsupportedHashException(String message) {
        super(message);
    }
}
