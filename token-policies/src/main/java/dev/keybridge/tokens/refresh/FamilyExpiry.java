package dev.keybridge.tokens.refresh;

import org.keycloak.models.KeycloakSession;

/**
 * The mark {@link RotatingRefreshTokenExecutor} leaves in the Keycloak session when it refuses a refresh because the
 * chain's own idle or absolute lifetime is over, so that code which ran the refresh grant in the same session (the
 * compatibility routes) can tell that refusal from the others without reading its wording.
 */
public final class FamilyExpiry {

    private static final String ATTRIBUTE = FamilyExpiry.class.getName();

    private FamilyExpiry() {
    }

    static void mark(KeycloakSession session) {
        session.setAttribute(ATTRIBUTE, Boolean.TRUE);
    }

    /** True when a refresh run in this session was refused because its chain's lifetime was over. */
    public static boolean refusedIn(KeycloakSession session) {
        return session.getAttribute(ATTRIBUTE) != null;
    }
}
