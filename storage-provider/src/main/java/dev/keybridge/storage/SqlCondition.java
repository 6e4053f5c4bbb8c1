package dev.keybridge.storage;

import java.util.List;

/** A WHERE clause with its bound parameters, in order. Column names in it are already quoted. */
record SqlCondition(String sql, List<Object> parameters) {
}
