package dev.keybridge.rest.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.keycloak.common.util.Time;
import org.keycloak.protocol.oidc.TokenManager.NotBeforeCheck;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.RefreshToken;
import org.keycloak.util.TokenUtil;

class RefreshTokenExpiryTest {

    private static final String ISSUER = "https://sso.example/realms/demo";
    private static final NotBeforeCheck NONE = new NotBeforeCheck(0);

    private static RefreshToken token(String type, String issuer, long issuedSecondsAgo, long expiresInSeconds) {
        long now = Time.currentTime();
        RefreshToken token = new RefreshToken(new AccessToken(), null, "default");
        token.type(type);
        token.issuer(issuer);
        token.iat(now - issuedSecondsAgo);
        token.exp(now + expiresInSeconds);
        return token;
    }

    private static boolean expired(RefreshToken token) {
        return RefreshTokenExpiry.expired(token, ISSUER, NONE, NONE, Time.currentTime());
    }

    @Test
    void aRefreshOrOfflineTokenPastItsExpiryIsExpired() {
        assertTrue(expired(token(TokenUtil.TOKEN_TYPE_REFRESH, ISSUER, 600, -5)));
        assertTrue(expired(token(TokenUtil.TOKEN_TYPE_OFFLINE, ISSUER, 600, -5)));
    }

    @Test
    void anActiveTokenIsNotExpired() {
        assertFalse(expired(token(TokenUtil.TOKEN_TYPE_REFRESH, ISSUER, 60, 600)));
    }

    @Test
    void aTokenThatExpiredOnlyAfterTheGrantStartedIsNotExpired() {
        RefreshToken token = token(TokenUtil.TOKEN_TYPE_REFRESH, ISSUER, 600, -5);
        assertFalse(RefreshTokenExpiry.expired(token, ISSUER, NONE, NONE, Time.currentTime() - 10));
    }

    @Test
    void aTokenNotYetValidIsNotActiveAsKeycloakSaysToo() {
        RefreshToken early = token(TokenUtil.TOKEN_TYPE_REFRESH, ISSUER, 0, 600);
        early.nbf((long) Time.currentTime() + 300);
        assertTrue(expired(early));
    }

    @Test
    void aTokenKeycloakRefusesBeforeItsActivityCheckIsNotExpired() {
        assertFalse(expired(token(TokenUtil.TOKEN_TYPE_BEARER, ISSUER, 600, -5)), "an access token");
        assertFalse(expired(token(TokenUtil.TOKEN_TYPE_REFRESH, "https://sso.example/realms/other", 600, -5)), "another issuer");
        RefreshToken stale = token(TokenUtil.TOKEN_TYPE_REFRESH, ISSUER, 600, -5);
        NotBeforeCheck pushedAfterIssue = new NotBeforeCheck(Time.currentTime() - 60);
        assertFalse(RefreshTokenExpiry.expired(stale, ISSUER, pushedAfterIssue, NONE, Time.currentTime()), "realm not-before after issue");
        assertFalse(RefreshTokenExpiry.expired(stale, ISSUER, NONE, pushedAfterIssue, Time.currentTime()), "client not-before after issue");
    }
}
