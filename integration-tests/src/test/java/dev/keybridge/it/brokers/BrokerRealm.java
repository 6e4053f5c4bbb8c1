package dev.keybridge.it.brokers;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.keybridge.broker.apple.AppleIdentityProviderConfig;
import dev.keybridge.broker.facebook.FacebookSettings;
import dev.keybridge.broker.microsoft.MicrosoftTenants;
import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.AuthenticationExecutionExportRepresentation;
import org.keycloak.representations.idm.AuthenticationFlowRepresentation;
import org.keycloak.representations.idm.ComponentExportRepresentation;
import org.keycloak.representations.idm.IdentityProviderMapperRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;
import org.keycloak.util.JsonSerialization;

/**
 * A realm with Apple and Google brokers pointed at the local fakes: "apple" (links by verified
 * email, accepts the iOS bundle id), "apple-signin-only", "google" (Android client id allowed)
 * and "google-corp" (hosted domain example.com, ID tokens reusable); the public client "mobile" may use all four for
 * native sign-in, "other-app" none; "web" logs in through the browser. A hardcoded-role mapper
 * on "apple" grants {@link #APPLE_ROLE}.
 */
public class BrokerRealm implements RealmConfig {

    public static final String SERVICES_ID = "dev.keybridge.web";
    public static final String BUNDLE_ID = "dev.keybridge.ios";
    public static final String TEAM_ID = "TEAM123456";
    public static final String KEY_ID = "KEY1234567";
    public static final String GOOGLE_WEB_CLIENT = "web.apps.googleusercontent.com";
    public static final String GOOGLE_ANDROID_CLIENT = "android.apps.googleusercontent.com";
    /** The Microsoft application (client) id of the app. */
    public static final String MICROSOFT_APP = "6731de76-14a6-49ae-97bc-6eba6914391e";
    /** Granted by a hardcoded-role mapper on "apple", to show that IdP mappers run. */
    public static final String APPLE_ROLE = "signed-in-with-apple";
    public static final String WEB_REDIRECT = "http://127.0.0.1:1/web-callback";
    /** The team's "Sign in with Apple" key; Keycloak gets the .p8, the fake Apple the public half. */
    public static final KeyPair APPLE_P8 = FakeProvider.generate("ES256");

