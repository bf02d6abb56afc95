package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.azuresshvm.emulator.vm.VmSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The sshd drop-ins a cloud-config's {@code write_files} puts in {@code /etc/ssh/sshd_config.d/*.conf}, which an
 * Ubuntu or Debian image's {@code sshd_config} includes first, and the one port their {@code Port} directives give.
 * sshd listens on every {@code Port} it reads; the emulator's VM listens on one, so several different ports are
 * refused, as are values sshd would not take. Every other directive is ignored.
 */
final class SshdDropIns {

    static final String DIRECTORY = "/etc/ssh/sshd_config.d/";

    /** What sshd's {@code Include /etc/ssh/sshd_config.d/*.conf} picks up (glob's {@code *} skips dot files). */
    private static final Pattern PATH = Pattern.compile(Pattern.quote(DIRECTORY) + "([^/.][^/]*\\.conf)");
    /** A directive: keyword, then blanks or one {@code =}, then the arguments. */
    private static final Pattern DIRECTIVE = Pattern.compile("([A-Za-z]+)(?:\\s*=\\s*|\\s+|$)(.*)");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    private SshdDropIns() {}

    /**
     * The drop-ins of a cloud-config's {@code write_files} by file name, as cloud-init writes them (an entry with
     * {@code append: true} adds to the same path's content); the other files are left out.
     */
    static SortedMap<String, String> of(JsonNode writeFiles) {
        if (!writeFiles.isArray()) {
            throw invalid("The custom data's cloud-config has a write_files that is not a list.");
        }
        SortedMap<String, String> files = new TreeMap<>();
        int index = 0;
        for (JsonNode entry : writeFiles) {
            String where = "write_files[" + index++ + "]";
            if (!entry.isObject()) {
                throw invalid("The custom data's cloud-config has a " + where + " that is not a mapping.");
            }
            Matcher path = PATH.matcher(entry.path("path").asText(""));
            if (!entry.path("path").isTextual() || !path.matches()) {
                continue;
            }
            where += " (" + path.group() + ")";
            JsonNode content = entry.path("content");
            if (!content.isMissingNode() && !content.isTextual()) {
                throw invalid("The custom data's cloud-config has a " + where + " whose content is not a string.");
            }
            String text = decoded(content.asText(""), entry.path("encoding").asText("text/plain"), where);
            if (entry.path("append").asBoolean(false)) {
                files.merge(path.group(1), text, String::concat);
            } else {
                files.put(path.group(1), text);
            }
        }
        return files;
    }

    /** cloud-init's encodings of {@code content}; gzip only base64-encoded, as YAML text cannot carry binary. */
    private static String decoded(String content, String encoding, String where) {
        String name = encoding.toLowerCase(Locale.ROOT);
        if (name.equals("text/plain")) {
            return content;
        }
        byte[] bytes;
        try {
            bytes = switch (name) {
                case "b64", "base64" -> Base64.getMimeDecoder().decode(content);
                case "gz+b64", "gz+base64", "gzip+b64", "gzip+base64" ->
                        gunzip(Base64.getMimeDecoder().decode(content));
                default -> throw invalid("The custom data's cloud-config has a " + where + " with encoding '"
                        + encoding + "'; the emulator reads text/plain, b64 and gz+b64 (and their aliases).");
            };
        } catch (IllegalArgumentException | IOException e) {
            throw invalid("The custom data's cloud-config has a " + where + " whose content is not " + encoding
                    + ".");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] gunzip(byte[] data) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    /**
     * The port sshd listens on with {@code files} (by name, read in that order): the one their {@code Port}
     * directives give, else 22.
     */
    static int port(SortedMap<String, String> files) {
        Integer port = null;
        String portFrom = null;
        for (Map.Entry<String, String> file : files.entrySet()) {
            boolean inMatch = false;
            String[] lines = file.getValue().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String where = DIRECTORY + file.getKey() + " line " + (i + 1);
                Matcher directive = DIRECTIVE.matcher(line);
                if (!directive.matches()) {
                    continue; // sshd would refuse to start; nothing the emulator acts on
                }
                String keyword = directive.group(1).toLowerCase(Locale.ROOT);
                if (keyword.equals("match")) {
                    inMatch = true;
                }
                if (!keyword.equals("port")) {
                    continue;
                }
                if (inMatch) {
                    throw invalid("The custom data's sshd drop-in " + where + " has Port within a Match block,"
                            + " which sshd does not allow.");
                }
                String value = directive.group(2).strip();
                if (!PORT.matcher(value).matches() || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 65535) {
                    throw invalid("The custom data's sshd drop-in " + where + " has Port '" + shortened(value)
                            + "', which is not a TCP port number 1-65535.");
                }
                int number = Integer.parseInt(value);
                if (port != null && port != number) {
                    throw invalid("The custom data's sshd drop-ins give several ports: " + port + " (" + portFrom
                            + ") and " + number + " (" + where + "); the emulator's sshd listens on one port only.");
                }
                port = number;
                portFrom = where;
            }
        }
        return port == null ? VmSpec.DEFAULT_SSH_PORT : port;
    }

    private static String shortened(String value) {
        return value.length() <= 20 ? value : value.substring(0, 20) + "…";
    }

    private static ArmError invalid(String message) {
        return ArmError.invalidParameter(CustomData.TARGET, message);
    }
}
