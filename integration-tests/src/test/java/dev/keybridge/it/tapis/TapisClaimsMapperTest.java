package dev.keybridge.it.tapis;

import static dev.keybridge.it.tapis.TapisRealm.JOBS;
import static dev.keybridge.it.tapis.TapisRealm.JOBS_SECRET;
import static dev.keybridge.it.tapis.TapisRealm.PASSWORD;
import static dev.keybridge.it.tapis.TapisRealm.PORTAL;
import static dev.keybridge.it.tapis.TapisRealm.PORTAL_SECRET;
import static dev.keybridge.it.tapis.TapisRealm.TAPIS_SUB_CLAIM;
import static dev.keybridge.it.tapis.TapisRealm.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keybridge.it.harness.Http;
import dev.keybridge.it.harness.Jwt;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

/** The tapis-claims mapper on real tokens: password login, service account, token exchange. */
@KeycloakIntegrationTest
class TapisClaimsMapperTest {

    private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    @InjectRealm(config = TapisRealm.class)
    ManagedRealm realm;

    @Test
    void userLoginCarriesUserClaimsAndNoDelegation() throws Exception {
        JsonNode tokens = passwordLogin();
        JsonNode access = Jwt.claims(tokens.path("access_token").asText());

        assertUserClaims(access);
        assertEquals(false, access.path("tapis/delegation").asBoolean(true));
        assertTrue(access.has("tapis/delegation_sub"), "delegation_sub must be present (null), as Tapis sends it: " + access);
        assertTrue(access.get("tapis/delegation_sub").isNull(), access.toString());
        assertFalse(access.has("tapis/target_site"), "portal's mapper sets no target site: " + access);
        assertEquals(PORTAL, access.path("azp").asText());
    }

    @Test
    void idTokenAndUserinfoStayFreeOfTapisClaimsByDefaultButIntrospectionCarriesThem() throws Exception {
        JsonNode tokens = passwordLogin();
        String accessToken = tokens.path("access_token").asText();

        JsonNode idToken = Jwt.claims(tokens.path("id_token").asText());
        assertFalse(idToken.has("tapis/username"), idToken.toString());

        Http.Response userinfo = Http.plain().get(realm.getBaseUrl() + "/protocol/openid-connect/userinfo", accessToken);
        assertEquals(200, userinfo.status(), userinfo.body());
        assertFalse(userinfo.json().has("tapis/username"), userinfo.body());

        JsonNode introspection = introspect(accessToken);
        assertTrue(introspection.path("active").asBoolean(), introspection.toString());
        assertEquals(USER, introspection.path("tapis/username").asText(), introspection.toString());
        assertEquals(false, introspection.path("tapis/delegation").asBoolean(true), introspection.toString());
    }

    @Test
    void serviceAccountIsAServiceNamedAfterItsClient() throws Exception {
        Http.Response reply = Http.plain().form(tokenUrl(), Map.of("grant_type", "client_credentials"), Http.basic(JOBS, JOBS_SECRET));
        assertEquals(200, reply.status(), reply.body());
        JsonNode access = Jwt.claims(reply.json().path("access_token").asText());

        assertEquals("dev", access.path("tapis/tenant_id").asText());
        assertEquals("access", access.path("tapis/token_type").asText());
        assertEquals("service", access.path("tapis/account_type").asText());
        assertEquals(JOBS, access.path("tapis/username").asText());
        assertEquals("jobs@dev", access.path(TAPIS_SUB_CLAIM).asText());
        assertEquals(false, access.path("tapis/delegation").asBoolean(true));
        assertTrue(access.get("tapis/delegation_sub").isNull(), access.toString());
        assertEquals("tacc", access.path("tapis/target_site").asText());
        assertEquals("service-account-jobs", access.path("preferred_username").asText());
    }

