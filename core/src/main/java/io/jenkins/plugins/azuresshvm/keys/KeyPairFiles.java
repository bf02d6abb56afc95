package io.jenkins.plugins.azuresshvm.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Key files on disk: the private key readable by its owner only (0600, or an owner-only ACL on Windows), the public
 * key {@code PATH.pub} world-readable (0644). Existing files are never replaced unless asked.
 */
public final class KeyPairFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private KeyPairFiles() {}

    /** {@code PATH.pub}, where ssh-keygen puts the public half of {@code PATH}. */
    public static Path publicKeyPath(Path privateKey) {
        return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    /**
     * Writes the private key to {@code privateKey} and its public line to {@code privateKey.pub}.
     *
     * @param privateKeyText the encoded private key ({@link PrivateKeyEncoder})
     * @param overwrite whether existing files may be replaced; when {@code false} and either file exists, nothing is
     *     written and the exception names the file
     * @throws FileAlreadyExistsException naming the existing file
     */
    public static void write(Path privateKey, String privateKeyText, SshPublicKey publicKey, boolean overwrite)
            throws IOException {
        Path publicFile = publicKeyPath(privateKey);
        Path dir = privateKey.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            // else the error would name the temporary file
            throw Files.exists(dir) ? new FileSystemException(dir.toString(), null, "not a directory")
                    : new NoSuchFileException(dir.toString());
        }
        if (!overwrite) {
            for (Path path : List.of(privateKey, publicFile)) {
                if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(path.toString(), null,
                            "already exists; not overwritten (use --force to replace it)");
                }
            }
        }
        Path privateTemp = createOwnerOnly(privateKey);
        Path publicTemp = null;
        try {
            Files.writeString(privateTemp, privateKeyText, StandardCharsets.US_ASCII);
            publicTemp = createOwnerOnly(publicFile);
            Files.writeString(publicTemp, publicKey.toLine() + "\n", StandardCharsets.UTF_8);
            makePublic(publicTemp);
            place(privateTemp, privateKey, overwrite);
            try {
                place(publicTemp, publicFile, overwrite);
            } catch (IOException e) {
                Files.deleteIfExists(privateKey);
                throw e;
            }
        } finally {
            Files.deleteIfExists(privateTemp);
            if (publicTemp != null) {
                Files.deleteIfExists(publicTemp);
            }
        }
    }

    /**
     * Reads a text file as OpenSSH would, without failing on bytes that are not UTF-8 (they become U+FFFD and are
     * then reported by the parser).
     */
    public static String readText(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a directory");
        }
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** Reads and decodes a private key file. */
    public static SshKeyPair readPrivateKey(Path file, char[] passphrase) throws IOException, KeyFormatException {
        return PrivateKeyDecoder.decode(file.toString(), readText(file), passphrase);
    }

    private static void place(Path temp, Path target, boolean overwrite) throws IOException {
        if (overwrite) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
            try {
                // a hard link fails if the target appeared meanwhile, unlike a rename
                Files.createLink(target, temp);
            } catch (UnsupportedOperationException e) {
                Files.move(temp, target);
            }
        }
    }

    /** A new empty file next to {@code target}, readable and writable by its owner only from the start. */
    private static Path createOwnerOnly(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        String prefix = "." + target.getFileName() + ".";
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            return Files.createTempFile(dir, prefix, ".tmp", mode);
        }
        Path file = Files.createTempFile(dir, prefix, ".tmp");
        restrictAclToOwner(file);
        return file;
    }

    private static void makePublic(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PUBLIC);
        }
    }

    private static void restrictAclToOwner(Path file) throws IOException {
        AclFileAttributeView acl = Files.getFileAttributeView(file, AclFileAttributeView.class);
        if (acl == null) {
            throw new IOException(file + ": cannot restrict access to the owner on this file system");
        }
        UserPrincipal owner = Files.getOwner(file);
        List<AclEntry> entries = new ArrayList<>();
        entries.add(AclEntry.newBuilder()
                .setType(AclEntryType.ALLOW)
                .setPrincipal(owner)
                .setPermissions(EnumSet.allOf(AclEntryPermission.class))
                .build());
        acl.setAcl(entries);
    }
}
