package dev.keybridge.tokens.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.keycloak.util.JsonSerialization;

class RotatingRefreshTokenConfigTest {

    @Test
    void serializesUnderTheAdminConsoleKeysOnly() throws Exception {
        RotatingRefreshTokenConfig config = new RotatingRefreshTokenConfig();
        config.setReuseIntervalSeconds(30);
        JsonNode json = JsonSerialization.mapper.valueToTree(config);
        Set<String> keys = new TreeSet<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(Set.of("rotate-refresh-tokens", "reuse-interval", "on-breach", "absolute-lifetime", "idle-lifetime"), keys);
        assertEquals(30, json.get("reuse-interval").asInt());
    }

    @Test
    void readsTheStringValuesTheAdminConsoleSends() throws Exception {
        RotatingRefreshTokenConfig config = JsonSerialization.readValue(
                "{\"rotate-refresh-tokens\":\"false\",\"reuse-interval\":\"15\",\"on-breach\":\"client\",\"idle-lifetime\":\"600\"}",
                RotatingRefreshTokenConfig.class);
        assertFalse(config.isRotate());
        assertEquals(15, config.getReuseIntervalSeconds());
        assertEquals(RotatingRefreshTokenConfig.BreachScope.CLIENT, config.breachScope());
        assertEquals(600, config.getIdleLifetimeSeconds());
        assertEquals(0, config.getAbsoluteLifetimeSeconds());
    }

    @Test
    void refusesNegativeTimesAndUnknownBreachScopes() {
        RotatingRefreshTokenConfig config = new RotatingRefreshTokenConfig();
        assertTrue(config.validateConfig());
        config.setOnBreach("everything");
        assertFalse(config.validateConfig());
        config.setOnBreach("family");
        config.setReuseIntervalSeconds(-1);
        assertFalse(config.validateConfig());
    }
}
