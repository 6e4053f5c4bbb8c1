package dev.keybridge.rest.watcherex;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedHashMap;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.OIDCProviderConfig;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.utils.StringUtil;

/**
 * The checks Keycloak's token endpoint (26.7) makes on a request's form parameters, for the one WatcherEx request
 * that does not go through it (a client assertion with WatcherEx's audience): control characters removed from every
 * value before client authentication, and each parameter within the OIDC protocol's length limit afterwards. Repeated
 * parameters are refused earlier, when the body is read.
 */
final class TokenEndpointParameters {

    private static final Logger LOG = Logger.getLogger(TokenEndpointParameters.class);

    private TokenEndpointParameters() {
    }

    /** The form with control characters removed from every value, as the token endpoint reads its form. */
    static MultivaluedHashMap<String, String> sanitized(MultivaluedHashMap<String, String> form) {
        MultivaluedHashMap<String, String> sanitized = new MultivaluedHashMap<>();
        form.forEach((name, values) -> values.forEach(value -> sanitized.add(name, StringUtil.removeControlCharacters(value))));
        return sanitized;
    }

    /**
     * The parameters within the limits of the OIDC provider configuration ({@code --spi-login-protocol--openid-connect--req-params-*}):
     * an over-long parameter is dropped with the token endpoint's warning, or refused when that configuration says fail fast.
     *
     * @throws dev.keybridge.rest.support.ApiException WatcherEx's 400 for a refused parameter
     */
    static Map<String, String> withinLimits(KeycloakSession session, OAuth2GrantType grant, Map<String, String> parameters) {
        OIDCProviderConfig config = ((OIDCLoginProtocol) session.getProvider(LoginProtocol.class, OIDCLoginProtocol.LOGIN_PROTOCOL)).getConfig();
        Map<String, String> within = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            boolean tokenParameter = grant.getTokenParameterNames().contains(name);
            int limit = config.getMaxLengthForTheParameter(name, tokenParameter);
            if (value.length() <= limit) {
                within.put(name, value);
                return;
            }
            boolean failFast = config.isAdditionalReqParamsFailFast(tokenParameter);
            LOG.warnf("The size of OIDC parameter '%s' is longer (%d) than allowed (%d). %s", name, value.length(), limit,
                    failFast ? "Request not allowed." : "Ignoring the parameter.");
            if (failFast) {
                throw WatcherExError.badRequest();
            }
        });
        return within;
    }
}
