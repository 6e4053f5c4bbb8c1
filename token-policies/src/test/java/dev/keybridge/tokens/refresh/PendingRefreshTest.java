package dev.keybridge.tokens.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.RefreshToken;

class PendingRefreshTest {

    private static final long NOW_MILLIS = 5_000_000L;

    private static PendingRefresh pending(RotatingRefreshTokenConfig config, int presentedGeneration, Verdict verdict) {
        FamilyState state = new FamilyState(3, NOW_MILLIS - 1_000, 4_000, 4_990);
        return new PendingRefresh(config, "token-id", new ChainPosition("chain-1", presentedGeneration), state, verdict, NOW_MILLIS);
    }

    /** A refresh token as Keycloak's default provider creates it from an access token. */
    private static RefreshToken newRefreshToken() {
        return new RefreshToken(new AccessToken(), null, "default");
    }

    @Test
    void currentTokenRotatesToTheNextGeneration() {
        RefreshToken issued = newRefreshToken();
        pending(new RotatingRefreshTokenConfig(), 3, Verdict.CURRENT).applyTo(issued);
        assertEquals(new ChainPosition("chain-1", 4), ChainPosition.of(issued));
    }

    @Test
    void reuseInsideIntervalIssuesASiblingOfTheNewestGeneration() {
        RefreshToken issued = newRefreshToken();
        PendingRefresh reuse = pending(new RotatingRefreshTokenConfig(), 2, Verdict.PREVIOUS_WITHIN_INTERVAL);
        reuse.applyTo(issued);
        assertEquals(new ChainPosition("chain-1", 3), ChainPosition.of(issued));
        assertEquals(3, reuse.stateAfter().generation());
    }

    @Test
    void expiryIsCappedByTheTighterFamilyLifetime() {
        RotatingRefreshTokenConfig config = new RotatingRefreshTokenConfig();
        config.setAbsoluteLifetimeSeconds(1_100); // ends at 5_100
        config.setIdleLifetimeSeconds(60);        // ends at 5_060
        RefreshToken issued = newRefreshToken();
        issued.exp(9_999L);
        pending(config, 3, Verdict.CURRENT).applyTo(issued);
        assertEquals(5_060L, issued.getExp());
    }

    @Test
    void shorterKeycloakExpiryIsKept() {
        RotatingRefreshTokenConfig config = new RotatingRefreshTokenConfig();
        config.setIdleLifetimeSeconds(600);
        RefreshToken issued = newRefreshToken();
        issued.exp(5_010L);
        pending(config, 3, Verdict.CURRENT).applyTo(issued);
        assertEquals(5_010L, issued.getExp());
    }

    @Test
    void rootTokenWithoutClaimsNamesItsOwnChain() {
        RefreshToken root = newRefreshToken();
        root.id("root-jti");
        assertEquals(new ChainPosition("root-jti", 0), ChainPosition.of(root));
    }
}
