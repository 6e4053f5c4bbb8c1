package dev.keybridge.it.hostile;

import java.util.Map;

import dev.keybridge.broker.nativesignin.NativeSignInGrantType;
import dev.keybridge.broker.nativesignin.NativeSignInSettings;
import dev.keybridge.it.brokers.BrokerRealm;
import dev.keybridge.it.brokers.FakeGraph;
import dev.keybridge.it.brokers.FakeProvider;
import dev.keybridge.it.compat.CompatRealms;
import dev.keybridge.it.refresh.RotatingRefreshTokenRealm;
import dev.keybridge.it.tapis.TapisRealm;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

/**
 * One realm serving every Keybridge endpoint at once, each resource with the client it acts for under its default
 * clientId: openK's portal, ErtisAuth, TimeLapseMe (with Google and Apple native sign-in), WatcherEx (confidential),
 * a Tapis service with the generator role, a mobile app for native sign-in at the token endpoint, a client in a
 * rotating-refresh-token profile, and one whose access tokens live one second (for expired tokens). Realm-wide
 * rotation with max reuse 0 is on, as the compatibility refresh routes require; sign-up is open but the password
 * policy (length 12) refuses every password the corpus sends. Hash iterations are 1 so that the many refused logins
 * (and Keycloak's dummy hash for unknown users) stay cheap.
 */
public class HostileRealm implements RealmConfig {

    static final String PASSWORD = "Hostile-pw-0001";
    static final String VIEWER = "viewer";
    static final String MEMBER = "member";
    static final String WX_ADMIN = "wxadmin";
    /** Logs in during set-up and is logged out again: the source of revoked tokens. */
    static final String LEAVER = "leaver";

    static final String OPENK_CLIENT = "openk-portal";
    static final String ERTIS_CLIENT = "ertis";
    static final String TIMELAPSEME_CLIENT = "timelapseme";
    static final String WATCHEREX_CLIENT = "watcherex";
    static final String WATCHEREX_SECRET = "watcherex-secret";
    static final String TAPIS_CLIENT = "jobs";
    static final String TAPIS_SECRET = "jobs-secret";
    static final String MOBILE_CLIENT = "mobile";
    static final String ROTATING_CLIENT = "rotating-app";
    static final String ROTATING_SECRET = "rotating-secret";
    static final String SHORT_LIVED_CLIENT = "short-lived";

    @Override
    public RealmBuilder configure(RealmBuilder realm) {
        CompatRealms.timeLapseMeProfile(CompatRealms.withoutVerifyProfile(realm))
                .eventsEnabled(true)
                .registrationAllowed(true)
                .revokeRefreshToken(true)
                .refreshTokenMaxReuse(0)
                .passwordPolicy("length(12) and hashIterations(1)")
                .realmRoles("watcherex-admin", TapisRealm.GENERATOR_ROLE)
                .clients(ClientBuilder.create(OPENK_CLIENT).publicClient().directAccessGrantsEnabled(),
                        ClientBuilder.create(ERTIS_CLIENT).publicClient().directAccessGrantsEnabled()
                                .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "facebook"),
                        ClientBuilder.create(TIMELAPSEME_CLIENT).publicClient().directAccessGrantsEnabled()
                                .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "google apple"),
                        ClientBuilder.create(WATCHEREX_CLIENT).secret(WATCHEREX_SECRET).directAccessGrantsEnabled().serviceAccountsEnabled(),
                        ClientBuilder.create(TAPIS_CLIENT).secret(TAPIS_SECRET).serviceAccountsEnabled()
                                .protocolMappers(TapisRealm.tapisMapper(Map.of("tapis.target.site", "tacc"))),
                        ClientBuilder.create(MOBILE_CLIENT).publicClient()
                                .attribute(NativeSignInGrantType.CLIENT_ALLOWED_PROVIDERS, "google apple facebook"),
                        ClientBuilder.create(ROTATING_CLIENT).secret(ROTATING_SECRET).directAccessGrantsEnabled(),
                        ClientBuilder.create(SHORT_LIVED_CLIENT).publicClient().directAccessGrantsEnabled()
                                .attribute("access.token.lifespan", "1"))
                .identityProviders(idp(BrokerRealm.googleIdp("google", FakeProvider.google(), Map.of())),
                        idp(BrokerRealm.appleIdp("apple", FakeProvider.apple(), Map.of())),
                        idp(BrokerRealm.facebookIdp("facebook", FakeGraph.named("graph-hostile"), Map.of())))
                .users(user(VIEWER).clientRoles("realm-management", "view-users"),
                        user(MEMBER).attribute("role", "member"),
                        // the admin console's right to create users, so the corpus reaches user creation's validation
                        user(WX_ADMIN).realmRoles("watcherex-admin").clientRoles("realm-management", "manage-users"),
                        user(LEAVER),
                        UserBuilder.create("service-account-" + TAPIS_CLIENT).serviceAccountId(TAPIS_CLIENT)
                                .realmRoles(TapisRealm.GENERATOR_ROLE));
        RotatingRefreshTokenRealm.policy(realm, "rotating", RotatingRefreshTokenRealm.config(0, "family", 0, 0), ROTATING_CLIENT);
        return realm;
    }

    static UserBuilder user(String username) {
        return UserBuilder.create(username).name(username, "Hostile").email(username + "@example.org").emailVerified(true)
                .password(PASSWORD);
    }

    /** The corpus' forged ID tokens name unknown keys: fetch the fakes' keys at most once a minute, as in production. */
    private static IdentityProviderRepresentation idp(IdentityProviderRepresentation idp) {
        idp.getConfig().remove(NativeSignInSettings.JWKS_MIN_REFETCH_SECONDS);
        return idp;
    }

    /** Another realm with the same clients and users: the source of tokens that are valid, but not here. */
    public static class Elsewhere implements RealmConfig {
        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return CompatRealms.withoutVerifyProfile(realm)
                    .clients(ClientBuilder.create(OPENK_CLIENT).publicClient().directAccessGrantsEnabled(),
                            ClientBuilder.create(ERTIS_CLIENT).publicClient().directAccessGrantsEnabled(),
                            ClientBuilder.create(ROTATING_CLIENT).secret(ROTATING_SECRET).directAccessGrantsEnabled())
                    .users(user(VIEWER).clientRoles("realm-management", "view-users"));
        }
    }
}
