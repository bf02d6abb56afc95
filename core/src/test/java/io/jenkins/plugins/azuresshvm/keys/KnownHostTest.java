package io.jenkins.plugins.azuresshvm.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import io.jenkins.plugins.azuresshvm.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KnownHost}: known_hosts lines as OpenSSH reads and writes them, host matching checked against
 * {@code ssh-keygen -F} and {@code ssh-keygen -H}, and {@code ssh-keyscan} output of a real sshd.
 */
class KnownHostTest {
    @TempDir
    static Path keys;

    @TempDir
    Path dir;

    private static SshPublicKey ed25519;
    private static SshPublicKey ecdsa;

    @BeforeAll
    static void generateKeysWithSshKeygen() throws Exception {
        ed25519 = generate("ed25519");
        ecdsa = generate("ecdsa");
    }

    @Test
    void parsesPlainPortAndMultiHostEntriesWithTheirComments() throws Exception {
        String text = "# known hosts\n"
                + "host " + ed25519.keyText() + "\n"
                + "[h]:2222 " + ecdsa.keyText() + " my comment\n"
                + "\n"
                + "host,10.0.0.4\t" + ed25519.keyText() + "\n";

        List<KnownHost> entries = KnownHost.parse("known_hosts", text);

        assertThat(entries).extracting(KnownHost::hosts).containsExactly("host", "[h]:2222", "host,10.0.0.4");
        assertThat(entries).extracting(KnownHost::line).containsExactly(2, 3, 5);
        assertThat(entries).extracting(KnownHost::key).containsExactly(ed25519, ecdsa, ed25519);
        assertThat(entries).extracting(entry -> entry.key().comment()).containsExactly("", "my comment", "");
        assertThat(entries).extracting(KnownHost::marker).containsOnly(KnownHost.Marker.NONE);
        assertThat(entries.get(1).toLine()).isEqualTo("[h]:2222 " + ecdsa.keyText() + " my comment");
        assertThat(entries.get(2).toLine()).isEqualTo("host,10.0.0.4 " + ed25519.keyText());
    }

    @Test
    void parsesCertAuthorityAndRevokedMarkers() throws Exception {
        String text = "@cert-authority *.example.com " + ecdsa.keyText() + " ca\n"
                + "@revoked bad.example.com " + ed25519.keyText() + "\n";

        List<KnownHost> entries = KnownHost.parse("known_hosts", text);

        assertThat(entries).extracting(KnownHost::marker)
                .containsExactly(KnownHost.Marker.CERT_AUTHORITY, KnownHost.Marker.REVOKED);
        assertThat(entries).extracting(KnownHost::hosts).containsExactly("*.example.com", "bad.example.com");
        assertThat(entries).extracting(KnownHost::toLine).containsExactly(
                "@cert-authority *.example.com " + ecdsa.keyText() + " ca",
                "@revoked bad.example.com " + ed25519.keyText());
    }

