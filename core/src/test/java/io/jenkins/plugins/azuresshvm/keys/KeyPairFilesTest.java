package io.jenkins.plugins.azuresshvm.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files are written owner-only, and an existing key is never replaced unless asked. */
class KeyPairFilesTest {
    private static SshKeyPair pair;
    private static String privateText;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        pair = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "files@test");
        privateText = new PrivateKeyEncoder().encode(pair, PrivateKeyFormat.OPENSSH, null);
    }

    @Test
    void writesPrivateKeyOwnerOnlyAndPublicKeyLineWorldReadable() throws Exception {
        Path key = dir.resolve("id_ed25519");

        KeyPairFiles.write(key, privateText, pair.publicKey(), false);

        assertThat(Files.readString(key)).isEqualTo(privateText);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        Path pub = dir.resolve("id_ed25519.pub");
        assertThat(Files.readString(pub)).isEqualTo(pair.publicKey().toLine() + "\n").doesNotContain(" \n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pub))).isEqualTo("rw-r--r--");
        assertThat(listing()).containsExactlyInAnyOrder("id_ed25519", "id_ed25519.pub");
    }

    @Test
    void refusesToOverwriteAnExistingPrivateKeyAndTouchesNothing() throws Exception {
        Path key = dir.resolve("id");
        Files.writeString(key, "precious private key");

        assertThatThrownBy(() -> KeyPairFiles.write(key, privateText, pair.publicKey(), false))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(key.toString());

        assertThat(Files.readString(key)).isEqualTo("precious private key");
        assertThat(listing()).containsExactly("id");
    }

    @Test
    void refusesToOverwriteAnExistingPublicKeyAndTouchesNothing() throws Exception {
        Path key = dir.resolve("id");
        Path pub = dir.resolve("id.pub");
        Files.writeString(pub, "ssh-ed25519 AAAA precious");

        assertThatThrownBy(() -> KeyPairFiles.write(key, privateText, pair.publicKey(), false))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(pub.toString());

        assertThat(Files.readString(pub)).isEqualTo("ssh-ed25519 AAAA precious");
        assertThat(listing()).containsExactly("id.pub");
    }

    @Test
    void replacesBothFilesWhenOverwriteIsAsked() throws Exception {
        Path key = dir.resolve("id");
        Files.writeString(key, "old");
        Files.writeString(dir.resolve("id.pub"), "old");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));

        KeyPairFiles.write(key, privateText, pair.publicKey(), true);

        assertThat(Files.readString(key)).isEqualTo(privateText);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("id.pub"))).isEqualTo(pair.publicKey().toLine() + "\n");
        assertThat(listing()).containsExactlyInAnyOrder("id", "id.pub");
    }

    @Test
    void readsBackWhatItWrote() throws Exception {
        Path key = dir.resolve("id");
        KeyPairFiles.write(key, privateText, pair.publicKey(), false);

        SshKeyPair read = KeyPairFiles.readPrivateKey(key, null);

        assertThat(read.publicKey()).isEqualTo(pair.publicKey());
        assertThat(read.comment()).isEqualTo("files@test");
        assertThat(read.toString()).doesNotContain(privateText.lines().skip(1).findFirst().orElseThrow());
    }

    private String[] listing() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).toArray(String[]::new);
        }
    }
}
