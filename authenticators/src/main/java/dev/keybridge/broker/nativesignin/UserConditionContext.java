package dev.keybridge.broker.nativesignin;

import java.lang.reflect.Proxy;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The flow context a condition's {@code matchCondition} gets during native sign-in, where there is no
 * authentication session: it answers only with the session, the realm, the user, the condition's execution and its
 * configuration. Anything else a condition asks for throws {@link UnsupportedOperationException}, so a
 * condition that needs more is never judged on a made-up answer.
 */
final class UserConditionContext {

    private UserConditionContext() {
    }

    static AuthenticationFlowContext of(KeycloakSession session, RealmModel realm, UserModel user, AuthenticationExecutionModel condition) {
        String configId = condition.getAuthenticatorConfig();
        AuthenticatorConfigModel config = configId == null ? null : realm.getAuthenticatorConfigById(configId);
        return (AuthenticationFlowContext) Proxy.newProxyInstance(AuthenticationFlowContext.class.getClassLoader(),
                new Class<?>[] {AuthenticationFlowContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getSession" -> session;
                    case "getRealm" -> realm;
                    case "getUser" -> user;
                    case "getExecution" -> condition;
                    case "getAuthenticatorConfig" -> config;
                    case "toString" -> "native sign-in condition context of " + condition.getAuthenticator();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName() + "()");
                });
    }
}
