package dev.keybridge.rest.openk;

/** The body of openK's POST /login. */
record LoginRequest(String userName, String password) {
}
