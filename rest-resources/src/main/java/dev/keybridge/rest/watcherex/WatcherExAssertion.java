package dev.keybridge.rest.watcherex;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.authentication.ClientAuthenticationFlowContext;
import org.keycloak.authentication.FlowStatus;
import org.keycloak.authentication.authenticators.client.ClientAssertionState;
import org.keycloak.authentication.authenticators.client.ClientAuthUtil;
import org.keycloak.authentication.authenticators.client.JWTClientAuthenticator;
import org.keycloak.authentication.authenticators.client.JWTClientValidator;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.utils.AuthorizeClientUtil;
import org.keycloak.representations.JsonWebToken;

/**
 * WatcherEx's client assertions: RS256 JWTs whose {@code aud} is the fixed string its clients were built with
 * ({@code "WatcherEx"}, configurable) and that carry no {@code sub}, both of which Keycloak's token endpoint refuses. They are checked by Keycloak's own
 * Signed-JWT client authenticator, run on the current request with that one audience accepted besides Keycloak's
 * (issuer, token, introspection, PAR and CIBA endpoints): the signature against the client's configured JWKS or
 * certificate and signing algorithm, {@code iss} = {@code sub} = client_id, a client set to authenticate by signed JWT,
 * exp / iat / the client's maximum assertion age, and {@code jti} single use in Keycloak's replicated single-use store.
 */
final class WatcherExAssertion {

    private WatcherExAssertion() {
    }

    /** True when the assertion is a readable JWT naming the legacy audience; anything else goes to Keycloak as is. */
    static boolean hasLegacyAudience(String assertion, String legacyAudience) {
        try {
            JsonWebToken token = new JWSInput(assertion).readJsonContent(JsonWebToken.class);
            return token != null && token.getAudience() != null && List.of(token.getAudience()).contains(legacyAudience);
        } catch (JWSInputException | RuntimeException unreadable) {
            return false;
        }
    }

    /**
     * Authenticates the client of the current request's {@code client_assertion} (the request's form must hold it),
     * when the realm's client-authentication flow offers Signed JWT.
     *
     * @return the authenticated client, empty when authentication failed (recorded on the event)
     */
    static Optional<ClientModel> authenticate(KeycloakSession session, EventBuilder event, String legacyAudience) {
        RealmModel realm = session.getContext().getRealm();
        Optional<AuthenticationExecutionModel> signedJwt = realm.getAuthenticationExecutionsStream(realm.getClientAuthenticationFlow().getId())
                .filter(execution -> JWTClientAuthenticator.PROVIDER_ID.equals(execution.getAuthenticator()) && !execution.isDisabled())
                .findFirst();
        if (signedJwt.isEmpty()) {
            event.error(Errors.INVALID_CLIENT);
            return Optional.empty();
        }
        AuthenticationProcessor processor = AuthorizeClientUtil.getAuthenticationProcessor(session, event);
        LegacyAudienceAuthenticator authenticator = new LegacyAudienceAuthenticator(legacyAudience);
        AuthenticationProcessor.Result context = processor.createClientAuthenticatorContext(signedJwt.get(), authenticator, List.of(signedJwt.get()));
        authenticator.authenticateClient(context);
        ClientModel client = processor.getClient();
        if (context.getStatus() != FlowStatus.SUCCESS || client == null || !client.isEnabled() || client.isBearerOnly()) {
            event.error(client == null ? Errors.INVALID_CLIENT : Errors.INVALID_CLIENT_CREDENTIALS);
            return Optional.empty();
        }
        if (client.getProtocol() != null && !OIDCLoginProtocol.LOGIN_PROTOCOL.equals(client.getProtocol())) {
            // the token endpoint's "Wrong client protocol.": a SAML client gets no OIDC tokens, whatever it authenticates with
            event.client(client).detail(Details.REASON, "Wrong client protocol.").error(Errors.INVALID_CLIENT);
            return Optional.empty();
        }
        return Optional.of(client);
    }

    /** Keycloak's Signed-JWT authenticator with one more accepted audience; everything else is Keycloak's. */
    private static final class LegacyAudienceAuthenticator extends JWTClientAuthenticator {

        private final String legacyAudience;

        LegacyAudienceAuthenticator(String legacyAudience) {
            this.legacyAudience = legacyAudience;
        }

        @Override
        public void authenticateClient(ClientAuthenticationFlowContext context) {
            context.attempted();
            try {
                ClientAssertionState state = context.getState(ClientAssertionState.class, ClientAssertionState.supplier());
                JsonWebToken jwt = state.getToken();
                if (jwt != null && jwt.getSubject() == null) {
                    // WatcherEx's clients sign {iss: client_id, aud, typ, exp, iat, nbf, jti} without sub: the issuer
                    // is the subject of a self-issued assertion, so the iss = sub = client_id checks below still hold
                    jwt.subject(jwt.getIssuer());
                }
                if (jwt == null || !Objects.equals(jwt.getIssuer(), jwt.getSubject())) {
                    context.failure(AuthenticationFlowError.INVALID_CLIENT_CREDENTIALS);
                    return;
                }
                if (state.getClient() == null) {
                    state.setClient(context.getRealm().getClientByClientId(jwt.getSubject()));
                }
                JWTClientValidator validator = new JWTClientValidator(context, this::verifySignature, getId()) {
                    @Override
                    protected List<String> getExpectedAudiences() {
                        List<String> audiences = new ArrayList<>(super.getExpectedAudiences());
                        audiences.add(legacyAudience);
                        return audiences;
                    }
                };
                if (validator.validate()) {
                    context.success();
                }
            } catch (Exception invalid) {
                context.failure(AuthenticationFlowError.INVALID_CLIENT_CREDENTIALS, ClientAuthUtil.errorResponse(
                        Response.Status.BAD_REQUEST.getStatusCode(), OAuthErrorException.INVALID_CLIENT,
                        "Client authentication with signed JWT failed: " + invalid.getMessage()));
            }
        }
    }
}
