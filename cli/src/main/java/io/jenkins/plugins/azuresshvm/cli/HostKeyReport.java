package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.Fingerprint;
import io.jenkins.plugins.azuresshvm.keys.FingerprintListing;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.io.PrintWriter;

/** Prints verified host keys as {@code ssh-keygen -l} lines and as known_hosts lines. */
final class HostKeyReport {
    private HostKeyReport() {}

    static void print(PrintWriter out, ExpectedHostKeys keys, String host, int port) {
        out.println("Host keys (SHA256):");
        for (SshPublicKey key : keys.keys()) {
            out.println(new FingerprintListing.Entry(key, host).toLine(Fingerprint.Algorithm.SHA256));
        }
        out.println("known_hosts lines:");
        keys.knownHostsLines(host, port).forEach(out::println);
    }
}
