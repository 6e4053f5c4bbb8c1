package dev.keybridge.it.harness;

import java.io.IOException;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.util.JsonSerialization;

/** Reading tokens the server issued, in tests. */
public final class Jwt {

    private Jwt() {
    }

    /** The payload of a JWT, decoded without checking the signature (the server under test checks that). */
    public static JsonNode claims(String jwt) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a JWT: " + jwt);
        }
        try {
            return JsonSerialization.mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a JWT payload: " + parts[1], e);
        }
    }
}
