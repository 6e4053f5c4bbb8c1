package dev.keybridge.broker.nativesignin;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Reads the identity provider's first-login and post-login flows the way a browser login would walk
 * them ({@code DefaultAuthenticationFlow}: the required and conditional executions of a flow in
 * order; its alternatives only when it has no required ones, the first that does not skip itself
 * deciding) and tells whether they would end without showing the person a page. Native sign-in
 * cannot show pages, so it goes ahead only then.
 * <p>
 * Only these steps are known to need no page:
 * <ul>
 * <li>{@code idp-review-profile} with "update profile on first login" {@code off}, or {@code missing}
 *     when the realm's user profile accepts the token's data as it is (the same validation the step runs);</li>
 * <li>{@code idp-create-user-if-unique} for a new account, unless it makes new users update a password;
 *     for an existing account it skips itself, as in the browser;</li>
 * <li>{@code idp-confirm-link}, {@code idp-email-verification}, {@code idp-auto-link} and
 *     {@code idp-detect-existing-broker-user} for an existing account that native sign-in links, which
 *     it does only when the email is verified on both sides (the proof those steps ask for);</li>
 * <li>{@code idp-add-organization-member} when the realm has organizations off or the IdP belongs to no
 *     organization (the stock flow's "Conditional Organization" sub-flow);</li>
 * <li>{@code allow-access-authenticator}; {@code deny-access-authenticator} denies.</li>
 * </ul>
 * Any other step (password, OTP, terms, a form sub-flow, steps of other extensions) could show a page.
 * A conditional sub-flow whose body is not all of the above runs only when its conditions match, as in
 * the browser: Keycloak's user conditions ({@code conditional-user-configured}, {@code -user-role},
 * {@code -user-attribute}) are evaluated for the account signing in; any other condition, or any
 * condition before the account exists, counts as needing the browser.
 */
final class BrokerLoginFlows {

    /** Where in a broker login the flow runs. */
    enum Stage {
        /** first login, no account with the token's email: native sign-in creates one */
        NEW_ACCOUNT,
        /** first login, an account with the token's email exists: native sign-in links it */
        EXISTING_ACCOUNT,
        /** the post-login flow, run after every broker login */
        AFTER_LOGIN
    }

    /** How a flow ends for native sign-in. {@code step} names the execution that decided it. */
    record Verdict(Kind kind, String step) {
        enum Kind { PASSES, NEEDS_INTERACTION, DENIES, FAILS }

        boolean passes() {
            return kind == Kind.PASSES;
        }
    }

    private static final String REVIEW_PROFILE = "idp-review-profile";
    private static final String REVIEW_PROFILE_MODE = "update.profile.on.first.login";
    private static final String CREATE_USER_IF_UNIQUE = "idp-create-user-if-unique";
    private static final String PASSWORD_UPDATE_AFTER_REGISTRATION = "require.password.update.after.registration";
    private static final String ADD_ORGANIZATION_MEMBER = "idp-add-organization-member";
    private static final String ALLOW_ACCESS = "allow-access-authenticator";
    private static final String DENY_ACCESS = "deny-access-authenticator";
    private static final List<String> EXISTING_ACCOUNT_STEPS = List.of("idp-confirm-link", "idp-email-verification", "idp-auto-link",
            "idp-detect-existing-broker-user");
    private static final String BASIC_FLOW = "basic-flow";
    /** Keycloak's conditions that read only the user, the realm and their own configuration. */
    private static final List<String> USER_CONDITIONS = List.of("conditional-user-configured", "conditional-user-role",
            "conditional-user-attribute");

    /** An execution's result; {@code SKIPPED} is an alternative that steps aside (or a required one that fails). */
    private record Result(Kind kind, String step) {
        enum Kind { SUCCESS, SKIPPED, PROMPTS, DENIES }
    }

    private static final Result SUCCESS = new Result(Result.Kind.SUCCESS, null);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final IdentityProviderModel idp;
    private final Stage stage;
    /** The user-profile problems of the token's data for the review-profile step, or null when there are none. */
    private final Supplier<String> profileProblems;
    /** The account signing in, for conditions; null while it does not exist yet. */
    private final UserModel user;

