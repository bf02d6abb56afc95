package io.jenkins.plugins.azuresshvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.azuresshvm.testing.OpenSsh;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@code azssh} in-process and the real {@code ssh-keygen} beside it. */
final class Cli {
    private Cli() {}

    /** What one {@code azssh} run did. */
    record Outcome(int exitCode, String stdout, String stderr) {
        /** Everything it printed. */
        String output() {
            return stdout + stderr;
        }

        /** This outcome, after checking the command succeeded. */
        Outcome assertSuccess() {
            assertThat(exitCode).as("exit code; stdout: %s%nstderr: %s", stdout, stderr).isZero();
            return this;
        }

        /** stdout as the one JSON line {@code --output json} prints, after checking it is exactly that. */
        JsonNode json() {
            return Cli.jsonLine(stdout);
        }

        /** The last line of stderr as JSON: {@code azssh ssh --output json}'s report or error. */
        JsonNode stderrJson() {
            List<String> lines = stderr.lines().toList();
            assertThat(lines).as("stderr").isNotEmpty();
            return Cli.jsonLine(lines.get(lines.size() - 1) + "\n");
        }

        /**
         * This outcome, after checking it is a failure reported as the issue asks: a non-zero exit code and exactly
         * one line on stderr, starting {@code azssh: }, with no stack trace.
         */
        Outcome assertOneLineError() {
            assertThat(exitCode).as("exit code; stderr: %s", stderr).isNotZero();
            assertThat(stderr).startsWith("azssh: ").endsWith("\n");
            assertThat(stderr.lines()).as("stderr lines").hasSize(1);
            assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception");
            return this;
        }
    }

    /** {@code azssh ARGS} with an empty environment and empty standard input. */
    static Outcome azssh(String... args) {
        return azssh(Map.of(), args);
    }

    /** {@code azssh ARGS} with the given environment and empty standard input. */
    static Outcome azssh(Map<String, String> environment, String... args) {
        return azsshWithStdin("", environment, args);
    }

    /** {@code azssh ARGS} reading {@code stdin} as standard input ({@link System#in}, restored afterwards). */
    static Outcome azsshWithStdin(String stdin, Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream original = System.in;
        int exitCode;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            exitCode = Azssh.run(args, new PrintWriter(out, true), new PrintWriter(err, true), environment);
        } finally {
            System.setIn(original);
        }
        return new Outcome(exitCode, out.toString(), err.toString());
    }

    /** One line of text parsed as a JSON object, after checking it is one line ending in a line break. */
    static JsonNode jsonLine(String text) {
        assertThat(text).as("JSON output").endsWith("\n");
        assertThat(text.lines()).as("JSON output lines").hasSize(1);
        try {
            JsonNode node = new ObjectMapper().readTree(text);
            assertThat(node.isObject()).as("a JSON object: %s", text).isTrue();
            return node;
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** The real {@code ssh-keygen ARGS}, whatever its exit code. */
    static OpenSsh.Result sshKeygenResult(String... args) {
        return OpenSsh.run(OpenSsh.sshKeygen(), args);
    }

    /** What the real {@code ssh-keygen ARGS} prints on stdout, after checking it succeeded. */
    static String sshKeygen(String... args) {
        return sshKeygenResult(args).assertSuccess().stdout();
    }

    /** What the real {@code ssh-keygen ARGS} prints reading {@code stdin}, after checking it succeeded. */
    static String sshKeygenWithStdin(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(OpenSsh.sshKeygen().toString());
        command.addAll(List.of(args));
        return OpenSsh.run(command, Map.of(), stdin, null).assertSuccess().stdout();
    }

    /**
     * A key pair made by the real {@code ssh-keygen}: {@code dir/name} and {@code dir/name.pub}, no prompts.
     *
     * @param options what follows {@code ssh-keygen -q}, e.g. {@code -t ed25519 -N '' -C comment}
     */
    static Path sshKeygenPair(Path dir, String name, String... options) {
        Path key = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-q"));
        args.addAll(List.of(options));
        args.addAll(List.of("-f", key.toString()));
        sshKeygen(args.toArray(String[]::new));
        return key;
    }

    /** {@code TYPE BASE64} of a public key line, without the comment. */
    static String keyText(String publicKeyLine) {
        String[] fields = publicKeyLine.strip().split(" ");
        return fields[0] + " " + fields[1];
    }
}
