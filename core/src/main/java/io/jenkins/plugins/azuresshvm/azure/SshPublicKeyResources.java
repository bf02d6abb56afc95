package io.jenkins.plugins.azuresshvm.azure;

import com.azure.resourcemanager.compute.fluent.SshPublicKeysClient;
import com.azure.resourcemanager.compute.fluent.models.SshPublicKeyGenerateKeyPairResultInner;
import com.azure.resourcemanager.compute.fluent.models.SshPublicKeyResourceInner;
import com.azure.resourcemanager.compute.models.SshEncryptionTypes;
import com.azure.resourcemanager.compute.models.SshGenerateKeyPairInputParameters;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.KeyPairFiles;
import io.jenkins.plugins.azuresshvm.keys.KeyType;
import io.jenkins.plugins.azuresshvm.keys.PrivateKeyDecoder;
import io.jenkins.plugins.azuresshvm.keys.SshKeyPair;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Azure's SSH public key resources ({@code Microsoft.Compute/sshPublicKeys}, what {@code az sshkey} manages): one
 * created from a public key we check first, or a pair Azure generates, whose private key — returned once — goes
 * straight to an owner-only file and nowhere else.
 */
public final class SshPublicKeyResources {
    private final AzureAccess azure;

    public SshPublicKeyResources(AzureAccess azure) {
        this.azure = azure;
    }

    /**
     * One SSH public key resource.
     *
     * @param publicKey its key, or {@code null} when it has none yet
     */
    public record Resource(String id, String name, String resourceGroup, String location, SshPublicKey publicKey) {}

    /**
     * Creates (or replaces) the resource holding {@code key}.
     *
     * @param region its region, or {@code null} for the resource group's
     * @throws IllegalArgumentException when Azure would refuse the key (ECDSA, RSA under 2048 bits)
     */
    public Resource create(String resourceGroup, String name, String region, SshPublicKey key, Duration timeout) {
        String refused = VmSpecRules.azureRefusal(key);
        if (refused != null) {
            throw new IllegalArgumentException("public key " + key.fingerprint() + ": " + refused);
        }
        String what = "creating SSH public key " + name + " in resource group " + resourceGroup;
        return resource(Deadline.after(timeout).call(() -> location(resourceGroup, region).flatMap(location -> keys()
                .createAsync(resourceGroup, name, new SshPublicKeyResourceInner().withLocation(location)
                        .withPublicKey(key.toLine()))), what));
    }

    /**
     * Creates the resource with a pair Azure generates, writes its private key to {@code privateKeyFile} (0600) and
     * the public key to {@code privateKeyFile.pub}, never replacing a file. Nothing is created when either file exists;
     * when the key cannot be written, the resource is deleted again (no one would hold its private half).
     *
     * @param type {@link KeyType#RSA} (Azure makes RSA-3072) or {@link KeyType#ED25519}
     * @throws FileAlreadyExistsException naming the existing file
     */
    public Resource generate(String resourceGroup, String name, String region, KeyType type, Path privateKeyFile,
            Duration timeout) throws IOException {
        if (type != KeyType.RSA && type != KeyType.ED25519) {
            throw new IllegalArgumentException("Azure generates RSA or Ed25519 key pairs, not " + type.label());
        }
        for (Path file : new Path[] {privateKeyFile, KeyPairFiles.publicKeyPath(privateKeyFile)}) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(file.toString(), null, "already exists; not overwritten");
            }
        }
        String what = "generating an SSH key pair for " + name + " in resource group " + resourceGroup;
        Deadline deadline = Deadline.after(timeout);
        deadline.call(() -> location(resourceGroup, region).flatMap(location -> keys().createAsync(resourceGroup,
                name, new SshPublicKeyResourceInner().withLocation(location))), what);
        SshPublicKeyGenerateKeyPairResultInner generated = deadline.call(() -> keys()
                .generateKeyPairWithResponseAsync(resourceGroup, name, new SshGenerateKeyPairInputParameters()
                        .withEncryptionType(type == KeyType.RSA ? SshEncryptionTypes.RSA : SshEncryptionTypes.ED25519))
                .map(response -> response.getValue()), what);
        try {
            SshKeyPair pair = PrivateKeyDecoder.decode("the private key Azure generated for " + name,
                    generated.privateKey(), null);
            SshPublicKey publicKey = SshPublicKey.parse(generated.publicKey());
            if (!pair.publicKey().equals(publicKey)) {
                throw new AzureVmException("the private key Azure generated for " + name
                        + " does not belong to the public key it returned");
            }
            KeyPairFiles.write(privateKeyFile, generated.privateKey(), publicKey, false);
            return show(resourceGroup, name, deadline.remaining());
        } catch (KeyFormatException e) {
            throw deletedAfter(new AzureVmException(e.getMessage() + "; SSH public key " + name + " deleted again", e),
                    resourceGroup, name, timeout);
        } catch (IOException e) {
            throw deletedAfter(e, resourceGroup, name, timeout);
        } catch (RuntimeException e) {
            throw deletedAfter(e, resourceGroup, name, timeout);
        }
    }

    /** {@code failure}, after deleting the resource whose private key is lost. */
    private <E extends Exception> E deletedAfter(E failure, String resourceGroup, String name, Duration timeout) {
        try {
            Deadline.after(timeout).call(() -> keys().deleteAsync(resourceGroup, name).then(Mono.just(true)),
                    "deleting SSH public key " + name);
        } catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
        return failure;
    }

    /** The resource {@code name}. */
    public Resource show(String resourceGroup, String name, Duration timeout) {
        return resource(Deadline.after(timeout).call(() -> keys().getByResourceGroupAsync(resourceGroup, name),
                "reading SSH public key " + name + " in resource group " + resourceGroup));
    }

    private SshPublicKeysClient keys() {
        return azure.compute().serviceClient().getSshPublicKeys();
    }

    private Mono<String> location(String resourceGroup, String region) {
        return region != null ? Mono.just(region)
                : azure.resources().resourceGroups().getByNameAsync(resourceGroup).map(group -> group.regionName());
    }

    private static Resource resource(SshPublicKeyResourceInner inner) {
        SshPublicKey key = null;
        if (inner.publicKey() != null) {
            try {
                key = SshPublicKey.parse(inner.publicKey());
            } catch (KeyFormatException e) {
                throw new AzureVmException("SSH public key " + inner.name() + " holds no valid key: " + e.getMessage(),
                        e);
            }
        }
        return new Resource(inner.id(), inner.name(), inner.id().split("/")[4], inner.location(), key);
    }
}
