package dev.keybridge.it.hostile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Keybridge endpoint as the hostile corpus sees it: a base request that must not succeed whatever single part the
 * corpus replaces (it names an unknown user, a taken username, a dead token ...), the parts that may be replaced, and
 * the error shape the endpoint documents. Only read-only endpoints get a live credential in their base request.
 */
final class Endpoint {

    /** How the body's fields travel. */
    enum Encoding { NONE, JSON, FORM }

    /** Where the credential goes: an Authorization header with a prefix, or a body field. */
    record Credential(String headerPrefix, String field, String value) {
        static Credential bearer(String token) {
            return new Credential("Bearer ", null, token);
        }

        static Credential basic(String encoded) {
            return new Credential("Basic ", null, encoded);
        }

        static Credential field(String name, String token) {
            return new Credential(null, name, token);
        }

        boolean inHeader() {
            return headerPrefix != null;
        }
    }

    final String name;
    final String method;
    final String pathTemplate;
    final ErrorShape shape;
    Encoding encoding = Encoding.NONE;
    final Map<String, String> pathParams = new LinkedHashMap<>();
    final Map<String, String> query = new LinkedHashMap<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    /** Body fields; a dotted name is a nested object ({@code token.idToken}). */
    final Map<String, Object> fields = new LinkedHashMap<>();
    Credential credential;

    private Endpoint(String method, String pathTemplate, ErrorShape shape) {
        this.name = method + " " + pathTemplate;
        this.method = method;
        this.pathTemplate = pathTemplate;
        this.shape = shape;
    }

    static Endpoint of(String method, String pathTemplate, ErrorShape shape) {
        return new Endpoint(method, pathTemplate, shape);
    }

    Endpoint path(String name, String value) {
        pathParams.put(name, value);
        return this;
    }

    Endpoint query(String name, String value) {
        query.put(name, value);
        return this;
    }

    Endpoint header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    Endpoint json(Object... namesAndValues) {
        return body(Encoding.JSON, namesAndValues);
    }

    Endpoint form(Object... namesAndValues) {
        return body(Encoding.FORM, namesAndValues);
    }

    Endpoint credential(Credential credential) {
        this.credential = credential;
        return this;
    }

    private Endpoint body(Encoding encoding, Object... namesAndValues) {
        this.encoding = encoding;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return this;
    }

    @Override
    public String toString() {
        return name;
    }
}