    @Test
    void rejectsAnUnknownMarkerNamingItAndTheLine() {
        KeyFormatException e = Thrown.keyFormat(() -> KnownHost.parse("known_hosts",
                "host " + ed25519.keyText() + "\n@trusted host " + ecdsa.keyText() + "\n"));

        assertThat(e.source()).isEqualTo("known_hosts");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.problem()).isEqualTo("unknown marker '@trusted' (only @cert-authority and @revoked exist)");
    }

    @Test
    void rejectsALineWithoutHostField() {
        KeyFormatException bare = Thrown.keyFormat(() -> KnownHost.parse("known_hosts", ed25519.keyText() + "\n"));
        KeyFormatException markerOnly = Thrown.keyFormat(() -> KnownHost.parse("known_hosts",
                "\n@revoked " + ed25519.keyText() + "\n"));

        assertThat(bare.line()).isEqualTo(1);
        assertThat(bare.problem()).isEqualTo("the host field is missing before the key");
        assertThat(markerOnly.line()).isEqualTo(2);
        assertThat(markerOnly.problem()).isEqualTo("the host field is missing before the key");
    }

    @Test
    void rejectsAMalformedHashedHost() {
        KeyFormatException e = Thrown.keyFormat(() -> KnownHost.parse("known_hosts",
                "|1|c2FsdA==|aGFzaA== " + ed25519.keyText() + "\n"));

        assertThat(e.line()).isEqualTo(1);
        assertThat(e.problem()).contains("malformed hashed host").contains("|1|base64 salt|base64 hash");
    }

    @Test
    void namesHostsOnOtherPortsInBrackets() {
        assertThat(KnownHost.hostName("vm.example.com", 22)).isEqualTo("vm.example.com");
        assertThat(KnownHost.hostName("10.0.0.4", 2222)).isEqualTo("[10.0.0.4]:2222");
        assertThat(KnownHost.of("10.0.0.4", 2222, ed25519, false).toLine())
                .isEqualTo("[10.0.0.4]:2222 " + ed25519.toLine());
        assertThatThrownBy(() -> KnownHost.hostName("h", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port 0 is out of range");
        assertThatThrownBy(() -> KnownHost.hostName("h", 65536)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port 65536 is out of range");
    }

    @Test
    void ourHashedEntryIsFoundBySshKeygenForItsHostOnly() throws Exception {
        KnownHost entry = KnownHost.of("vm1.example.com", 22, ed25519, true);
        Path file = write("known_hosts", entry.toLine());

        assertThat(entry.isHashed()).isTrue();
        assertThat(entry.hosts()).startsWith("|1|").doesNotContain("vm1");
        assertThat(sshKeygenFinds("vm1.example.com", file)).isTrue();
        assertThat(sshKeygenFinds("vm2.example.com", file)).isFalse();
        assertThat(sshKeygenFinds("[vm1.example.com]:2222", file)).isFalse();
        assertThat(OpenSsh.run(OpenSsh.sshKeygen(), "-F", "vm1.example.com", "-f", file.toString()).stdout())
                .contains(entry.toLine());
    }

    @Test
    void ourHashedEntryForPort2222IsFoundBySshKeygenAsBracketedHostAndPort() throws Exception {
        KnownHost entry = KnownHost.of("10.0.0.4", 2222, ecdsa, true);
        Path file = write("known_hosts", entry.toLine());

        assertThat(sshKeygenFinds("[10.0.0.4]:2222", file)).isTrue();
        assertThat(sshKeygenFinds("10.0.0.4", file)).isFalse();
        assertThat(sshKeygenFinds("[10.0.0.4]:2223", file)).isFalse();
        assertThat(sshKeygenFinds("[10.0.0.5]:2222", file)).isFalse();
    }

    @Test
    void hashingTwiceUsesFreshSaltsAndBothMatch() {
        KnownHost first = KnownHost.of("vm1", 22, ed25519, true);
        KnownHost second = KnownHost.of("vm1", 22, ed25519, true);

        assertThat(first.hosts()).isNotEqualTo(second.hosts());
        assertThat(first.matches("vm1", 22)).isTrue();
        assertThat(second.matches("vm1", 22)).isTrue();
    }

    @Test
    void entriesHashedBySshKeygenMatchTheirHostAndPortOnly() throws Exception {
        Path file = write("known_hosts",
                "vm1.example.com " + ed25519.keyText(),
                "[10.0.0.4]:2222 " + ecdsa.keyText());
        OpenSsh.run(OpenSsh.sshKeygen(), "-q", "-H", "-f", file.toString()).assertSuccess();

        List<KnownHost> entries = KnownHost.parse(file.toString(), Files.readString(file));

        assertThat(entries).hasSize(2).allMatch(KnownHost::isHashed);
        KnownHost vm1 = entries.get(0);
        assertThat(vm1.key()).isEqualTo(ed25519);
        assertThat(vm1.matches("vm1.example.com", 22)).isTrue();
        assertThat(vm1.matches("VM1.Example.COM", 22)).isTrue();
        assertThat(vm1.matches("vm1.example.com", 2222)).isFalse();
        assertThat(vm1.matches("vm2.example.com", 22)).isFalse();
        KnownHost port2222 = entries.get(1);
        assertThat(port2222.key()).isEqualTo(ecdsa);
        assertThat(port2222.matches("10.0.0.4", 2222)).isTrue();
        assertThat(port2222.matches("10.0.0.4", 22)).isFalse();
        assertThat(port2222.matches("10.0.0.4", 2223)).isFalse();
        assertThat(port2222.matches("10.0.0.5", 2222)).isFalse();
    }

    @Test
    void plainHostEntryDoesNotMatchAnotherPortAndBracketedEntryOnlyItsPort() throws Exception {
        KnownHost plain = KnownHost.parse("known_hosts", "host " + ed25519.keyText()).get(0);
        KnownHost bracketed = KnownHost.parse("known_hosts", "[host]:2222 " + ed25519.keyText()).get(0);

        assertThat(plain.matches("host", 22)).isTrue();
        assertThat(plain.matches("host", 2222)).isFalse();
        assertThat(bracketed.matches("host", 2222)).isTrue();
        assertThat(bracketed.matches("host", 22)).isFalse();
        // as OpenSSH
        Path file = write("plain", plain.toLine());
        assertThat(sshKeygenFinds("host", file)).isTrue();
        assertThat(sshKeygenFinds("[host]:2222", file)).isFalse();
    }

    @Test
    void wildcardAndNegatedPatternsMatchAsInOpenSsh() throws Exception {
        String hosts = "*.example.com,!bad.example.com,10.0.0.?,Mixed.Case.ORG,[*.test]:2222";
        KnownHost entry = KnownHost.parse("known_hosts", hosts + " " + ed25519.keyText()).get(0);
        Path file = write("known_hosts", entry.toLine());
        List<String> names = List.of("a.example.com", "deep.a.example.com", "bad.example.com", "example.com",
                "a.example.com.evil", "10.0.0.4", "10.0.0.44", "mixed.case.org", "MIXED.CASE.ORG", "[a.test]:2222",
                "a.test", "[a.example.com]:2222", "[bad.example.com]:2222");
        List<String> openSshMatches = new ArrayList<>();
        List<String> ourMatches = new ArrayList<>();

        for (String name : names) {
            if (sshKeygenFinds(name, file)) {
                openSshMatches.add(name);
            }
            if (name.startsWith("[")
                    ? entry.matches(name.substring(1, name.indexOf(']')),
                            Integer.parseInt(name.substring(name.indexOf("]:") + 2)))
                    : entry.matches(name, 22)) {
                ourMatches.add(name);
            }
        }

        assertThat(ourMatches).containsExactlyElementsOf(openSshMatches)
                .contains("a.example.com", "10.0.0.4", "[a.test]:2222")
                .doesNotContain("bad.example.com", "example.com", "10.0.0.44", "a.test");
    }

    @Test
    void readsSshKeyscanOutputOfARealServer(@TempDir Path serverDir) throws Exception {
        try (TestSshd sshd = TestSshd.start(serverDir, List.of())) {
            OpenSsh.Result scan = OpenSsh.run(OpenSsh.sshKeyscan(), "-p", String.valueOf(sshd.port()), "127.0.0.1")
                    .assertSuccess();

            List<KnownHost> entries = KnownHost.parse("ssh-keyscan", scan.stdout());

            List<SshPublicKey> hostKeys = new ArrayList<>();
            for (String type : List.of("ed25519", "ecdsa", "rsa")) {
                hostKeys.add(SshPublicKey.parse(Files.readString(sshd.hostPublicKey(type))));
            }
            assertThat(entries).extracting(KnownHost::key).containsExactlyInAnyOrderElementsOf(hostKeys);
            assertThat(entries).extracting(KnownHost::hosts).containsOnly("[127.0.0.1]:" + sshd.port());
            assertThat(entries).allMatch(entry -> entry.matches("127.0.0.1", sshd.port()))
                    .noneMatch(entry -> entry.matches("127.0.0.1", 22))
                    .noneMatch(entry -> entry.matches("127.0.0.2", sshd.port()));
        }
    }

    private Path write(String name, String... lines) throws Exception {
        return Files.write(dir.resolve(name), List.of(lines));
    }

    /** Whether {@code ssh-keygen -F name -f file} finds an entry (exit 0 with output; exit 1 when none). */
    private static boolean sshKeygenFinds(String name, Path file) {
        OpenSsh.Result result = OpenSsh.run(OpenSsh.sshKeygen(), "-F", name, "-f", file.toString());
        if (result.exitCode() == 1 && result.stdout().isEmpty()) {
            return false;
        }
        result.assertSuccess();
        assertThat(result.stdout()).as("ssh-keygen -F %s", name).contains("found");
        return true;
    }



    private static SshPublicKey generate(String type) throws Exception {
        Path key = keys.resolve(type);
        OpenSsh.run(OpenSsh.sshKeygen(), "-q", "-t", type, "-N", "", "-C", type + "@test", "-f", key.toString())
                .assertSuccess();
        return SshPublicKey.parse(Files.readString(KeyPairFiles.publicKeyPath(key)));
    }
}
