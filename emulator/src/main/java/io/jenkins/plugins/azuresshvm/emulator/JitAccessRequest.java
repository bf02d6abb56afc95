package io.jenkins.plugins.azuresshvm.emulator;

import java.time.Duration;
import java.time.Instant;

/**
 * One port of one VM opened by a just-in-time access request ({@code …/jitNetworkAccessPolicies/{name}/initiate}).
 *
 * @param time when the emulator received the request
 * @param policyId the JIT policy's id
 * @param vmId the VM's id
 * @param port the port opened
 * @param allowedSourceAddressPrefix the source the port is opened to
 * @param duration how long it stays open
 */
public record JitAccessRequest(Instant time, String policyId, String vmId, int port, String allowedSourceAddressPrefix,
        Duration duration) {}
