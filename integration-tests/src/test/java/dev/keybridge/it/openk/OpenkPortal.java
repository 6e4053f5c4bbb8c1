package dev.keybridge.it.openk;

/** The openK portal as the openK tests' realms know it: a public client calling from its web origin. */
public final class OpenkPortal {

    public static final String CLIENT = "openk-portal";
    public static final String ORIGIN = "https://portal.example";

    private OpenkPortal() {
    }
}
