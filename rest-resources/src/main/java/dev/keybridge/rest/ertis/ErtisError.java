package dev.keybridge.rest.ertis;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.keybridge.rest.support.ApiException;

/**
 * ErtisAuth's error catalog (codes, statuses and messages of its {@code ErtisAuthException}) and its error body.
 * The original writes {@code {Message, ErrorCode, StatusCode}} from its exception and auth handlers, but
 * camelCase {@code {message, errorCode, statusCode}} from controller results such as XErtisAliasMissing.
 */
final class ErtisError {

    static final String X_ERTIS_ALIAS_MISSING = "XErtisAliasMissing";

    private ErtisError() {
    }

    static Map<String, Object> body(ApiException failure) {
        boolean camel = X_ERTIS_ALIAS_MISSING.equals(failure.error());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(camel ? "message" : "Message", failure.description());
        body.put(camel ? "errorCode" : "ErrorCode", failure.error());
        body.put(camel ? "statusCode" : "StatusCode", failure.status());
        return body;
    }

    static ApiException xErtisAliasMissing() {
        return new ApiException(400, X_ERTIS_ALIAS_MISSING, "Membership id should be added in headers with 'X-Ertis-Alias' key.");
    }

    static ApiException membershipNotFound(String membershipId) {
        return new ApiException(404, "MembershipNotFound", "Membership not found in db by given membership_id: <" + membershipId + ">");
    }

    static ApiException authorizationHeaderMissing() {
        return new ApiException(400, "AuthorizationHeaderMissing", "Authorization header missing or empty");
    }

    static ApiException tokenTypeNotSupported() {
        return new ApiException(400, "TokenTypeNotSupported", "Token type not supported. Token type must be one of Bearer or Basic");
    }

    static ApiException bearerTokenRequired() {
        return new ApiException(400, "BearerTokenRequired", "Token type must be Bearer for this action");
    }

    static ApiException invalidToken() {
        return new ApiException(401, "InvalidToken", "Provided token is invalid");
    }

    static ApiException tokenWasExpired() {
        return new ApiException(401, "TokenWasExpired", "Provided token was expired");
    }

    static ApiException tokenWasRevoked() {
        return new ApiException(401, "TokenWasRevoked", "Provided token was revoked");
    }

    static ApiException refreshTokenWasExpired() {
        return new ApiException(401, "RefreshTokenWasExpired", "Provided refresh token was expired");
    }

    static ApiException refreshTokenWasRevoked() {
        return new ApiException(401, "RefreshTokenWasRevoked", "Provided refresh token was revoked");
    }

    static ApiException tokenIsNotRefreshable(String message) {
        return new ApiException(401, "TokenIsNotRefreshable", message);
    }

    static ApiException usernameOrPasswordIsWrong() {
        return new ApiException(401, "UsernameOrPasswordIsWrong", "Username or password is wrong");
    }

    static ApiException userInactive(String id) {
        return new ApiException(401, "UserInactive", "User is inactive (" + id + ")");
    }

    static ApiException unauthorized(String message) {
        return new ApiException(401, "Unauthorized", message);
    }

    static ApiException accessDenied(String message) {
        return new ApiException(403, "AccessDenied", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "NotFound", message);
    }

    static ApiException applicationNotFound(String id) {
        return new ApiException(404, "ApplicationNotFound", "Application not found in db by given id: <" + id + ">");
    }

    static ApiException applicationSecretMismatch() {
        return new ApiException(401, "ApplicationSecretMismatch", "Application secret mismatch");
    }

    static ApiException validation(String detail) {
        return new ApiException(400, "ModelValidationError",
                "Some fields are not validated, invalid or missing. Check response detail. (" + detail + ")");
    }
}