    private BrokerLoginFlows(KeycloakSession session, RealmModel realm, IdentityProviderModel idp, Stage stage,
                             Supplier<String> profileProblems, UserModel user) {
        this.session = session;
        this.realm = realm;
        this.idp = idp;
        this.stage = stage;
        this.profileProblems = profileProblems;
        this.user = user;
    }

    /**
     * The IdP's first-login flow, or the realm's default one, as the browser picks it.
     *
     * @param user the existing account being linked; null for a new one
     */
    static Verdict firstLogin(KeycloakSession session, RealmModel realm, IdentityProviderModel idp, Stage stage,
                              Supplier<String> profileProblems, UserModel user) {
        String flowId = idp.getFirstBrokerLoginFlowId();
        AuthenticationFlowModel flow = flowId == null || flowId.isBlank() ? realm.getFirstBrokerLoginFlow() : realm.getAuthenticationFlowById(flowId);
        return new BrokerLoginFlows(session, realm, idp, stage, profileProblems, user).verdict(flow);
    }

    /** The IdP's post-login flow for the account signing in; none configured passes. */
    static Verdict afterLogin(KeycloakSession session, RealmModel realm, IdentityProviderModel idp, UserModel user) {
        String flowId = idp.getPostBrokerLoginFlowId();
        if (flowId == null || flowId.isBlank()) {
            return new Verdict(Verdict.Kind.PASSES, null);
        }
        return new BrokerLoginFlows(session, realm, idp, Stage.AFTER_LOGIN, () -> null, user).verdict(realm.getAuthenticationFlowById(flowId));
    }

    private Verdict verdict(AuthenticationFlowModel flow) {
        if (flow == null) {
            // the browser fails such a login too ("flow not configured for identity provider")
            return new Verdict(Verdict.Kind.FAILS, "(flow not found)");
        }
        Result result = flow(flow);
        return switch (result.kind()) {
            case SUCCESS -> new Verdict(Verdict.Kind.PASSES, null);
            case PROMPTS -> new Verdict(Verdict.Kind.NEEDS_INTERACTION, result.step());
            case DENIES -> new Verdict(Verdict.Kind.DENIES, result.step());
            case SKIPPED -> new Verdict(Verdict.Kind.FAILS, result.step() != null ? result.step() : flow.getAlias());
        };
    }

    private Result flow(AuthenticationFlowModel flow) {
        if (!BASIC_FLOW.equals(flow.getProviderId())) {
            return new Result(Result.Kind.PROMPTS, "sub-flow '" + flow.getAlias() + "' (" + flow.getProviderId() + ")");
        }
        List<AuthenticationExecutionModel> executions = realm.getAuthenticationExecutionsStream(flow.getId())
                .filter(e -> !e.isDisabled() && !isCondition(e)).toList();
        List<AuthenticationExecutionModel> required = executions.stream().filter(e -> e.isRequired() || e.isConditional()).toList();
        if (!required.isEmpty()) {
            for (AuthenticationExecutionModel execution : required) {
                Result result = execution(execution);
                if (execution.isConditional() && execution.isAuthenticatorFlow() && result.kind() != Result.Kind.SUCCESS) {
                    result = conditionalSubFlow(execution, result);
                }
                if (result.kind() != Result.Kind.SUCCESS) {
                    return result;
                }
            }
            return SUCCESS;
        }
        Result last = executions.isEmpty() ? SUCCESS : new Result(Result.Kind.SKIPPED, flow.getAlias());
        for (AuthenticationExecutionModel alternative : executions) {
            Result result = execution(alternative);
            if (result.kind() != Result.Kind.SKIPPED) {
                return result;
            }
            last = result;
        }
        return last;
    }

