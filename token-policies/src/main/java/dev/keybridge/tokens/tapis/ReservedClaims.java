package dev.keybridge.tokens.tapis;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.representations.LogoutToken;
import org.keycloak.representations.RefreshToken;
import org.keycloak.util.JsonSerialization;

/**
 * Claim names that extra Tapis claims may never take, compared case-insensitively: resource servers authorize on
 * them, and many libraries read claims without regard to case. They are the names registered for JWTs (IANA "JSON
 * Web Token Claims", which includes the OpenID Connect Core standard claims) and every JSON property of Keycloak's
 * own token classes, read from those classes so a Keycloak upgrade that adds one is covered.
 */
public final class ReservedClaims {

    /** The IANA JSON Web Token Claims registry (RFC 7519 section 10.1) and OpenID Connect Core 1.0 section 5.1. */
    private static final Set<String> REGISTERED = Set.of(
            "iss", "sub", "aud", "exp", "nbf", "iat", "jti",
            "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
            "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number",
            "phone_number_verified", "address", "updated_at", "_claim_names", "_claim_sources",
            "azp", "nonce", "auth_time", "at_hash", "c_hash", "s_hash", "acr", "amr", "sub_jwk", "cnf", "sid", "events",
            "sip_from_tag", "sip_date", "sip_callid", "sip_cseq_num", "sip_via_branch", "orig", "dest", "mky", "toe",
            "txn", "rph", "vot", "vtm", "attest", "origid", "act", "scope", "client_id", "may_act", "jcard",
            "at_use_nbr", "div", "opt", "vc", "vp", "sph", "ace_profile", "cnonce", "exi", "roles", "groups",
            "entitlements", "token_introspection", "ueid", "sueids", "oemid", "hwmodel", "hwversion", "secboot",
            "dbgstat", "location", "eat_profile", "submods", "eat_nonce", "cdniv", "cdnicrit", "cdniip", "cdniuc",
            "cdniets", "cdnistt", "cdnistd", "sig_val_claims", "authorization_details", "verified_claims",
            "place_of_birth", "nationalities", "birth_family_name", "birth_given_name", "birth_middle_name",
            "salutation", "title", "msisdn", "also_known_as", "htm", "htu", "ath", "atc", "sub_id", "rcd", "rcdi",
            "crn", "msgi", "_sd", "_sd_alg", "sd_hash", "rdap_allowed_purposes", "rdap_dnt_allowed", "geohash",
            "status", "status_list", "ttl", "vct", "vct#integrity", "intuse", "dloas", "swname", "swversion",
            "manifests", "measurements", "measres", "uptime", "bootcount", "bootseed", "typ",
            // Keycloak's session claim before 26, still read by older adapters
            "session_state");

    private static final Set<String> ALL = Stream.concat(REGISTERED.stream(),
                    Stream.of(JsonWebToken.class, IDToken.class, AccessToken.class, RefreshToken.class, LogoutToken.class)
                            .flatMap(ReservedClaims::jsonProperties))
            .map(ReservedClaims::normalized)
            .collect(Collectors.toUnmodifiableSet());

    private ReservedClaims() {
    }

    /** Whether {@code claim}, in any case, is a registered claim or one of Keycloak's token fields. */
    public static boolean isReserved(String claim) {
        return ALL.contains(normalized(claim));
    }

    /** The form names are compared in. */
    public static String normalized(String claim) {
        return claim.toLowerCase(Locale.ROOT);
    }

    private static Stream<String> jsonProperties(Class<?> tokenClass) {
        JavaType type = JsonSerialization.mapper.constructType(tokenClass);
        return Stream.concat(
                JsonSerialization.mapper.getSerializationConfig().introspect(type).findProperties().stream(),
                JsonSerialization.mapper.getDeserializationConfig().introspect(type).findProperties().stream())
                .map(BeanPropertyDefinition::getName);
    }
}
