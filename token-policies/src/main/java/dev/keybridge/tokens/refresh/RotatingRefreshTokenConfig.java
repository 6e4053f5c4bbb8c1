package dev.keybridge.tokens.refresh;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;

/** Settings of one {@code rotating-refresh-token} executor, as stored in the realm's client profile. */
public class RotatingRefreshTokenConfig extends ClientPolicyExecutorConfigurationRepresentation {

    public static final String ROTATE = "rotate-refresh-tokens";
    public static final String REUSE_INTERVAL = "reuse-interval";
    public static final String ON_BREACH = "on-breach";
    public static final String ABSOLUTE_LIFETIME = "absolute-lifetime";
    public static final String IDLE_LIFETIME = "idle-lifetime";

    /** What a detected reuse revokes. */
    public enum BreachScope {
        /** The login's whole user session: every client and every token of it. */
        FAMILY,
        /** Only the presenting client's session, as Keycloak's own realm rotation does. */
        CLIENT;

        public String configValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @JsonProperty(ROTATE)
    private Boolean rotate = Boolean.TRUE;

    @JsonProperty(REUSE_INTERVAL)
    private Integer reuseIntervalSeconds = 0;

    @JsonProperty(ON_BREACH)
    private String onBreach = BreachScope.FAMILY.configValue();

    @JsonProperty(ABSOLUTE_LIFETIME)
    private Integer absoluteLifetimeSeconds = 0;

    @JsonProperty(IDLE_LIFETIME)
    private Integer idleLifetimeSeconds = 0;

    public boolean isRotate() {
        return rotate == null || rotate;
    }

    public void setRotate(Boolean rotate) {
        this.rotate = rotate;
    }

    public int getReuseIntervalSeconds() {
        return reuseIntervalSeconds == null ? 0 : reuseIntervalSeconds;
    }

    public void setReuseIntervalSeconds(Integer reuseIntervalSeconds) {
        this.reuseIntervalSeconds = reuseIntervalSeconds;
    }

    public String getOnBreach() {
        return onBreach;
    }

    public void setOnBreach(String onBreach) {
        this.onBreach = onBreach;
    }

    public int getAbsoluteLifetimeSeconds() {
        return absoluteLifetimeSeconds == null ? 0 : absoluteLifetimeSeconds;
    }

    public void setAbsoluteLifetimeSeconds(Integer absoluteLifetimeSeconds) {
        this.absoluteLifetimeSeconds = absoluteLifetimeSeconds;
    }

    public int getIdleLifetimeSeconds() {
        return idleLifetimeSeconds == null ? 0 : idleLifetimeSeconds;
    }

    public void setIdleLifetimeSeconds(Integer idleLifetimeSeconds) {
        this.idleLifetimeSeconds = idleLifetimeSeconds;
    }

    @JsonIgnore
    public BreachScope breachScope() {
        return onBreach == null || onBreach.isBlank()
                ? BreachScope.FAMILY
                : BreachScope.valueOf(onBreach.trim().toUpperCase(Locale.ROOT));
    }

    /** Called by Keycloak when a profile is saved: a bad value is refused there, not at refresh time. */
    @Override
    public boolean validateConfig() {
        if (getReuseIntervalSeconds() < 0 || getAbsoluteLifetimeSeconds() < 0 || getIdleLifetimeSeconds() < 0) {
            return false;
        }
        try {
            breachScope();
            return true;
        } catch (IllegalArgumentException unknownScope) {
            return false;
        }
    }
}
