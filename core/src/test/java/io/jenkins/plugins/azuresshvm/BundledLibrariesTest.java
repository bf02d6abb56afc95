package io.jenkins.plugins.azuresshvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.net.URISyntaxException;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;

/**
 * Proves which Apache MINA SSHD and Bouncy Castle jars a test run uses: core's suites run once on the versions we
 * ship with the CLI and once on the versions Jenkins' API plugins bundle (the {@code jenkins-bundled-libraries}
 * execution), and this says the swap really happened.
 */
class BundledLibrariesTest {

    @Test
    void runsOnTheExpectedMinaSshdJars() throws Exception {
        String expected = System.getProperty("azuresshvm.expected.sshd.version");
        assertThat(jarOf(KeyUtils.class)).isEqualTo("sshd-common-" + expected + ".jar");
        assertThat(jarOf(SshClient.class)).isEqualTo("sshd-core-" + expected + ".jar");
    }

    @Test
    void runsOnTheExpectedBouncyCastleJars() throws Exception {
        String expected = System.getProperty("azuresshvm.expected.bouncycastle.version");
        assertThat(jarOf(BouncyCastleProvider.class)).isEqualTo("bcprov-jdk18on-" + expected + ".jar");
        assertThat(jarOf(PEMParser.class)).isEqualTo("bcpkix-jdk18on-" + expected + ".jar");
        assertThat(jarOf(PrivateKeyInfo.class)).isEqualTo("bcprov-jdk18on-" + expected + ".jar");
    }

    private static String jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
    }
}
