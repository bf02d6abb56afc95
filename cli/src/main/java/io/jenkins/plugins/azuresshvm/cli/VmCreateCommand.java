package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureVmException;
import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import io.jenkins.plugins.azuresshvm.azure.PreseededHostKeys;
import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;
import io.jenkins.plugins.azuresshvm.azure.RunCommand;
import io.jenkins.plugins.azuresshvm.azure.RunCommandHostKeyProbe;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVm;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVmLauncher;
import io.jenkins.plugins.azuresshvm.azure.VmSpec;
import io.jenkins.plugins.azuresshvm.hostkeys.PinnedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.KeyPairFiles;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code azssh vm create}: provisions a VM, learns its host keys through run-command (or, with
 * {@code --preseed-host-keys}, pre-seeds them and has run-command cross-check them), prints and pins them.
 */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = {
            "Create a Linux VM reachable by SSH from one source, learn its host keys through run-command (never",
            "from the network), print them with known_hosts lines, and pin them for 'azssh ssh'. With",
            "--preseed-host-keys the host keys are generated here and installed by cloud-init, SSH is verified with",
            "them at once, and run-command cross-checks them before azssh exits.",
            "Results on stdout, progress on stderr. A failure deletes what was created (unless --keep-on-failure)."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:created, host keys learned and pinned", "1:an error", "2:invalid usage",
            "3:--preseed-host-keys: run-command reported other host keys (an attack; the VM is deleted)"})
