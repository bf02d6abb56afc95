package io.jenkins.plugins.azuresshvm.emulator;

import java.time.Instant;

/**
 * A request the emulator answered (or, under a {@link Fault}, did not).
 *
 * @param time when it arrived
 * @param method the HTTP method
 * @param path the URL path, without the query
 * @param status the HTTP status of the answer; 0 when the connection was dropped without one
 * @param state the answer's operation {@code status} ({@code InProgress}, {@code Succeeded}, {@code Failed}) or
 *     resource {@code provisioningState} ({@code Creating}, {@code Updating}, …); {@code null} when it has neither
 * @param fault the fault injected into this request, or {@code null}
 */
public record LoggedRequest(Instant time, String method, String path, int status, String state, Fault fault) {}
