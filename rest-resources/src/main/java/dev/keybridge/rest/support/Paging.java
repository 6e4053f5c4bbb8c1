package dev.keybridge.rest.support;

/**
 * A {@code first}/{@code max} page request, read from raw query parameters so that bad values give a 400
 * instead of JAX-RS's 404 for unconvertible query parameters.
 */
public record Paging(int first, int max) {

    /**
     * @param first      offset, blank for 0
     * @param max        page size, blank for {@code defaultMax}; larger values are capped at {@code cap}
     * @throws ApiException 400 for non-numbers, a negative first or a max below 1
     */
    public static Paging parse(String first, String max, int defaultMax, int cap) {
        int offset = parseOr(first, 0, "first");
        int size = parseOr(max, defaultMax, "max");
        if (offset < 0) {
            throw ApiException.badRequest("first must be 0 or more, got " + offset);
        }
        if (size < 1) {
            throw ApiException.badRequest("max must be 1 or more, got " + size);
        }
        return new Paging(offset, Math.min(size, cap));
    }

    private static int parseOr(String value, int fallback, String name) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer, got '" + value + "'");
        }
    }
}
