package io.jenkins.plugins.azuresshvm.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.OffsetDateTime;
import reactor.core.publisher.Mono;

/**
 * A bearer token obtained elsewhere (e.g. {@code az account get-access-token}, given as {@code AZURE_ACCESS_TOKEN}),
 * sent as is; when it expires ARM answers 401. {@link #toString()} never shows it.
 */
public final class FixedTokenCredential implements TokenCredential {
    private final String token;

    public FixedTokenCredential(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("access token is empty");
        }
        this.token = token.strip();
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        // its real expiry is unknown: claim an hour from now so the SDK never asks again early
        return Mono.fromSupplier(() -> new AccessToken(token, OffsetDateTime.now().plusHours(1)));
    }

    @Override
    public String toString() {
        return "FixedTokenCredential[****]";
    }
}
