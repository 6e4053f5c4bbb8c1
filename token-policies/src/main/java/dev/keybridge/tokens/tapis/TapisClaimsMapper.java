package dev.keybridge.tokens.tapis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.NullNode;
import com.google.auto.service.AutoService;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.common.util.Time;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.encode.TokenContextEncoderProvider;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;
import org.keycloak.util.JsonSerialization;

/**
 * Puts the Tapis claim set ({@code tapis/tenant_id}, {@code tapis/username}, {@code tapis/delegation}, ...)
 * into tokens. A token issued by standard token exchange is a delegation token whose
 * {@code delegation_sub} is the requesting client: in Tapis it names "the subject who actually
 * generated the token", while {@code username} stays the user the token speaks for.
 */
@AutoService(ProtocolMapper.class)
public class TapisClaimsMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper {

    public static final String PROVIDER_ID = "tapis-claims";

    private static final Logger LOG = Logger.getLogger(TapisClaimsMapper.class);
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };
    private static final List<ProviderConfigProperty> CONFIG = configProperties();

    private static List<ProviderConfigProperty> configProperties() {
        List<ProviderConfigProperty> props = new ArrayList<>();
        props.add(property(TapisClaimsConfig.TENANT_ID, "Tapis tenant id", ProviderConfigProperty.STRING_TYPE, null,
                "Value of tapis/tenant_id and the tenant in username@tenant. Empty: the realm name."));
        props.add(property(TapisClaimsConfig.CLAIM_PREFIX, "Claim prefix", ProviderConfigProperty.STRING_TYPE,
                TapisClaimsConfig.DEFAULT_PREFIX,
                "Namespace put before every Tapis claim name. Tapis uses 'tapis/'; platforms with the same claim shape use their own."));
        props.add(property(TapisClaimsConfig.TARGET_SITE, "Target site", ProviderConfigProperty.STRING_TYPE, null,
                "If set, tokens carry <prefix>target_site with this site id. The Tapis Tokens API may override it per token."));
        props.add(property(TapisClaimsConfig.TAPIS_SUB_ENABLED, "Add username@tenant claim", ProviderConfigProperty.BOOLEAN_TYPE,
                "false",
                "Adds username@tenant (Tapis' form of 'sub') under the claim name below, for clients that read it. 'sub' itself stays Keycloak's user id."));
        props.add(property(TapisClaimsConfig.TAPIS_SUB_CLAIM_NAME, "username@tenant claim name", ProviderConfigProperty.STRING_TYPE,
                TapisClaimsConfig.DEFAULT_TAPIS_SUB_CLAIM_NAME,
                "Claim that carries username@tenant when the toggle above is on. Must not be a standard claim such as 'sub'."));
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(props, TapisClaimsMapper.class);
        // Tapis puts its claims into access tokens only; ID token and userinfo are opt-in here.
        for (ProviderConfigProperty p : props) {
            if (OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN.equals(p.getName())
                    || OIDCAttributeMapperHelper.INCLUDE_IN_USERINFO.equals(p.getName())) {
                p.setDefaultValue("false");
            }
        }
        return List.copyOf(props);
    }

    private static ProviderConfigProperty property(String name, String label, String type, String defaultValue, String help) {
        ProviderConfigProperty p = new ProviderConfigProperty(name, label, help, type, defaultValue);
        p.setRequired(false);
        return p;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Tapis claims";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds the Tapis v3 claim set (tapis/tenant_id, tapis/username, tapis/account_type, tapis/delegation, "
                + "tapis/delegation_sub, ...). Tokens from standard token exchange are delegation tokens.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client,
                               ProtocolMapperModel mapperModel) throws ProtocolMapperConfigException {
        String problem = TapisClaimsConfig.from(mapperModel.getConfig(), realm.getName()).problem();
        if (problem != null) {
            throw new ProtocolMapperConfigException(problem, problem);
        }
    }

    @Override
    public AccessToken transformAccessToken(AccessToken token, ProtocolMapperModel mappingModel, KeycloakSession session,
                                            UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        AccessToken result = super.transformAccessToken(token, mappingModel, session, userSession, clientSessionCtx);
        shortenLifetime(result, clientSessionCtx.getClientSession());
        return result;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        RealmModel realm = userSession.getRealm();
        TapisClaimsConfig config = TapisClaimsConfig.from(mappingModel.getConfig(), realm.getName());
        AuthenticatedClientSessionModel clientSession = clientSessionCtx.getClientSession();
        UserModel user = userSession.getUser();
        ClientModel serviceAccountOf = user.getServiceAccountClientLink() == null ? null
                : realm.getClientById(user.getServiceAccountClientLink());

        TapisClaims.Subject subject = new TapisClaims.Subject(
                serviceAccountOf != null ? serviceAccountOf.getClientId() : user.getUsername(),
                serviceAccountOf != null,
                delegationSub(session, token, clientSessionCtx, config),
                clientSession.getNote(TapisSessionNotes.TARGET_SITE));
        Map<String, Object> otherClaims = token.getOtherClaims();
        // Keycloak's serializer drops null claims; Tapis sends "delegation_sub": null, so send a JSON null.
        TapisClaims.build(config, subject).forEach((name, value) -> otherClaims.put(name, value == null ? NullNode.getInstance() : value));
        mergeExtraClaims(token, config, clientSession.getNote(TapisSessionNotes.EXTRA_CLAIMS));
    }

    /**
     * Who generated a delegation token, or null for a token the subject obtained itself. A token
     * minted by the Tapis Tokens API says so in a session note. A token from standard token exchange
     * is recognised by its grant: the token request's grant, or for introspection (which runs
     * without one) the grant encoded in the token id. Its refreshes are recognised the way
     * Keycloak's own revocation endpoint recognises exchange sessions: by the subject-client note
     * the exchange leaves on the requester's client session.
     */
    private static String delegationSub(KeycloakSession session, IDToken token, ClientSessionContext clientSessionCtx,
                                        TapisClaimsConfig config) {
        AuthenticatedClientSessionModel clientSession = clientSessionCtx.getClientSession();
        String minted = clientSession.getNote(TapisSessionNotes.DELEGATION_SUB);
        if (minted != null) {
            return minted;
        }
        String grantType = clientSessionCtx.getAttribute(Constants.GRANT_TYPE, String.class);
        if (grantType == null) {
            grantType = grantTypeOf(session, token.getId());
        }
        boolean exchanged = OAuth2Constants.TOKEN_EXCHANGE_GRANT_TYPE.equals(grantType)
                || (OAuth2Constants.REFRESH_TOKEN.equals(grantType) && hasExchangeNote(clientSession));
        return exchanged ? TapisClaims.subject(clientSession.getClient().getClientId(), config.tenantId()) : null;
    }

    private static String grantTypeOf(KeycloakSession session, String tokenId) {
        if (tokenId == null) {
            return null;
        }
        try {
            return session.getProvider(TokenContextEncoderProvider.class).getTokenContextFromTokenId(tokenId).getGrantType();
        } catch (IllegalArgumentException e) {
            return null; // an id from before token-context encoding, or not Keycloak's
        }
    }

    private static boolean hasExchangeNote(AuthenticatedClientSessionModel clientSession) {
        return clientSession.getNotes().keySet().stream().anyMatch(k -> k.startsWith(Constants.TOKEN_EXCHANGE_SUBJECT_CLIENT));
    }

    /**
     * Adds the extra claims the Tokens API validated. A claim that would replace a reserved or Tapis claim, or one
     * another mapper already set (in any case), is dropped: sessions minted before those names were refused may
     * still hold such notes.
     */
    private static void mergeExtraClaims(IDToken token, TapisClaimsConfig config, String extraClaimsJson) {
        if (extraClaimsJson == null) {
            return;
        }
        Map<String, Object> extraClaims;
        try {
            extraClaims = JsonSerialization.readValue(extraClaimsJson, JSON_OBJECT);
        } catch (IOException e) {
            // Only the Tokens API writes this note, after validating it; a broken note means a bug, not bad input.
            LOG.warnf("Ignoring unreadable %s session note: %s", TapisSessionNotes.EXTRA_CLAIMS, e.getMessage());
            return;
        }
        Map<String, Object> otherClaims = token.getOtherClaims();
        Set<String> present = otherClaims.keySet().stream().map(ReservedClaims::normalized).collect(Collectors.toSet());
        extraClaims.forEach((name, value) -> {
            if (ReservedClaims.isReserved(name) || present.contains(ReservedClaims.normalized(name)) || config.isTapisClaim(name)) {
                LOG.warnf("Dropping extra claim '%s' of a Tapis session: it would replace a reserved or mapped claim", name);
            } else {
                otherClaims.put(name, value);
            }
        });
    }

    private static void shortenLifetime(AccessToken token, AuthenticatedClientSessionModel clientSession) {
        String ttl = clientSession.getNote(TapisSessionNotes.ACCESS_TOKEN_TTL);
        if (ttl == null || token.getExp() == null) {
            return;
        }
        long issuedAt = token.getIat() != null ? token.getIat() : Time.currentTimeSeconds();
        long requestedExp = issuedAt + Long.parseLong(ttl);
        if (requestedExp < token.getExp()) {
            token.exp(requestedExp);
        }
    }
}
