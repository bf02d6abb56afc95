package io.jenkins.plugins.azuresshvm.azure;

import io.jenkins.plugins.azuresshvm.keys.KeyType;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyEncoder;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyFormat;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one cloud-init {@code #cloud-config} document a VM gets as its {@code customData}: host keys
 * ({@code ssh_keys}), files ({@code write_files}) and commands ({@code runcmd}) together, because a VM takes a
 * single customData and a second document would replace the first. Strings are written as double-quoted YAML
 * scalars (JSON escapes), so no value can change the document's structure. {@link #toString()} never shows it: it
 * may hold host private keys.
 */
public final class CloudConfig {

    /** The sshd drop-in that {@link #withSshPort} writes. */
    public static final String SSH_PORT_FILE = "/etc/ssh/sshd_config.d/00-azure-ssh-vm-port.conf";

    private static final Pattern ABSOLUTE_PATH = Pattern.compile("/[^\\x00-\\x1f]*");
    private static final Pattern PERMISSIONS = Pattern.compile("0[0-7]{3}");

    private final Map<KeyType, SshKeyPair> hostKeys;
    private final List<WriteFile> files;
    private final List<List<String>> commands;

    private CloudConfig(Map<KeyType, SshKeyPair> hostKeys, List<WriteFile> files, List<List<String>> commands) {
        this.hostKeys = hostKeys;
        this.files = files;
        this.commands = commands;
    }

    /** An empty document to add to. */
    public static CloudConfig empty() {
        return new CloudConfig(new EnumMap<>(KeyType.class), List.of(), List.of());
    }

    /**
     * This document with {@code pair} as the VM's host key of its type. cloud-init installs exactly the types given
     * and deletes the image's own host keys.
     */
    public CloudConfig withHostKey(SshKeyPair pair) {
        Map<KeyType, SshKeyPair> keys = new EnumMap<>(hostKeys);
        if (keys.putIfAbsent(pair.type(), pair) != null) {
            throw new IllegalArgumentException("two " + pair.type().label() + " host keys for one VM");
        }
        return new CloudConfig(keys, files, commands);
    }

    /** This document with a file written before the commands run ({@code permissions} such as {@code 0644}). */
    public CloudConfig withFile(String path, String permissions, String content) {
        if (!ABSOLUTE_PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("not an absolute path without control characters: " + path);
        }
        if (!PERMISSIONS.matcher(permissions).matches()) {
            throw new IllegalArgumentException("permissions must be 4 octal digits such as 0644, not " + permissions);
        }
        List<WriteFile> more = new ArrayList<>(files);
        more.add(new WriteFile(path, permissions, content));
        return new CloudConfig(hostKeys, List.copyOf(more), commands);
    }

    /** This document with one more command, run without a shell unless {@code argv} starts one. */
    public CloudConfig withCommand(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least its program");
        }
        List<List<String>> more = new ArrayList<>(commands);
        more.add(List.copyOf(argv));
        return new CloudConfig(hostKeys, files, List.copyOf(more));
    }

    /**
     * This document with sshd moved to {@code port}: a drop-in {@code sshd_config.d} file (read first by the
     * {@code Include} at the top of Ubuntu's and Debian's {@code sshd_config}) and a restart — of {@code ssh.socket}
     * where sshd is socket-activated (Ubuntu 22.10 and later, whose socket takes its port from sshd's configuration
     * at {@code daemon-reload}), else of the ssh service.
     */
    public CloudConfig withSshPort(int port) {
        return withFile(SSH_PORT_FILE, "0644", "Port " + port + "\n").withCommand(List.of("sh", "-c",
                "systemctl daemon-reload; if systemctl is-enabled --quiet ssh.socket 2>/dev/null;"
                        + " then systemctl restart ssh.socket; else systemctl restart ssh.service 2>/dev/null"
                        + " || systemctl restart sshd.service; fi"));
    }

    /**
     * One document with this one's host keys, files and commands, then {@code next}'s: what two documents would
     * say if a VM could take both.
     *
     * @throws IllegalArgumentException when both install a host key of the same type
     */
    public CloudConfig followedBy(CloudConfig next) {
        CloudConfig merged = new CloudConfig(new EnumMap<>(hostKeys), concat(files, next.files),
                concat(commands, next.commands));
        for (SshKeyPair pair : next.hostKeys.values()) {
            merged = merged.withHostKey(pair);
        }
        return merged;
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> both = new ArrayList<>(first);
        both.addAll(second);
        return List.copyOf(both);
    }

    /** Whether the document says nothing, so that a VM can go without customData. */
    public boolean isEmpty() {
        return hostKeys.isEmpty() && files.isEmpty() && commands.isEmpty();
    }

    /** The host keys this document installs, by type. */
    public Map<KeyType, SshKeyPair> hostKeys() {
        return Map.copyOf(hostKeys);
    }

    /** The YAML document, starting with {@code #cloud-config}. */
    public String document() {
        StringBuilder yaml = new StringBuilder("#cloud-config\n");
        if (!hostKeys.isEmpty()) {
            PrivateKeyEncoder encoder = new PrivateKeyEncoder();
            yaml.append("ssh_deletekeys: true\nssh_keys:\n");
            hostKeys.forEach((type, pair) -> {
                String prefix = "  " + type.cliName();
                yaml.append(prefix).append("_private: ")
                        .append(quoted(encoder.encode(pair.withComment(""), PrivateKeyFormat.OPENSSH, null)))
                        .append('\n');
                yaml.append(prefix).append("_public: ").append(quoted(pair.publicKey().withComment("").toLine()))
                        .append('\n');
            });
        }
        if (!files.isEmpty()) {
            yaml.append("write_files:\n");
            for (WriteFile file : files) {
                yaml.append("  - path: ").append(quoted(file.path())).append('\n')
                        .append("    permissions: ").append(quoted(file.permissions())).append('\n')
                        .append("    content: ").append(quoted(file.content())).append('\n');
            }
        }
        if (!commands.isEmpty()) {
            yaml.append("runcmd:\n");
            for (List<String> argv : commands) {
                yaml.append("  - [");
                for (int i = 0; i < argv.size(); i++) {
                    yaml.append(i == 0 ? "" : ", ").append(quoted(argv.get(i)));
                }
                yaml.append("]\n");
            }
        }
        return yaml.toString();
    }

    /** The document as ARM's {@code osProfile.customData}: base64 of its UTF-8 bytes. */
    public String customData() {
        return Base64.getEncoder().encodeToString(document().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "CloudConfig[hostKeys=" + hostKeys.keySet() + ", files=" + files.stream().map(WriteFile::path).toList()
                + ", commands=" + commands.size() + "]";
    }

    /** A YAML double-quoted scalar: JSON's escapes are a subset of YAML's. */
    static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                            || c == '\ufeff') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private record WriteFile(String path, String permissions, String content) {
    }
}
