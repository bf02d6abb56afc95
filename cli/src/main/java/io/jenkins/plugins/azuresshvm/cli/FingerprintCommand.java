package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.keys.Fingerprint;
import io.jenkins.plugins.azuresshvm.keys.FingerprintListing;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.RandomArt;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code azssh fingerprint}: what {@code ssh-keygen -l -f FILE} prints, for any key file. */
@Command(
        name = "fingerprint",
        mixinStandardHelpOptions = true,
        description = {
            "Print the fingerprint of each key in FILE as 'ssh-keygen -l -f FILE' does: public keys, authorized_keys,",
            "known_hosts, ssh-keyscan output, or a private key (- reads standard input)."
        })
final class FingerprintCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Azssh azssh;

    @Option(names = "-E", paramLabel = "HASH", defaultValue = "sha256",
            description = "Fingerprint hash: sha256 or md5. Default: ${DEFAULT-VALUE}.")
    String hash;

    @Option(names = "-P", paramLabel = "PASSPHRASE",
            description = "Passphrase of an encrypted private key. Also read from $AZSSH_PASSPHRASE.")
    String passphrase;

    @Option(names = "-v", description = "Also draw each key's randomart (the visual host key).")
    boolean visual;

    @Parameters(paramLabel = "FILE", description = "The key file, or - for standard input.")
    String file;

    @Override
    public Integer call() throws Exception {
        Fingerprint.Algorithm algorithm = Fingerprint.Algorithm.fromName(hash);
        char[] secret = Passphrases.resolve(passphrase, null, azssh.environment());
        FingerprintListing.Result result;
        try {
            if (file.equals("-")) {
                String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                result = FingerprintListing.ofText("(stdin)", text, secret);
            } else {
                result = FingerprintListing.ofFile(Path.of(file), secret);
            }
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        for (KeyFormatException problem : result.problems()) {
            err.println("azssh: warning: " + problem.getMessage() + " (line skipped)");
        }
        azssh.print(spec.commandLine().getOut(), out -> {
            for (FingerprintListing.Entry entry : result.entries()) {
                out.println(entry.toLine(algorithm));
                if (visual) {
                    out.println(RandomArt.of(entry.key(), algorithm));
                }
            }
        }, () -> new Json(result.entries().stream().map(entry -> new Json.Key(entry.key().type().label(),
                entry.key().bits(), entry.key().fingerprint(algorithm).toString(), entry.comment(),
                visual ? RandomArt.of(entry.key(), algorithm) : null)).toList()));
        err.flush();
        return 0;
    }

    /**
     * {@code azssh fingerprint --output json}: the keys in file order (bad lines are warnings on stderr).
     *
     * @param keys each key found
     */
    record Json(List<Key> keys) {
        /**
         * One key, as {@code ssh-keygen -l} shows it.
         *
         * @param type {@code RSA}, {@code ED25519} or {@code ECDSA}
         * @param bits the key size
         * @param fingerprint in the {@code -E} hash: {@code SHA256:…} or {@code MD5:…}
         * @param comment the comment, host field or options; empty for none
         * @param randomArt the randomart with {@code -v}, else {@code null}
         */
        record Key(String type, int bits, String fingerprint, String comment, String randomArt) {}
    }
}
