package dev.keybridge.rest.openk;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One portal module as openK's /userModulesForUser returns it.
 *
 * @param order position among modules (attribute {@code module.order}); not part of the JSON
 */
record ModuleConfig(String name, int cols, String link, String pictureLink, String requiredRole,
                    @JsonIgnore int order) {
}
