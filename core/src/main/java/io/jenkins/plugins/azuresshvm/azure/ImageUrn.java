package io.jenkins.plugins.azuresshvm.azure;

import java.util.Locale;
import java.util.Map;

/**
 * A marketplace image, {@code publisher:offer:sku:version}, as {@code az vm create --image} takes it.
 *
 * @param version {@code latest} or a specific version
 */
public record ImageUrn(String publisher, String offer, String sku, String version) {

    /** The short names the az CLI knows for the images we support (Linux only). */
    public static final Map<String, ImageUrn> ALIASES = Map.of(
            "ubuntu2404", new ImageUrn("Canonical", "ubuntu-24_04-lts", "server", "latest"),
            "ubuntu2204", new ImageUrn("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2", "latest"),
            "debian12", new ImageUrn("Debian", "debian-12", "12-gen2", "latest"),
            "debian11", new ImageUrn("Debian", "debian-11", "11-backports-gen2", "latest"));

    public ImageUrn {
        for (String part : new String[] {publisher, offer, sku, version}) {
            if (part == null || part.isBlank() || part.contains(":") || part.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("an image URN part is empty or has ':' or blanks: "
                        + String.join(":", String.valueOf(publisher), String.valueOf(offer), String.valueOf(sku),
                                String.valueOf(version)));
            }
        }
    }

    /**
     * An URN {@code publisher:offer:sku:version} or an alias ({@code Ubuntu2404}, {@code Ubuntu2204},
     * {@code Debian12}, {@code Debian11}; any case).
     */
    public static ImageUrn parse(String image) {
        ImageUrn alias = ALIASES.get(image.toLowerCase(Locale.ROOT));
        if (alias != null) {
            return alias;
        }
        String[] parts = image.split(":", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + image + "' is neither publisher:offer:sku:version nor one of "
                    + "Ubuntu2404, Ubuntu2204, Debian12, Debian11");
        }
        return new ImageUrn(parts[0], parts[1], parts[2], parts[3]);
    }

    public boolean isLatest() {
        return version.equalsIgnoreCase("latest");
    }

    @Override
    public String toString() {
        return publisher + ":" + offer + ":" + sku + ":" + version;
    }
}
