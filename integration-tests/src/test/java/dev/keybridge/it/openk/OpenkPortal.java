package dev.keybridge.it.openk;

import org.keycloak.testframework.realm.UserBuilder;

/** The openK portal as the openK tests' realms know it: a public client calling from its web origin, and its users. */
public final class OpenkPortal {

    public static final String CLIENT = "openk-portal";
    public static final String ORIGIN = "https://portal.example";
    public static final String PASSWORD = "Openk-pw-1";

    private OpenkPortal() {
    }

    /** A portal user with a verified e-mail address and {@link #PASSWORD}. */
    public static UserBuilder user(String username) {
        return UserBuilder.create(username).name(username, "Tester").email(username + "@example.org")
                .emailVerified(true).password(PASSWORD);
    }
}
