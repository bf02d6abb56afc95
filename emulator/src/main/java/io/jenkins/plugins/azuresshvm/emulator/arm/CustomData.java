package io.jenkins.plugins.azuresshvm.emulator.arm;

import io.jenkins.plugins.azuresshvm.emulator.vm.HostKeyPair;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A VM's {@code osProfile.customData}: base64 of what cloud-init reads as user data, optionally gzipped. The emulator
 * acts on the cloud-config in it, a {@code #cloud-config} document or the {@code text/cloud-config} parts of a MIME
 * multi-part message; anything else (scripts, include files) is accepted and ignored. Invalid base64, data over
 * Azure's 64 KiB and a cloud-config that is not valid YAML are refused (the last where cloud-init would only log it:
 * a broken test fixture should fail loudly).
 *
 * @param hostKeys the host keys its cloud-config gives; empty when it gives none (or there is no custom data)
 * @param sshdDropIns the files it writes into {@code /etc/ssh/sshd_config.d/}, by name
 * @param sshPort the port sshd listens on with those drop-ins (22 without)
 */
record CustomData(List<HostKeyPair> hostKeys, SortedMap<String, String> sshdDropIns, int sshPort) {

    static final String TARGET = "osProfile.customData";

    /** Azure's limit on the decoded custom data. */
    private static final int MAX_BYTES = 65535;

    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))",
            Pattern.CASE_INSENSITIVE);

    /** Reads {@code customData} ({@code null}: none). */
    static CustomData read(String customData) {
        if (customData == null) {
            return new CustomData(List.of(), new TreeMap<>(), SshdDropIns.port(new TreeMap<>()));
        }
        byte[] data;
        try {
            String base64 = customData.replaceAll("\\s", "");
            if (base64.length() % 4 != 0) {
                throw new IllegalArgumentException("not a multiple of 4 characters");
            }
            data = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ArmError.invalidParameter(TARGET, "The value of parameter " + TARGET + " is invalid: it is not"
                    + " base64 encoded.");
        }
        if (data.length > MAX_BYTES) {
            throw ArmError.invalidParameter(TARGET, "Custom data in OSProfile must be in Base64 encoding and with a"
                    + " maximum length of 87380 characters.");
        }
        List<HostKeyPair> keys = List.of();
        SortedMap<String, String> dropIns = new TreeMap<>();
        for (String document : cloudConfigs(text(gunzipped(data)))) {
            // like cloud-init's merge of several parts: the last ssh_keys wins, and so does the last write_files
            CloudConfig config = CloudConfig.parse(document);
            if (config.hostKeys() != null) {
                keys = config.hostKeys();
            }
            if (config.sshdDropIns() != null) {
                dropIns = config.sshdDropIns();
            }
        }
        return new CustomData(keys, dropIns, SshdDropIns.port(dropIns));
    }

    private static byte[] gunzipped(byte[] data) {
        if (data.length < 2 || (data[0] & 0xff) != 0x1f || (data[1] & 0xff) != 0x8b) {
            return data;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readNBytes(MAX_BYTES * 16);
        } catch (IOException e) {
            throw ArmError.invalidParameter(TARGET, "The custom data starts like gzip but does not decompress: "
                    + e.getMessage());
        }
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    /** The cloud-config documents in user data: itself when it starts {@code #cloud-config}, or its MIME parts. */
    private static List<String> cloudConfigs(String userData) {
        if (userData.startsWith("#cloud-config")) {
            return List.of(userData);
        }
        Map<String, String> headers = headers(userData);
        String contentType = headers.getOrDefault("content-type", "");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return List.of();
        }
        Matcher boundary = BOUNDARY.matcher(contentType);
        if (!boundary.find()) {
            throw ArmError.invalidParameter(TARGET, "The custom data is a MIME multi-part message without a boundary.");
        }
        String delimiter = "--" + (boundary.group(1) != null ? boundary.group(1) : boundary.group(2));
        List<String> documents = new ArrayList<>();
        String[] parts = ("\n" + body(userData)).split("\n" + Pattern.quote(delimiter));
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("--")) {
                break; // the closing delimiter
            }
            part = part.substring(part.indexOf('\n') + 1);
            Map<String, String> partHeaders = headers(part);
            String type = partHeaders.getOrDefault("content-type", "text/plain").toLowerCase(Locale.ROOT);
            if (type.startsWith("text/cloud-config")) {
                String body = body(part);
                if ("base64".equalsIgnoreCase(partHeaders.getOrDefault("content-transfer-encoding", "").strip())) {
                    try {
                        body = text(Base64.getMimeDecoder().decode(body));
                    } catch (IllegalArgumentException e) {
                        throw ArmError.invalidParameter(TARGET, "The custom data's MIME part " + i
                                + " (text/cloud-config) says base64 but is not.");
                    }
                }
                documents.add(body);
            }
        }
        return documents;
    }

    /** The header fields (names in lower case) before the first blank line; continuation lines are joined. */
    private static Map<String, String> headers(String entity) {
        Map<String, String> headers = new LinkedHashMap<>();
        String last = null;
        for (String line : entity.split("\n", -1)) {
            if (line.isEmpty()) {
                break;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                headers.merge(last, " " + line.strip(), String::concat);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return Map.of(); // not a header: the entity has none
            }
            last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.put(last, line.substring(colon + 1).strip());
        }
        return headers;
    }

    /** What follows the headers' blank line. */
    private static String body(String entity) {
        int blank = entity.indexOf("\n\n");
        return blank < 0 ? "" : entity.substring(blank + 2);
    }
}