    /**
     * A conditional sub-flow whose body would not pass on its own runs only when all its enabled conditions match
     * ({@code DefaultAuthenticationFlow}: none, or one that does not match, skips it). Conditions are evaluated for the
     * signing-in user; one that cannot be (no user yet, a condition type not known to need only the user, or one that
     * asks its context for anything else) counts as needing the browser, never as a pass.
     */
    private Result conditionalSubFlow(AuthenticationExecutionModel execution, Result body) {
        String subFlow = "conditional sub-flow '" + alias(execution) + "'";
        List<AuthenticationExecutionModel> conditions = realm.getAuthenticationExecutionsStream(execution.getFlowId())
                .filter(e -> !e.isDisabled() && isCondition(e)).toList();
        if (conditions.isEmpty()) {
            // a conditional sub-flow without conditions never runs
            return SUCCESS;
        }
        for (AuthenticationExecutionModel condition : conditions) {
            String type = condition.getAuthenticator();
            if (user == null || !USER_CONDITIONS.contains(type)) {
                return new Result(Result.Kind.PROMPTS, subFlow + " (condition " + type + " is evaluated only in the browser)");
            }
            Authenticator authenticator = session.getProvider(Authenticator.class, type);
            boolean matches;
            try {
                matches = ((ConditionalAuthenticator) authenticator).matchCondition(UserConditionContext.of(session, realm, user, condition));
            } catch (UnsupportedOperationException needsMore) {
                return new Result(Result.Kind.PROMPTS, subFlow + " (condition " + type + " needs " + needsMore.getMessage() + ")");
            }
            if (!matches) {
                return SUCCESS;
            }
        }
        return body.kind() == Result.Kind.DENIES ? body : new Result(Result.Kind.PROMPTS, subFlow + " at step " + body.step());
    }

    private Result execution(AuthenticationExecutionModel execution) {
        if (execution.isAuthenticatorFlow()) {
            AuthenticationFlowModel subFlow = realm.getAuthenticationFlowById(execution.getFlowId());
            return subFlow == null ? new Result(Result.Kind.SKIPPED, "(missing sub-flow)") : flow(subFlow);
        }
        String step = execution.getAuthenticator();
        Map<String, String> config = config(execution);
        if (ALLOW_ACCESS.equals(step)) {
            return SUCCESS;
        }
        if (DENY_ACCESS.equals(step)) {
            return new Result(Result.Kind.DENIES, step);
        }
        if (stage != Stage.AFTER_LOGIN) {
            if (REVIEW_PROFILE.equals(step)) {
                return reviewProfile(config);
            }
            if (CREATE_USER_IF_UNIQUE.equals(step)) {
                if (stage == Stage.EXISTING_ACCOUNT) {
                    return new Result(Result.Kind.SKIPPED, step);
                }
                return Boolean.parseBoolean(config.get(PASSWORD_UPDATE_AFTER_REGISTRATION))
                        ? new Result(Result.Kind.PROMPTS, step + " (new users must set a password)") : SUCCESS;
            }
            if (EXISTING_ACCOUNT_STEPS.contains(step)) {
                return stage == Stage.EXISTING_ACCOUNT ? SUCCESS : new Result(Result.Kind.SKIPPED, step);
            }
            if (ADD_ORGANIZATION_MEMBER.equals(step) && (!realm.isOrganizationsEnabled() || idp.getOrganizationId() == null)) {
                // no organization to join through this IdP; with one, the browser adds the membership
                return SUCCESS;
            }
        }
        return new Result(Result.Kind.PROMPTS, step);
    }

    private Result reviewProfile(Map<String, String> config) {
        String mode = config.getOrDefault(REVIEW_PROFILE_MODE, "missing");
        if ("off".equals(mode)) {
            return SUCCESS;
        }
        if ("missing".equals(mode)) {
            String problems = profileProblems.get();
            return problems == null ? SUCCESS : new Result(Result.Kind.PROMPTS, REVIEW_PROFILE + " (" + problems + ")");
        }
        return new Result(Result.Kind.PROMPTS, REVIEW_PROFILE + " (update profile on first login: " + mode + ")");
    }

    private Map<String, String> config(AuthenticationExecutionModel execution) {
        String id = execution.getAuthenticatorConfig();
        AuthenticatorConfigModel config = id == null ? null : realm.getAuthenticatorConfigById(id);
        return config == null || config.getConfig() == null ? Map.of() : config.getConfig();
    }

    private boolean isCondition(AuthenticationExecutionModel execution) {
        return !execution.isAuthenticatorFlow() && session.getKeycloakSessionFactory()
                .getProviderFactory(Authenticator.class, execution.getAuthenticator()) instanceof ConditionalAuthenticatorFactory;
    }

    private String alias(AuthenticationExecutionModel execution) {
        AuthenticationFlowModel flow = realm.getAuthenticationFlowById(execution.getFlowId());
        return flow == null ? execution.getFlowId() : flow.getAlias();
    }
}
