package dev.keybridge.tokens.refresh;

import org.keycloak.representations.RefreshToken;

/**
 * Where a refresh token sits in its chain. The chain id and generation travel as claims of the
 * (signed) refresh tokens this policy issues; a root token issued at login carries neither, so its
 * own id names the chain and it is generation 0.
 */
public record ChainPosition(String chainId, int generation) {

    public static final String CHAIN_CLAIM = "kb_rrt_chain";
    public static final String GENERATION_CLAIM = "kb_rrt_gen";

    public static ChainPosition of(RefreshToken token) {
        Object chain = token.getOtherClaims().get(CHAIN_CLAIM);
        Object generation = token.getOtherClaims().get(GENERATION_CLAIM);
        return new ChainPosition(chain == null ? token.getId() : chain.toString(),
                generation instanceof Number n ? n.intValue() : 0);
    }

    public void stampOnto(RefreshToken token) {
        token.getOtherClaims().put(CHAIN_CLAIM, chainId);
        token.getOtherClaims().put(GENERATION_CLAIM, generation);
    }

    public ChainPosition atGeneration(int newGeneration) {
        return new ChainPosition(chainId, newGeneration);
    }
}
