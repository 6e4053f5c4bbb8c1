package dev.keybridge.rest.ertis;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.rest.support.ApiException;
import dev.keybridge.rest.support.JsonObjectBody;
import org.keycloak.utils.ReservedCharValidator;

/**
 * The body of ErtisAuth's {@code POST /api/v1/migrate}: {@code membership}, {@code user} and the optional
 * {@code application}, field names as the original's. Only the shape is checked here; the realm's user profile and
 * password policy judge the user when it is created.
 */
record MigrationModel(Membership membership, User user, Application application) {

    /** Longest name accepted for a membership, an application or a role: Keycloak's name columns hold 255. */
    static final int MAX_NAME = 255;

    /** {@code hash_algorithm} and {@code encoding} are read and ignored: Keycloak hashes with the realm's own policy. */
    record Membership(String name, int expiresIn, int refreshTokenExpiresIn, String hashAlgorithm, String encoding) {
    }

    record User(String username, String firstname, String lastname, String emailAddress, String password) {
    }

    record Application(String name, String role) {
    }

    /** @throws ApiException 400 ModelValidationError naming every field that is missing or malformed */
    static MigrationModel parse(String body) {
        JsonObjectBody json;
        try {
            json = JsonObjectBody.parse(body);
        } catch (ApiException malformed) {
            throw ErtisError.validation(malformed.description());
        }
        Fields fields = new Fields();
        JsonNode membershipNode = fields.object(json.node("membership"), "membership", true);
        JsonNode userNode = fields.object(json.node("user"), "user", true);
        JsonNode applicationNode = fields.object(json.node("application"), "application", false);
        Membership membership = membershipNode == null ? null : new Membership(
                fields.name(membershipNode, "membership.name", true),
                fields.seconds(membershipNode, "membership.expires_in"),
                fields.seconds(membershipNode, "membership.refresh_token_expires_in"),
                fields.text(membershipNode, "membership.hash_algorithm", false),
                fields.text(membershipNode, "membership.encoding", false));
        User user = userNode == null ? null : new User(
                fields.text(userNode, "user.username", true),
                fields.text(userNode, "user.firstname", true),
                fields.text(userNode, "user.lastname", true),
                fields.text(userNode, "user.email_address", true),
                fields.text(userNode, "user.password", true));
        if (userNode != null) {
            fields.text(userNode, "user.user_type", false);
        }
        Application application = applicationNode == null ? null : new Application(
                fields.name(applicationNode, "application.name", true),
                fields.name(applicationNode, "application.role", false));
        if (application != null && application.name() != null && application.name().contains(":")) {
            // Basic credentials are "<application>:<secret>": a colon in the name would split them wrongly
            fields.invalid("application.name must not contain ':'");
        }
        if (membership != null && membership.name() != null) {
            try {
                ReservedCharValidator.validate(membership.name());
            } catch (ReservedCharValidator.ReservedCharException reserved) {
                fields.invalid("membership.name must not contain any of : / ? # @ ! $ & ( ) * + , ; = [ ] \\");
            }
        }
        fields.requireNone();
        return new MigrationModel(membership, user, application);
    }

    /** Reads fields and collects what is wrong with them. */
    private static final class Fields {

        private final List<String> problems = new ArrayList<>();

        JsonNode object(JsonNode node, String path, boolean required) {
            if (node == null || node.isNull()) {
                if (required) {
                    problems.add(path + " is required");
                }
                return null;
            }
            if (!node.isObject()) {
                problems.add(path + " must be an object");
                return null;
            }
            return node;
        }

        String text(JsonNode parent, String path, boolean required) {
            JsonNode value = parent.get(leaf(path));
            if (value == null || value.isNull()) {
                if (required) {
                    problems.add(path + " is required");
                }
                return null;
            }
            if (!value.isTextual() || required && value.asText().isBlank()) {
                problems.add(path + (value.isTextual() ? " must not be blank" : " must be a string"));
                return null;
            }
            return value.asText();
        }

        /** A name Keycloak stores and shows: trimmed, no control characters, at most {@value #MAX_NAME} characters. */
        String name(JsonNode parent, String path, boolean required) {
            String name = text(parent, path, required);
            if (name == null) {
                return null;
            }
            if (name.length() > MAX_NAME || !name.equals(name.strip()) || name.chars().anyMatch(Character::isISOControl)) {
                problems.add(path + " must have 1 to " + MAX_NAME + " characters, no control characters and no surrounding spaces");
                return null;
            }
            return name;
        }

        /** A lifetime: a whole number of seconds, at least 1. */
        int seconds(JsonNode parent, String path) {
            JsonNode value = parent.get(leaf(path));
            if (value == null || value.isNull()) {
                problems.add(path + " is required");
                return 0;
            }
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
                problems.add(path + " must be a whole number of seconds from 1 to " + Integer.MAX_VALUE);
                return 0;
            }
            return value.intValue();
        }

        void invalid(String problem) {
            problems.add(problem);
        }

        void requireNone() {
            if (!problems.isEmpty()) {
                throw ErtisError.validation(String.join("; ", problems));
            }
        }

        private static String leaf(String path) {
            return path.substring(path.lastIndexOf('.') + 1);
        }
    }
}
