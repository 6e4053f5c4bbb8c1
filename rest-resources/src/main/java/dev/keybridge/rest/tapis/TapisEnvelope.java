package dev.keybridge.rest.tapis;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Tapis' response envelope (tapisservice tapisflask/utils.py ok() and error()): every field is
 * always present, {@code result} is null on errors.
 */
@JsonPropertyOrder({"message", "metadata", "result", "status", "version"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TapisEnvelope(String message, Map<String, Object> metadata, Object result, String status, String version) {

    static final String VERSION = versionOfThisBuild();

    static TapisEnvelope success(String message, Object result) {
        return new TapisEnvelope(message, Map.of(), result, "success", VERSION);
    }

    static TapisEnvelope error(String message) {
        return new TapisEnvelope(message, Map.of(), null, "error", VERSION);
    }

    private static String versionOfThisBuild() {
        String version = TapisEnvelope.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
