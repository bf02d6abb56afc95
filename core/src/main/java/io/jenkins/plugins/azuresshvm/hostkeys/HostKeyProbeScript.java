package io.jenkins.plugins.azuresshvm.hostkeys;

import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One out-of-band probe of a VM's SSH host keys through Azure's {@code RunShellScript} run command: the script prints
 * every {@code /etc/ssh/ssh_host_*_key.pub} between a BEGIN and an END marker line, and {@link #parse} reads the
 * run-command message strictly. Each probe has its own random marker, so the output of another probe (an older run,
 * a replayed message) is refused. Anything unexpected fails the probe: it never yields "no keys, so accept".
 */
public final class HostKeyProbeScript {
    /** Where OpenSSH keeps its host keys on every Azure Linux image. */
    private static final String SSH_DIRECTORY = "/etc/ssh";
    private static final String MARKER_LABEL = " azure-ssh-vm host keys ";
    private static final String BEGIN = "BEGIN";
    private static final String END = "END";
    /** Azure returns only this many bytes of the end of stdout. */
    private static final int AZURE_STDOUT_TAIL_BYTES = 4096;
    private static final String SOURCE = "run-command probe";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String sshDirectory;
    private final String nonce;

    private HostKeyProbeScript(String sshDirectory, String nonce) {
        this.sshDirectory = sshDirectory;
        this.nonce = nonce;
    }

    /** A new probe of {@code /etc/ssh}, with a fresh 128-bit random marker. */
    public static HostKeyProbeScript create() {
        return create(SSH_DIRECTORY);
    }

    /** A new probe of another directory: only for tests, which cannot use the machine's own /etc/ssh. */
    static HostKeyProbeScript create(String sshDirectory) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return new HostKeyProbeScript(sshDirectory, HexFormat.of().formatHex(nonce));
    }

    /**
     * The script, one line per element (the {@code script} array of the run command). It runs under bash or any POSIX
     * sh, prints nothing but the markers and the key files (a file without a final newline gets one), and exits 0;
     * with no key file it prints just the two markers.
     */
    public List<String> lines() {
        return List.of(
                "set -u",
                "export LC_ALL=C",
                "echo '" + beginMarker() + "'",
                "for f in " + shellQuoted(sshDirectory) + "/ssh_host_*_key.pub; do",
                "  [ -f \"$f\" ] || continue",
                "  cat -- \"$f\"",
                "  [ -z \"$(tail -c 1 -- \"$f\")\" ] || echo",
                "done",
                "echo '" + endMarker() + "'",
                "exit 0");
    }

    /**
     * Reads the host keys from the run command's status message, exactly as Azure returns it: {@code Enable
     * succeeded: \n[stdout]\n<stdout>\n[stderr]\n<stderr>\n}, where stdout is at most the last 4,096 bytes. Stdout
     * must hold this probe's BEGIN marker, then only public key lines (at most one per key algorithm, at least one),
     * then its END marker, each marker alone on its line; only blank lines may come before or after. Stderr is
     * ignored; CRLF line ends are accepted.
     *
     * @return the keys, with source {@code "run-command probe"}
     * @throws HostKeyProbeException saying which marker or which line of stdout is wrong, and how
     */
    public ExpectedHostKeys parse(String runCommandMessage) throws HostKeyProbeException {
        String stdout = stdoutOf(runCommandMessage.replace("\r\n", "\n"));
        List<String> lines = List.of(stdout.split("\n", -1));
        checkForeignMarkers(lines);
        int begin = markerLine(lines, beginMarker(), BEGIN, missingBeginReason(stdout));
        int end = markerLine(lines, endMarker(), END, "stdout stops after line " + lastNonBlankLine(lines)
                + " without it; the probe was cut short");
        if (end < begin) {
            throw new HostKeyProbeException("the END marker (line " + end + " of stdout) comes before the BEGIN marker"
                    + " (line " + begin + ")");
        }
        checkNothingOutside(lines, begin, end);
        return keysBetween(lines, begin, end);
    }

    private static String stdoutOf(String message) throws HostKeyProbeException {
        String succeeded = "Enable succeeded: \n[stdout]\n";
        if (!message.startsWith(succeeded)) {
            throw new HostKeyProbeException("not a successful run-command message: it does not start with"
                    + " 'Enable succeeded: ' and a [stdout] line");
        }
        int start = succeeded.length();
        // the first "[stderr]" header: stdout ends at the newline Azure puts before it
        int header = message.indexOf("\n[stderr]\n", start - 1);
        if (header < 0) {
            throw new HostKeyProbeException("not a run-command message: there is no [stderr] line after stdout");
        }
        return message.substring(start, Math.max(start, header));
    }

    /** A line naming another probe's marker, or holding this probe's nonce but not as a whole marker line. */
    private void checkForeignMarkers(List<String> lines) throws HostKeyProbeException {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean ours = line.equals(beginMarker()) || line.equals(endMarker());
            if (!ours && (line.contains(nonce) || line.startsWith(BEGIN + MARKER_LABEL)
                    || line.startsWith(END + MARKER_LABEL))) {
                throw new HostKeyProbeException("line " + (i + 1) + " of stdout is "
                        + (line.contains(nonce) ? "a marker of this probe that is not alone on its line"
                                : "the marker of another probe"));
            }
        }
    }

    /** The 1-based line of the one {@code marker} line; refused when it is missing or repeated. */
    private static int markerLine(List<String> lines, String marker, String name, String missingReason)
            throws HostKeyProbeException {
        int found = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(marker)) {
                if (found != 0) {
                    throw new HostKeyProbeException("the " + name + " marker appears twice in stdout, on lines "
                            + found + " and " + (i + 1));
                }
                found = i + 1;
            }
        }
        if (found == 0) {
            throw new HostKeyProbeException("the " + name + " marker is missing from stdout: " + missingReason);
        }
        return found;
    }

    private static String missingBeginReason(String stdout) {
        if (stdout.isBlank()) {
            return "stdout is empty";
        }
        if (stdout.getBytes(StandardCharsets.UTF_8).length >= AZURE_STDOUT_TAIL_BYTES) {
            return "stdout fills Azure's limit of " + AZURE_STDOUT_TAIL_BYTES + " bytes, so its start was cut off";
        }
        return "stdout does not come from this probe, or its start was cut off";
    }

    private static int lastNonBlankLine(List<String> lines) {
        int last = lines.size();
        while (last > 0 && lines.get(last - 1).isBlank()) {
            last--;
        }
        return last;
    }

    private static void checkNothingOutside(List<String> lines, int begin, int end) throws HostKeyProbeException {
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            boolean outside = number < begin || number > end;
            if (outside && !lines.get(i).isBlank()) {
                throw new HostKeyProbeException("line " + number + " of stdout is outside the markers (BEGIN on line "
                        + begin + ", END on line " + end + "); the probe prints nothing there"
                        + (looksLikeKey(lines.get(i)) ? ", and a host key outside them is refused" : ""));
            }
        }
    }

    private static boolean looksLikeKey(String line) {
        try {
            SshPublicKey.parse(line);
            return true;
        } catch (KeyFormatException e) {
            return false;
        }
    }

    private static ExpectedHostKeys keysBetween(List<String> lines, int begin, int end) throws HostKeyProbeException {
        List<SshPublicKey> keys = new ArrayList<>();
        Map<String, Integer> lineOfAlgorithm = new HashMap<>();
        for (int number = begin + 1; number < end; number++) {
            SshPublicKey key;
            try {
                key = SshPublicKey.parse(lines.get(number - 1));
            } catch (KeyFormatException e) {
                throw new HostKeyProbeException("line " + number + " of stdout, between the markers, is not a host"
                        + " public key: " + e.getMessage(), e);
            }
            Integer first = lineOfAlgorithm.putIfAbsent(key.algorithm(), number);
            if (first != null) {
                throw new HostKeyProbeException("line " + number + " of stdout holds a second " + key.algorithm()
                        + " host key (the first is on line " + first + "); a server has one key per algorithm");
            }
            keys.add(key);
        }
        if (keys.isEmpty()) {
            throw new HostKeyProbeException("no host key between the markers (lines " + begin + " and " + end
                    + " of stdout): the VM has no " + SSH_DIRECTORY + "/ssh_host_*_key.pub, and a server whose keys"
                    + " are unknown is never trusted");
        }
        return ExpectedHostKeys.of(keys, SOURCE);
    }

    private String beginMarker() {
        return BEGIN + MARKER_LABEL + nonce;
    }

    private String endMarker() {
        return END + MARKER_LABEL + nonce;
    }

    private static String shellQuoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
