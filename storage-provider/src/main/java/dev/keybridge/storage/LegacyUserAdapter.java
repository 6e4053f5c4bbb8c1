package dev.keybridge.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.storage.ReadOnlyException;
import org.keycloak.storage.StorageId;
import org.keycloak.storage.adapter.AbstractUserAdapterFederatedStorage;

/**
 * A user that lives in the legacy table (federated modes). Mapped columns are read from the row
 * and, when the component is writable, written back to it; everything Keycloak keeps for a user
 * that the table has no column for (roles, groups, required actions, other attributes) goes to
 * Keycloak's federated storage as usual.
 */
final class LegacyUserAdapter extends AbstractUserAdapterFederatedStorage {

    private final StorageConfig config;
    private final LegacyUserTable table;
    private LegacyUser row;
    /**
     * This user's attributes in Keycloak's federated storage, read once: Keycloak's base adapter
     * queries them again for every getter, and caching a user reads enabled, email verified, first
     * and last name and all attributes, five queries where one does. Dropped on every write through
     * this adapter, which lives for one session.
     */
    private MultivaluedHashMap<String, String> federatedAttributes;

    LegacyUserAdapter(KeycloakSession session, RealmModel realm, ComponentModel model, StorageConfig config,
                      LegacyUserTable table, LegacyUser row) {
        super(session, realm, model);
        this.config = config;
        this.table = table;
        this.row = row;
        this.storageId = new StorageId(StorageId.keycloakId(model, row.id()));
    }

    String legacyId() {
        return row.id();
    }

    @Override
    public String getUsername() {
        return row.username().toLowerCase(Locale.ROOT);
    }

    @Override
    public void setUsername(String username) {
        write(config.usernameColumn(), getUsername(), username == null ? null : username.toLowerCase(Locale.ROOT));
    }

    @Override
    public String getEmail() {
        if (config.emailColumn() == null) {
            return federatedAttribute(UserModel.EMAIL);
        }
        return row.email() == null ? null : row.email().toLowerCase(Locale.ROOT);
    }

