package dev.keybridge.rest.ertis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.broker.microsoft.MicrosoftTenants;
import dev.keybridge.rest.support.JsonObjectBody;
import org.keycloak.util.JsonSerialization;

/**
 * The credentials of ErtisAuth's social login bodies. Google and Apple send {@code {"token": {"idToken": …}}}; Microsoft
 * sends MSAL's AuthenticationResult as {@code token} and its app id as {@code clientId}. Only the raw ID token signs in
 * (native sign-in verifies it); MSAL's own copies of its claims ({@code idTokenClaims}, {@code uniqueId},
 * {@code tenantId}) are never read as identity. When the body names a tenant, user or app the token does not, it is
 * refused: such a client believes it signs in someone else.
 *
 * @param idToken  the raw ID token
 * @param asserted the body's claims about the token, by the token claim they must equal ({@code tid}, {@code oid}, {@code aud})
 */
record ErtisSocialCredentials(String idToken, Map<String, String> asserted) {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    static ErtisSocialCredentials read(String provider, JsonObjectBody body) {
        JsonNode token = body.node("token");
        String idToken = text(field(token, "idToken"), "token.idToken");
        if (!MicrosoftTenants.PROVIDER_ID.equals(provider)) {
            return new ErtisSocialCredentials(required(idToken, "token.idToken is required"), Map.of());
        }
        if (idToken == null || idToken.isBlank()) {
            idToken = required(text(field(field(token, "account"), "idToken"), "token.account.idToken"),
                    "token.idToken (or token.account.idToken) is required");
        }
        Map<String, String> asserted = new LinkedHashMap<>();
        putIfPresent(asserted, "tid", text(field(token, "tenantId"), "token.tenantId"));
        putIfPresent(asserted, "oid", text(field(token, "uniqueId"), "token.uniqueId"));
        putIfPresent(asserted, "aud", text(body.node("clientId"), "clientId"));
        return new ErtisSocialCredentials(idToken, asserted);
    }

    /**
     * What the body asserts that the token does not say, or null when they agree. Read from the token without checking it:
     * the token is then verified by native sign-in, which refuses it when it is not genuine.
     */
    String disagreement() {
        if (asserted.isEmpty()) {
            return null;
        }
        Map<String, Object> claims = unverifiedClaims(idToken);
        if (claims == null) {
            return null; // not a readable JWT: native sign-in refuses it with the precise reason
        }
        List<String> differ = new ArrayList<>();
        asserted.forEach((claim, value) -> {
            List<String> tokenValues = values(claims, claim);
            if (tokenValues.stream().noneMatch(value::equalsIgnoreCase)) {
                differ.add(name(claim) + " '" + value + "' (ID token " + claim + ": " + tokenValues + ")");
            }
        });
        return differ.isEmpty() ? null : "the request body does not describe its ID token: " + String.join(", ", differ);
    }

    private static String name(String claim) {
        return switch (claim) {
            case "tid" -> "token.tenantId";
            case "oid" -> "token.uniqueId";
            default -> "clientId";
        };
    }

    /** MSAL's uniqueId is the oid, or sub when the token has none; aud may be a list. */
    private static List<String> values(Map<String, Object> claims, String claim) {
        Object value = claims.get(claim);
        if (value == null && "oid".equals(claim)) {
            value = claims.get("sub");
        }
        Collection<?> all = value instanceof Collection<?> many ? many : value == null ? List.of() : List.of(value);
        return all.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }

    private static Map<String, Object> unverifiedClaims(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            return JsonSerialization.readValue(Base64.getUrlDecoder().decode(parts[1]), JSON_OBJECT);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static JsonNode field(JsonNode object, String name) {
        return object != null && object.isObject() ? object.get(name) : null;
    }

    /** The string value, null when absent or JSON null; 400 when it has another type. */
    private static String text(JsonNode value, String path) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ErtisError.validation(path + " must be a string");
        }
        return value.asText();
    }

    private static String required(String value, String problem) {
        if (value == null || value.isBlank()) {
            throw ErtisError.validation(problem);
        }
        return value;
    }

    private static void putIfPresent(Map<String, String> asserted, String claim, String value) {
        if (value != null && !value.isBlank()) {
            asserted.put(claim, value.trim());
        }
    }
}
