package dev.keybridge.tokens.refresh.families;

/**
 * One refresh-token family (chain) of a user as the admin API shows it.
 *
 * @param family          the chain id (the id of the login's first refresh token), the {@code kb_rrt_chain} claim
 * @param sessionId       the user session (or offline session) the chain belongs to
 * @param offline         whether that is an offline session
 * @param clientId        the client the chain's tokens are issued to
 * @param generation      the newest generation issued ({@code kb_rrt_gen}; the login's token is 0)
 * @param startedAt       issue time of the chain's first token (epoch seconds): start of the absolute lifetime
 * @param lastRefreshAt   last successful refresh (epoch seconds): start of the idle lifetime
 * @param lastRotationAt  when the newest generation was issued (epoch seconds)
 * @param state           {@code active}; {@code expired} when the client's policy lifetimes are over; {@code not-covered}
 *                        when no rotating-refresh-token policy applies to the client any more
 */
public record RefreshFamily(String family, String sessionId, boolean offline, String clientId, int generation,
                            long startedAt, long lastRefreshAt, long lastRotationAt, String state) {
}
