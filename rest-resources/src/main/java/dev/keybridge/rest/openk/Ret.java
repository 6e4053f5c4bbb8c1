package dev.keybridge.rest.openk;

/** openK's acknowledgement body {@code {"ret":"OK"}}. */
record Ret(String ret) {

    static final Ret OK = new Ret("OK");
}
