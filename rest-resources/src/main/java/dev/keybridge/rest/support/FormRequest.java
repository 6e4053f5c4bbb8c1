package dev.keybridge.rest.support;

import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import jakarta.ws.rs.core.AbstractMultivaluedMap;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import org.keycloak.http.FormPartValue;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.KeycloakSession;

/**
 * The current request as a form post with the given parameters in place of its body, so that Keycloak's token
 * endpoint and client authenticators, which read the form only when the content type is a form, serve a
 * compatibility API that received JSON. Other headers (Authorization, Origin, DPoP ...) are kept.
 */
public record FormRequest(HttpRequest delegate, MultivaluedMap<String, String> form) implements HttpRequest {

    /** Runs {@code work} with the session's request replaced by this form post, and puts the request back after. */
    public static <T> T with(KeycloakSession session, MultivaluedMap<String, String> form, Supplier<T> work) {
        HttpRequest original = session.getContext().getHttpRequest();
        session.getContext().setHttpRequest(new FormRequest(original, form));
        try {
            return work.get();
        } finally {
            session.getContext().setHttpRequest(original);
        }
    }

    @Override
    public String getHttpMethod() {
        return delegate.getHttpMethod();
    }

    @Override
    public MultivaluedMap<String, String> getDecodedFormParameters() {
        return form;
    }

    @Override
    public MultivaluedMap<String, FormPartValue> getMultiPartFormParameters() {
        return new MultivaluedHashMap<>();
    }

    @Override
    public HttpHeaders getHttpHeaders() {
        return new FormHeaders(delegate.getHttpHeaders());
    }

    @Override
    public X509Certificate[] getClientCertificateChain() {
        return delegate.getClientCertificateChain();
    }

    @Override
    public UriInfo getUri() {
        return delegate.getUri();
    }

    @Override
    public boolean isProxyTrusted() {
        return delegate.isProxyTrusted();
    }

    /** The request's headers with the content type of a form post. */
    private record FormHeaders(HttpHeaders delegate) implements HttpHeaders {

        private static final String FORM = MediaType.APPLICATION_FORM_URLENCODED;

        @Override
        public List<String> getRequestHeader(String name) {
            return CONTENT_TYPE.equalsIgnoreCase(name) ? List.of(FORM) : delegate.getRequestHeader(name);
        }

        @Override
        public String getHeaderString(String name) {
            return CONTENT_TYPE.equalsIgnoreCase(name) ? FORM : delegate.getHeaderString(name);
        }

        /** Case-insensitive as HTTP header names are: client authenticators look up {@code Authorization}. */
        @Override
        public MultivaluedMap<String, String> getRequestHeaders() {
            MultivaluedMap<String, String> headers = new AbstractMultivaluedMap<>(new TreeMap<>(String.CASE_INSENSITIVE_ORDER)) {
            };
            delegate.getRequestHeaders().forEach((name, values) -> {
                if (!CONTENT_TYPE.equalsIgnoreCase(name)) {
                    headers.put(name, values);
                }
            });
            headers.putSingle(CONTENT_TYPE, FORM);
            return headers;
        }

        @Override
        public List<MediaType> getAcceptableMediaTypes() {
            return delegate.getAcceptableMediaTypes();
        }

        @Override
        public List<Locale> getAcceptableLanguages() {
            return delegate.getAcceptableLanguages();
        }

        @Override
        public MediaType getMediaType() {
            return MediaType.APPLICATION_FORM_URLENCODED_TYPE;
        }

        @Override
        public Locale getLanguage() {
            return delegate.getLanguage();
        }

        @Override
        public Map<String, Cookie> getCookies() {
            return delegate.getCookies();
        }

        @Override
        public Date getDate() {
            return delegate.getDate();
        }

        @Override
        public int getLength() {
            return delegate.getLength();
        }
    }
}