    @Override
    public void setEmail(String email) {
        if (config.emailColumn() == null) {
            setFederatedAttribute(UserModel.EMAIL, email);
        } else {
            write(config.emailColumn(), getEmail(), email == null ? null : email.toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public String getFirstName() {
        return config.firstNameColumn() == null ? federatedAttribute(UserModel.FIRST_NAME) : row.firstName();
    }

    @Override
    public void setFirstName(String firstName) {
        if (config.firstNameColumn() == null) {
            setFederatedAttribute(UserModel.FIRST_NAME, firstName);
        } else {
            write(config.firstNameColumn(), row.firstName(), firstName);
        }
    }

    @Override
    public String getLastName() {
        return config.lastNameColumn() == null ? federatedAttribute(UserModel.LAST_NAME) : row.lastName();
    }

    @Override
    public void setLastName(String lastName) {
        if (config.lastNameColumn() == null) {
            setFederatedAttribute(UserModel.LAST_NAME, lastName);
        } else {
            write(config.lastNameColumn(), row.lastName(), lastName);
        }
    }

    @Override
    public boolean isEnabled() {
        if (config.enabledColumn() == null || row.enabled() == null) {
            return super.isEnabled();
        }
        return row.enabled();
    }

    @Override
    public void setEnabled(boolean enabled) {
        if (config.enabledColumn() == null) {
            super.setEnabled(enabled);
        } else {
            write(config.enabledColumn(), isEnabled(), enabled);
        }
    }

    @Override
    public Long getCreatedTimestamp() {
        return row.createdTimestamp() != null ? row.createdTimestamp() : super.getCreatedTimestamp();
    }

    @Override
    public String getFirstAttribute(String name) {
        return switch (name) {
            case UserModel.FIRST_NAME -> getFirstName();
            case UserModel.LAST_NAME -> getLastName();
            case UserModel.EMAIL -> getEmail();
            case UserModel.USERNAME -> getUsername();
            default -> isColumnAttribute(name) ? columnAttribute(name) : federatedAttribute(name);
        };
    }

    @Override
    public Stream<String> getAttributeStream(String name) {
        if (isColumnAttribute(name) || name.equals(UserModel.FIRST_NAME) || name.equals(UserModel.LAST_NAME)
                || name.equals(UserModel.EMAIL)) {
            String value = getFirstAttribute(name);
            return value == null ? Stream.empty() : Stream.of(value);
        }
        if (name.equals(UserModel.USERNAME)) {
            return Stream.of(getUsername());
        }
        List<String> values = federatedAttributes().get(mapAttribute(name));
        return values == null ? Stream.empty() : List.copyOf(values).stream();
    }

    @Override
    public Map<String, List<String>> getAttributes() {
        MultivaluedHashMap<String, String> attributes = new MultivaluedHashMap<>();
        federatedAttributes().forEach((name, values) -> attributes.put(name, new ArrayList<>(values)));
        // the base adapter's keys for names and email; the values below replace them
        attributes.remove(FIRST_NAME_ATTRIBUTE);
        attributes.remove(LAST_NAME_ATTRIBUTE);
        attributes.remove(EMAIL_ATTRIBUTE);
        putSingle(attributes, UserModel.USERNAME, getUsername());
        putSingle(attributes, UserModel.FIRST_NAME, getFirstName());
        putSingle(attributes, UserModel.LAST_NAME, getLastName());
        putSingle(attributes, UserModel.EMAIL, getEmail());
        if (!config.idAttribute().isEmpty()) {
            putSingle(attributes, config.idAttribute(), row.id());
        }
        row.attributes().forEach((name, value) -> putSingle(attributes, name, value));
        return attributes;
    }

    @Override
    public void setSingleAttribute(String name, String value) {
        if (!writeIfMapped(name, value)) {
            setFederatedAttribute(name, value);
        }
    }

    @Override
    public void setAttribute(String name, List<String> values) {
        String value = values == null || values.isEmpty() ? null : values.get(0);
        if (!writeIfMapped(name, value)) {
            federatedAttributes = null;
            super.setAttribute(name, values);
        }
    }

    @Override
    public void removeAttribute(String name) {
        if (!writeIfMapped(name, null)) {
            federatedAttributes = null;
            super.removeAttribute(name);
        }
    }

    private void setFederatedAttribute(String name, String value) {
        federatedAttributes = null;
        super.setSingleAttribute(name, value);
    }

    private String federatedAttribute(String name) {
        return federatedAttributes().getFirst(mapAttribute(name));
    }

    private MultivaluedHashMap<String, String> federatedAttributes() {
        if (federatedAttributes == null) {
            MultivaluedHashMap<String, String> stored = getFederatedStorage().getAttributes(realm, getId());
            federatedAttributes = stored == null ? new MultivaluedHashMap<>() : stored;
        }
        return federatedAttributes;
    }

    /** Attribute writes that belong to a column; false when the attribute is Keycloak's to keep. */
    private boolean writeIfMapped(String name, String value) {
        switch (name) {
            case UserModel.USERNAME -> setUsername(value);
            case UserModel.FIRST_NAME -> setFirstName(value);
            case UserModel.LAST_NAME -> setLastName(value);
            case UserModel.EMAIL -> setEmail(value);
            default -> {
                if (!isColumnAttribute(name)) {
                    return false;
                }
                if (name.equals(config.idAttribute())) {
                    // the legacy id is the row's key: saving the same value (as the admin console
                    // does with every attribute) is fine, changing it is not
                    if (value != null && !value.equals(row.id())) {
                        throw new ReadOnlyException("the legacy user id cannot be changed");
                    }
                    return true;
                }
                write(config.attributeColumns().get(name), columnAttribute(name), value);
            }
        }
        return true;
    }

    private boolean isColumnAttribute(String name) {
        return name.equals(config.idAttribute()) && !name.isEmpty() || config.attributeColumns().containsKey(name);
    }

    private String columnAttribute(String name) {
        return name.equals(config.idAttribute()) ? row.id() : row.attributes().get(name);
    }

    /** Writes a changed column; saving an unchanged value (as profile forms do) is never refused. */
    private void write(String column, Object current, Object value) {
        if (Objects.equals(current, value)) {
            return;
        }
        if (!config.writable()) {
            throw new ReadOnlyException("user " + getUsername() + " is read-only: it lives in MySQL and the provider is not writable");
        }
        table.updateColumn(row.id(), column, value);
        row = table.findById(row.id()).orElse(row);
    }

    private static void putSingle(MultivaluedHashMap<String, String> attributes, String name, String value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, new ArrayList<>(List.of(value)));
        }
    }
}