final class VmCreateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Mixin
    VmName vmName;

    @Option(names = {"-l", "--location"}, paramLabel = "REGION", required = true, description = "Region, e.g. westeurope.")
    String region;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = "Ubuntu2404",
            description = "URN publisher:offer:sku:version or an alias (Ubuntu2404, Ubuntu2204, …). Default: ${DEFAULT-VALUE}.")
    String image;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "Standard_B2s", description = "Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--admin-username", paramLabel = "USER", defaultValue = "azureuser",
            description = "The user the keys log in as. Default: ${DEFAULT-VALUE}.")
    String adminUsername;

    @ArgGroup(exclusive = true, multiplicity = "1")
    AdminKeys adminKeys;

    /** Where the admin user's public keys come from: files, or {@code --generate-ssh-keys}. */
    static final class AdminKeys {
        @Option(names = "--ssh-key-values", paramLabel = "FILE", arity = "1..*", required = true,
                description = "Public key files (.pub) for the admin user: RSA ≥ 2048 bits or Ed25519.")
        List<Path> files;

        @Option(names = "--generate-ssh-keys", required = true,
                description = "Use ~/.ssh/id_rsa.pub, creating ~/.ssh/id_rsa(.pub) (RSA 4096, PEM) when it does not"
                        + " exist; never overwrites. Passphrase: $AZSSH_PASSPHRASE.")
        boolean generate;
    }

    @Option(names = "--ssh-source", paramLabel = "CIDR", required = true,
            description = "The address or CIDR allowed to reach SSH; '*' (anyone) only when given, with a warning.")
    String sshSource;

    @Option(names = "--subnet", paramLabel = "SUBNET_ID",
            description = "Put the VM in this existing subnet (ARM id); default: a new virtual network of its own.")
    String subnet;

    @Option(names = "--public-ip-address-dns-name", paramLabel = "LABEL",
            description = "DNS label of the public IP: LABEL.<region>.cloudapp.azure.com.")
    String dnsLabel;

    @Option(names = "--public-ip", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Give the VM a Standard static public IP (default); with --no-public-ip azssh reaches it at"
                    + " its private IP, so run it from inside the virtual network.")
    boolean publicIp;

    @Option(names = "--tags", paramLabel = "KEY[=VALUE]", arity = "1..*",
            description = "Tags for the VM and everything created with it; a KEY alone has an empty value.")
    List<String> tags = List.of();

    @Option(names = "--new-resource-group", description = "Create the resource group (it must not exist).")
    boolean newResourceGroup;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "Append the known_hosts lines to FILE.")
    Path knownHosts;

    @Option(names = "--jit", description = "Reach SSH through just-in-time VM access (needs Microsoft Defender for"
            + " Servers): the NSG denies SSH; access is requested for --ssh-source before connecting.")
    boolean jit;

    @Option(names = "--preseed-host-keys", description = "Generate the VM's host keys (Ed25519, ECDSA) and hand them to"
            + " cloud-init in customData: SSH is verified with them without waiting for run-command, which then"
            + " cross-checks them (a disagreement exits 3 and deletes the VM). The host private keys travel through"
            + " Azure's API: see docs/security.md.")
    boolean preseedHostKeys;

    @Option(names = "--keep-on-failure", description = "Leave what was created when a step fails, for inspection.")
    boolean keepOnFailure;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT20M",
            description = "For the whole creation (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> tagMap = tags();
        DefaultSshKeyPair.Outcome generated = adminKeys.generate ? generateKeys() : null;
        if (generated != null) {
            err.println(generated.generated()
                    ? "SSH key files " + generated.privateKeyFile() + " and " + generated.publicKeyFile() + " created"
                    : "Using the existing " + generated.publicKeyFile());
        }
        List<SshPublicKey> keys = publicKeys(generated != null ? List.of(generated.publicKeyFile()) : adminKeys.files);
        VmSpec vmSpec = vmSpec(keys, tagMap);
        vmSpec.warnings().forEach(warning -> err.println("azssh: warning: " + warning));
        AzureAccess azure = vm.azssh.azure();
        Instant deadline = Instant.now().plus(timeout);
        StepPrinter steps = new StepPrinter(err, preseedHostKeys ? 3 : 2);
        VerifiedVm verified;
        try {
            verified = new VerifiedVmLauncher(new AzureVmProvisioner(azure),
                    new RunCommandHostKeyProbe(new RunCommand(azure))).launch(vmSpec, timeout, step -> steps.start(
                            step == VerifiedVmLauncher.Step.PROVISION
                                    ? "Creating VM " + vmName.name + " (NSG, " + (publicIp ? "public IP, " : "")
                                            + "vnet, NIC, VM)"
                                    : (preseedHostKeys ? "Waiting for SSH on " : "Learning its host keys via"
                                            + " run-command (while waiting for SSH on ")
                                            + (publicIp ? "the public IP" : "the private IP")
                                            + (preseedHostKeys ? " (host keys pre-seeded in customData)" : ")")));
            steps.done();
            if (preseedHostKeys) {
                err.println("Host keys verified by: pre-seeded in customData (known before the VM existed);"
                        + " run-command cross-checks them in the background");
                steps.start("Waiting for run-command's cross-check of the pre-seeded host keys");
                verified.crossCheck().await(remaining(deadline));
                steps.done();
            }
        } catch (Exception | Error e) {
            steps.failed();
            throw e;
        }
        if (!preseedHostKeys) {
            err.println("Host keys verified by: run-command");
        }
        ProvisionedVm created = verified.vm();
        Path pin = PinStore.of(vm.azssh.environment()).write(azure.subscriptionId(), vmName.resourceGroup,
                vmName.name, new PinnedHostKeys(created.vmId(), verified.hostKeys()));
        if (knownHosts != null) {
            Files.writeString(knownHosts, String.join("\n", verified.knownHostsLines()) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        vm.azssh.print(spec.commandLine().getOut(), out -> {
            print(out, created);
            HostKeyReport.print(out, verified.hostKeys(), created.host(), created.sshPort());
            if (preseedHostKeys) {
                out.println("Cross-check: confirmed (run-command reports exactly the pre-seeded host keys)");
            }
        }, () -> new Json(created.vmResourceId(), created.vmId(), created.resourceGroup(), created.name(),
                created.publicIp(), created.fqdn(), created.privateIp(), created.host(), created.sshPort(),
                created.adminUsername(), tagMap, keys.stream().map(PublicKeyJson::of).toList(),
                generated != null && generated.generated() ? generated.privateKeyFile().toString() : null,
                verified.hostKeys().keys().stream().map(PublicKeyJson::of).toList(), verified.knownHostsLines(),
                pin.toString(), knownHosts != null ? knownHosts.toString() : null,
                preseedHostKeys ? "preseeded" : "run-command", preseedHostKeys ? "confirmed" : null));
        err.println("Host keys pinned in " + pin + (knownHosts != null ? ", appended to " + knownHosts : ""));
        return 0;
    }

    private DefaultSshKeyPair.Outcome generateKeys() throws IOException {
        char[] passphrase = Passphrases.resolve(null, null, vm.azssh.environment());
        try {
            return DefaultSshKeyPair.reuseOrCreate(UserHome.of(vm.azssh.environment()), passphrase,
                    LocalUser.atHost());
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    /** {@code --tags} as a map; a malformed or repeated one is an error naming it. */
    private Map<String, String> tags() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String tag : tags) {
            int equals = tag.indexOf('=');
            String key = equals < 0 ? tag : tag.substring(0, equals);
            if (key.isBlank()) {
                throw new IllegalArgumentException("--tags: '" + tag + "' has no key; give KEY=VALUE or KEY");
            }
            if (map.keySet().stream().anyMatch(key::equalsIgnoreCase)) {
                throw new IllegalArgumentException("--tags: key '" + key + "' given twice (tag keys ignore case)");
            }
            map.put(key, equals < 0 ? "" : tag.substring(equals + 1));
        }
        return map;
    }

    private VmSpec vmSpec(List<SshPublicKey> keys, Map<String, String> tagMap) throws IOException {
        VmSpec.Builder builder = VmSpec.builder().name(vmName.name).region(region).image(image).size(size)
                .adminUsername(adminUsername).sshKeys(keys).sshSource(sshSource).keepOnFailure(keepOnFailure)
                .publicIp(publicIp).ownerId(LocalUser.ownerId()).jit(jit);
        if (preseedHostKeys) {
            builder.preseededHostKeys(PreseededHostKeys.generate(new SshKeyGenerator()));
        }
        tagMap.forEach(builder::tag);
        if (subnet != null) {
            builder.existingSubnet(subnet);
        }
        if (dnsLabel != null) {
            builder.dnsLabel(dnsLabel);
        }
        return (newResourceGroup ? builder.newResourceGroup(vmName.resourceGroup)
                : builder.resourceGroup(vmName.resourceGroup))
                .build();
    }

    /** The time left of {@code --timeout}; none left is an error naming it. */
    private Duration remaining(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new AzureVmException("the timeout of " + timeout.toSeconds() + " s ran out before run-command's"
                    + " cross-check of the host keys");
        }
        return left;
    }

    private static List<SshPublicKey> publicKeys(List<Path> keyFiles) throws IOException, KeyFormatException {
        List<SshPublicKey> keys = new ArrayList<>();
        for (Path file : keyFiles) {
            String[] lines = KeyPairFiles.readText(file).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isBlank() && !lines[i].strip().startsWith("#")) {
                    try {
                        keys.add(SshPublicKey.parse(lines[i]));
                    } catch (KeyFormatException e) {
                        throw e.at(file.toString(), i + 1);
                    }
                }
            }
        }
        return keys;
    }

    private static void print(PrintWriter out, ProvisionedVm created) {
        out.println("VM: " + created.vmResourceId());
        out.println("vmId: " + created.vmId());
        out.println("Public IP: " + (created.publicIp() != null ? created.publicIp() : "none"));
        if (created.fqdn() != null) {
            out.println("FQDN: " + created.fqdn());
        }
        out.println("Private IP: " + created.privateIp());
        out.println("Admin user: " + created.adminUsername());
    }

    /**
     * {@code azssh vm create --output json}.
     *
     * @param id the VM's ARM id
     * @param vmId Azure's id of this VM instance (the pin holds for it)
     * @param resourceGroup its resource group
     * @param name the VM name
     * @param publicIp the public address, or {@code null} with {@code --no-public-ip}
     * @param fqdn the public IP's DNS name, or {@code null} without {@code --public-ip-address-dns-name}
     * @param privateIp the address in the virtual network
     * @param host where azssh connects: the public IP, else the private one
     * @param sshPort the SSH port
     * @param adminUsername the user the keys log in as
     * @param tags the {@code --tags} (the provisioner adds its own owner and creation tags besides)
     * @param sshKeys the admin user's public keys
     * @param generatedPrivateKeyFile the private key {@code --generate-ssh-keys} created, else {@code null}
     * @param hostKeys the host keys learned through run-command, or pre-seeded
     * @param knownHosts known_hosts lines for them
     * @param pinFile where they are pinned
     * @param knownHostsFile the {@code --known-hosts} file they were appended to, or {@code null}
     * @param hostKeySource what verified them: {@code run-command}, or {@code preseeded} (customData)
     * @param crossCheck {@code confirmed} when run-command reported exactly the pre-seeded keys; {@code null} when
     *     the keys came from run-command
     */
    record Json(String id, String vmId, String resourceGroup, String name, String publicIp, String fqdn,
            String privateIp, String host, int sshPort, String adminUsername, Map<String, String> tags,
            List<PublicKeyJson> sshKeys, String generatedPrivateKeyFile, List<PublicKeyJson> hostKeys,
            List<String> knownHosts, String pinFile, String knownHostsFile, String hostKeySource,
            String crossCheck) {}
}
