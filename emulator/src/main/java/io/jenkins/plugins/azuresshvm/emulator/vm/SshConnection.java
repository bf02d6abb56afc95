package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.time.Instant;

/**
 * A TCP connection a VM's sshd accepted, as its log says ({@code Connection from ADDRESS port PORT …}).
 *
 * @param time when sshd logged it
 * @param clientAddress the client's address
 * @param clientPort the client's port
 */
public record SshConnection(Instant time, String clientAddress, int clientPort) {}