    @Override
    public RealmBuilder configure(RealmBuilder realm) {
        FakeProvider apple = FakeProvider.apple();
        FakeProvider google = FakeProvider.google();
        apple.expectClientSecret(TEAM_ID, SERVICES_ID, APPLE_P8);
        return realm.eventsEnabled(true)
                .roles(APPLE_ROLE)
                .identityProviderMappers(appleRoleMapper())
                .clients(ClientBuilder.create("mobile").publicClient()
                                .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "apple apple-signin-only google google-corp"),
                        ClientBuilder.create("other-app").publicClient(),
                        ClientBuilder.create("web").publicClient().redirectUris(WEB_REDIRECT))
                .identityProviders(
                        appleIdp("apple", apple, Map.of(NativeSignInSettings.LINK_BY_VERIFIED_EMAIL, "true")),
                        appleIdp("apple-signin-only", apple, Map.of(NativeSignInSettings.SIGN_IN_ONLY, "true")),
                        googleIdp("google", google, Map.of()),
                        googleIdp("google-corp", google, Map.of(NativeSignInSettings.GOOGLE_HOSTED_DOMAIN, "example.com",
                                NativeSignInSettings.SINGLE_USE_ID_TOKENS, "false")))
                .users(UserBuilder.create("linked").email("linked@example.org").emailVerified(true).name("Lin", "Ked")
                                .federatedLink("google", "google-linked-sub", "linked@example.org"),
                        UserBuilder.create("ann").email("ann@example.org").emailVerified(true).name("Ann", "Existing"),
                        UserBuilder.create("uma").email("uma@example.org").emailVerified(false).name("Uma", "Unverified"))
                .update(BrokerRealm::namesAndEmailOptional);
    }

    /**
     * A user profile in which email and names are optional, so that the stock first-login flow's review
     * step ("missing") lets native sign-in create people from ID tokens without names (Apple's never carry
     * them) or without email; with Keycloak's default profile such a first sign-in needs the browser.
     */
    public static void namesAndEmailOptional(RealmRepresentation realm) {
        userProfile(realm, optionalNamesAndEmail());
    }

    /** Keycloak's built-in attributes with their stock validators, email and names optional. */
    public static List<Map<String, Object>> optionalNamesAndEmail() {
        List<Map<String, Object>> attributes = new ArrayList<>();
        attributes.add(attribute("username", Map.of("length", Map.of("min", 3, "max", 255), "username-prohibited-characters", Map.of(),
                "up-username-not-idn-homograph", Map.of())));
        attributes.add(attribute("email", Map.of("email", Map.of(), "length", Map.of("max", 255))));
        attributes.add(attribute("firstName", Map.of("length", Map.of("max", 255), "person-name-prohibited-characters", Map.of())));
        attributes.add(attribute("lastName", Map.of("length", Map.of("max", 255), "person-name-prohibited-characters", Map.of())));
        return attributes;
    }

    /** Sets the realm's declarative user profile to these attributes (unmanaged attributes disabled, Keycloak's default). */
    public static void userProfile(RealmRepresentation realm, List<Map<String, Object>> attributes) {
        ComponentExportRepresentation profile = new ComponentExportRepresentation();
        profile.setProviderId("declarative-user-profile");
        try {
            profile.setConfig(new MultivaluedHashMap<>(Map.of("kc.user.profile.config",
                    List.of(JsonSerialization.writeValueAsString(Map.of("attributes", attributes))))));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        if (realm.getComponents() == null) {
            realm.setComponents(new MultivaluedHashMap<>());
        }
        realm.getComponents().add("org.keycloak.userprofile.UserProfileProvider", profile);
    }

    /** A top-level basic flow of these steps, in this order. */
    public static AuthenticationFlowRepresentation flow(String alias, AuthenticationExecutionExportRepresentation... steps) {
        AuthenticationFlowRepresentation flow = new AuthenticationFlowRepresentation();
        flow.setAlias(alias);
        flow.setProviderId("basic-flow");
        flow.setTopLevel(true);
        flow.setBuiltIn(false);
        List<AuthenticationExecutionExportRepresentation> executions = new ArrayList<>(List.of(steps));
        for (int i = 0; i < executions.size(); i++) {
            executions.get(i).setPriority(10 * (i + 1));
        }
        flow.setAuthenticationExecutions(executions);
        return flow;
    }

    /** An authenticator step of a flow; {@code configAlias} names an authenticator config of the realm, or null. */
    public static AuthenticationExecutionExportRepresentation step(String authenticator, String requirement, String configAlias) {
        AuthenticationExecutionExportRepresentation step = new AuthenticationExecutionExportRepresentation();
        step.setAuthenticator(authenticator);
        step.setRequirement(requirement);
        step.setAuthenticatorFlow(false);
        step.setUserSetupAllowed(false);
        step.setAuthenticatorConfig(configAlias);
        return step;
    }

    /** A user-profile attribute anyone may view and edit, with these validators. */
    public static Map<String, Object> attribute(String name, Map<String, Object> validations) {
        return Map.of("name", name, "displayName", "${" + name + "}", "validations", validations,
                "permissions", Map.of("view", List.of("admin", "user"), "edit", List.of("admin", "user")));
    }

    private static IdentityProviderMapperRepresentation appleRoleMapper() {
        IdentityProviderMapperRepresentation mapper = new IdentityProviderMapperRepresentation();
        mapper.setName("apple role");
        mapper.setIdentityProviderAlias("apple");
        mapper.setIdentityProviderMapper("oidc-hardcoded-role-idp-mapper");
        mapper.setConfig(Map.of("role", APPLE_ROLE, "syncMode", "INHERIT"));
        return mapper;
    }

    public static IdentityProviderRepresentation appleIdp(String alias, FakeProvider apple, Map<String, String> extra) {
        IdentityProviderRepresentation idp = idp(alias, "apple", extra);
        idp.getConfig().put("clientId", SERVICES_ID);
        idp.getConfig().put("clientSecret", pem(APPLE_P8));
        idp.getConfig().put(AppleIdentityProviderConfig.TEAM_ID, TEAM_ID);
        idp.getConfig().put(AppleIdentityProviderConfig.KEY_ID, KEY_ID);
        idp.getConfig().put(AppleIdentityProviderConfig.BASE_URL, apple.baseUrl());
        idp.getConfig().put(NativeSignInSettings.ALLOWED_AUDIENCES, BUNDLE_ID);
        return idp;
    }

    public static IdentityProviderRepresentation googleIdp(String alias, FakeProvider google, Map<String, String> extra) {
        IdentityProviderRepresentation idp = idp(alias, "google", extra);
        idp.getConfig().put("clientId", GOOGLE_WEB_CLIENT);
        idp.getConfig().put("clientSecret", "unused-in-native-sign-in");
        idp.getConfig().put(NativeSignInSettings.JWKS_URL_OVERRIDE, google.jwksUrl());
        idp.getConfig().put(NativeSignInSettings.ALLOWED_AUDIENCES, GOOGLE_ANDROID_CLIENT);
        return idp;
    }

    /** A Microsoft IdP of the fake Microsoft: its issuer template and keys, app id {@link #MICROSOFT_APP}. */
    public static IdentityProviderRepresentation microsoftIdp(String alias, FakeProvider microsoft, Map<String, String> extra) {
        IdentityProviderRepresentation idp = idp(alias, MicrosoftTenants.PROVIDER_ID, extra);
        idp.getConfig().put("clientId", MICROSOFT_APP);
        idp.getConfig().put("clientSecret", "unused-in-native-sign-in");
        idp.getConfig().put(MicrosoftTenants.ISSUER_TEMPLATE, microsoft.issuer());
        idp.getConfig().put(NativeSignInSettings.JWKS_URL_OVERRIDE, microsoft.jwksUrl());
        return idp;
    }

    /** A Facebook IdP of {@link FakeGraph}'s app: classic tokens checked with that Graph, Limited Login keys from the fake. */
    public static IdentityProviderRepresentation facebookIdp(String alias, FakeGraph graph, Map<String, String> extra) {
        IdentityProviderRepresentation idp = idp(alias, "facebook", extra);
        idp.getConfig().put("clientId", FakeGraph.APP_ID);
        idp.getConfig().put("clientSecret", FakeGraph.APP_SECRET);
        idp.getConfig().put(FacebookSettings.GRAPH_URL, graph.url());
        idp.getConfig().put(FacebookSettings.GRAPH_TIMEOUT_MILLIS, "1000");
        idp.getConfig().put(NativeSignInSettings.JWKS_URL_OVERRIDE, FakeProvider.facebook().jwksUrl());
        return idp;
    }

    private static IdentityProviderRepresentation idp(String alias, String providerId, Map<String, String> extra) {
        IdentityProviderRepresentation idp = new IdentityProviderRepresentation();
        idp.setAlias(alias);
        idp.setProviderId(providerId);
        idp.setEnabled(true);
        idp.setTrustEmail(true);
        idp.setConfig(new java.util.HashMap<>(extra));
        // keys rotate within a test run; refetch on every unknown kid
        idp.getConfig().put(NativeSignInSettings.JWKS_MIN_REFETCH_SECONDS, "0");
        return idp;
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----";
    }
}
