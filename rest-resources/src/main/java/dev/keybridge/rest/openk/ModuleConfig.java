package dev.keybridge.rest.openk;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One portal module as openK's /userModulesForUser returns it: always the original's five fields, a link the
 * client does not set as null (the portal reads each field by name).
 *
 * @param order position among modules (attribute {@code module.order}); not part of the JSON
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record ModuleConfig(String name, int cols, String link, String pictureLink, String requiredRole,
                    @JsonIgnore int order) {
}
