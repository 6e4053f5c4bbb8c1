package dev.keybridge.it.openk;

import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.UserBuilder;

/** The openK portal as the openK tests' realms know it: a public client calling from its web origin, and its users. */
public final class OpenkPortal {

    public static final String CLIENT = "openk-portal";
    public static final String ORIGIN = "https://portal.example";
    public static final String PASSWORD = "Openk-pw-1";

    /** The portal's client: public, signing users in with the password grant. */
    public static ClientBuilder client() {
        return ClientBuilder.create(CLIENT).publicClient().directAccessGrantsEnabled();
    }

    /** A portal user with a verified e-mail address and {@link #PASSWORD}. */
    public static UserBuilder user(String username) {
        return UserBuilder.create(username).name(username, "Tester").email(username + "@example.org")
                .emailVerified(true).password(PASSWORD);
    }

    private OpenkPortal() {
    }
}
