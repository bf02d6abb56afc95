package io.jenkins.plugins.azuresshvm.emulator;

import java.time.Instant;

/**
 * A request the emulator answered.
 *
 * @param time when it arrived
 * @param method the HTTP method
 * @param path the URL path, without the query
 * @param status the HTTP status of the answer
 */
public record LoggedRequest(Instant time, String method, String path, int status) {}