    @Test
    void tokenExchangeByAServiceIsADelegationTokenNamingTheServiceAsGenerator() throws Exception {
        String userToken = passwordLogin().path("access_token").asText();

        Http.Response exchanged = Http.plain().form(tokenUrl(), Map.of(
                "grant_type", TOKEN_EXCHANGE,
                "subject_token", userToken,
                "subject_token_type", ACCESS_TOKEN_TYPE), Http.basic(JOBS, JOBS_SECRET));
        assertEquals(200, exchanged.status(), exchanged.body());
        String delegated = exchanged.json().path("access_token").asText();
        JsonNode access = Jwt.claims(delegated);

        // Tapis: username is the user the token speaks for; delegation_sub "the subject who actually generated the token"
        assertUserClaims(access);
        assertEquals(true, access.path("tapis/delegation").asBoolean(false), access.toString());
        assertEquals("jobs@dev", access.path("tapis/delegation_sub").asText(), access.toString());
        assertEquals("tacc", access.path("tapis/target_site").asText(), "jobs' mapper config applies: " + access);
        assertEquals(JOBS, access.path("azp").asText());

        JsonNode introspection = introspect(delegated);
        assertEquals(true, introspection.path("tapis/delegation").asBoolean(false), introspection.toString());
        assertEquals("jobs@dev", introspection.path("tapis/delegation_sub").asText(), introspection.toString());

        // the user's own token is untouched by the exchange
        JsonNode original = introspect(userToken);
        assertEquals(false, original.path("tapis/delegation").asBoolean(true), original.toString());
    }

    @Test
    void mapperOnAClientScopeWithItsOwnPrefix() throws Exception {
        ClientScopeRepresentation scope = new ClientScopeRepresentation();
        scope.setName("acme-claims");
        scope.setProtocol("openid-connect");
        scope.setProtocolMappers(List.of(TapisRealm.mapper("acme claims", "tapis-claims",
                Map.of("tapis.claim.prefix", "acme/", "access.token.claim", "true"))));
        String scopeId;
        try (Response created = realm.admin().clientScopes().create(scope)) {
            assertEquals(201, created.getStatus());
            scopeId = created.getLocation().getPath().replaceAll(".*/", "");
        }
        // removing the scope also removes it from the client's default scopes
        realm.cleanup().add(r -> r.clientScopes().get(scopeId).remove());
        ClientRepresentation jobs = realm.admin().clients().findByClientId(JOBS).get(0);
        realm.admin().clients().get(jobs.getId()).addDefaultClientScope(scopeId);

        Http.Response reply = Http.plain().form(tokenUrl(), Map.of("grant_type", "client_credentials"), Http.basic(JOBS, JOBS_SECRET));
        assertEquals(200, reply.status(), reply.body());
        JsonNode access = Jwt.claims(reply.json().path("access_token").asText());

        assertEquals(realm.getName(), access.path("acme/tenant_id").asText(), "empty tenant id means the realm name: " + access);
        assertEquals(JOBS, access.path("acme/username").asText());
        assertEquals("service", access.path("acme/account_type").asText());
        assertEquals("dev", access.path("tapis/tenant_id").asText(), "the client's own mapper still applies: " + access);
    }

    @Test
    void invalidMapperConfigIsRejectedWhenSaved() {
        ClientRepresentation portal = realm.admin().clients().findByClientId(PORTAL).get(0);
        for (Map<String, String> bad : Set.of(
                Map.of("tapis.sub.claim.enabled", "true", "tapis.sub.claim.name", "sub"),
                Map.of("tapis.tenant.id", "dev@elsewhere"))) {
            ProtocolMapperRepresentation mapper = TapisRealm.mapper("bad tapis claims", "tapis-claims", bad);
            try (Response response = realm.admin().clients().get(portal.getId()).getProtocolMappers().createMapper(mapper)) {
                assertEquals(400, response.getStatus(), "config " + bad + " should be refused");
            }
        }
    }

    private void assertUserClaims(JsonNode access) {
        assertEquals("dev", access.path("tapis/tenant_id").asText(), access.toString());
        assertEquals("access", access.path("tapis/token_type").asText());
        assertEquals(USER, access.path("tapis/username").asText());
        assertEquals("user", access.path("tapis/account_type").asText());
        assertEquals("jdoe@dev", access.path(TAPIS_SUB_CLAIM).asText());
        String sub = access.path("sub").asText();
        assertNotEquals("jdoe@dev", sub, "sub stays Keycloak's user id");
        assertEquals(realm.admin().users().search(USER, true).get(0).getId(), sub);
    }

    private JsonNode passwordLogin() throws Exception {
        Http.Response reply = Http.plain().form(tokenUrl(), Map.of(
                "grant_type", "password", "username", USER, "password", PASSWORD, "scope", "openid"), Http.basic(PORTAL, PORTAL_SECRET));
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private JsonNode introspect(String token) throws Exception {
        Http.Response reply = Http.plain().form(tokenUrl() + "/introspect", Map.of("token", token), Http.basic(JOBS, JOBS_SECRET));
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private String tokenUrl() {
        return realm.getBaseUrl() + "/protocol/openid-connect/token";
    }
}
