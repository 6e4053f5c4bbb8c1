package dev.keybridge.storage.hash;

import java.util.Base64;

/**
 * The base64 of PHC strings: standard alphabet without padding. passlib's "ab64" variant writes
 * '.' for '+', which decodes here too.
 */
final class PhcBase64 {

    private PhcBase64() {
    }

    static byte[] decode(String text) {
        try {
            return Base64.getDecoder().decode(text.replace('.', '+'));
        } catch (IllegalArgumentException e) {
            throw new UnsupportedHashException("bad base64 in hash: " + e.getMessage());
        }
    }

    static String encode(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    /** passlib's adapted base64, so a re-hash keeps the look of the hashes around it. */
    static String encodeAdapted(byte[] bytes) {
        return encode(bytes).replace('+', '.');
    }
}
