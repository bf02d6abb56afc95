package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureVmProvisioner;
import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;
import io.jenkins.plugins.azuresshvm.azure.RunCommand;
import io.jenkins.plugins.azuresshvm.azure.RunCommandHostKeyProbe;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVm;
import io.jenkins.plugins.azuresshvm.azure.VerifiedVmLauncher;
import io.jenkins.plugins.azuresshvm.azure.VmSpec;
import io.jenkins.plugins.azuresshvm.hostkeys.PinnedHostKeys;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.keys.KeyPairFiles;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code azssh vm create}: provisions a VM, learns its host keys through run-command, prints and pins them.
 */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = {
            "Create a Linux VM reachable by SSH from one source, learn its host keys through run-command (never",
            "from the network), print them with known_hosts lines, and pin them for 'azssh ssh'.",
            "Results on stdout, progress on stderr. A failure deletes what was created (unless --keep-on-failure)."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:created, host keys learned and pinned", "1:an error", "2:invalid usage"})
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

    @Option(names = "--ssh-key-values", paramLabel = "FILE", arity = "1..*", required = true,
            description = "Public key files (.pub) for the admin user: RSA ≥ 2048 bits or Ed25519.")
    List<Path> keyFiles;

    @Option(names = "--ssh-source", paramLabel = "CIDR", required = true,
            description = "The address or CIDR allowed to reach SSH; '*' (anyone) only when given, with a warning.")
    String sshSource;

    @Option(names = "--subnet", paramLabel = "SUBNET_ID",
            description = "Put the VM in this existing subnet (ARM id); default: a new virtual network of its own.")
    String subnet;

    @Option(names = "--public-ip-address-dns-name", paramLabel = "LABEL",
            description = "DNS label of the public IP: LABEL.<region>.cloudapp.azure.com.")
    String dnsLabel;

    @Option(names = "--new-resource-group", description = "Create the resource group (it must not exist).")
    boolean newResourceGroup;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "Append the known_hosts lines to FILE.")
    Path knownHosts;

    @Option(names = "--jit", description = "Reach SSH through just-in-time VM access (needs Microsoft Defender for"
            + " Servers): the NSG denies SSH; access is requested for --ssh-source before connecting.")
    boolean jit;

    @Option(names = "--keep-on-failure", description = "Leave what was created when a step fails, for inspection.")
    boolean keepOnFailure;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT20M",
            description = "For the whole creation (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        VmSpec vmSpec = vmSpec(publicKeys());
        vmSpec.warnings().forEach(warning -> err.println("azssh: warning: " + warning));
        AzureAccess azure = vm.azssh.azure();
        StepPrinter steps = new StepPrinter(err, 2);
        VerifiedVm verified;
        try {
            verified = new VerifiedVmLauncher(new AzureVmProvisioner(azure),
                    new RunCommandHostKeyProbe(new RunCommand(azure))).launch(vmSpec, timeout, step -> steps.start(
                            step == VerifiedVmLauncher.Step.PROVISION
                                    ? "Creating VM " + vmName.name + " (NSG, public IP, vnet, NIC, VM)"
                                    : "Learning its host keys via run-command (while waiting for SSH)"));
            steps.done();
        } catch (Exception | Error e) {
            steps.failed();
            throw e;
        }
        ProvisionedVm created = verified.vm();
        Path pin = PinStore.of(vm.azssh.environment()).write(azure.subscriptionId(), vmName.resourceGroup,
                vmName.name, new PinnedHostKeys(created.vmId(), verified.hostKeys()));
        if (knownHosts != null) {
            Files.writeString(knownHosts, String.join("\n", verified.knownHostsLines()) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        print(out, created);
        HostKeyReport.print(out, verified.hostKeys(), created.host(), created.sshPort());
        err.println("Host keys pinned in " + pin + (knownHosts != null ? ", appended to " + knownHosts : ""));
        return 0;
    }

    private VmSpec vmSpec(List<SshPublicKey> keys) throws IOException {
        VmSpec.Builder builder = VmSpec.builder().name(vmName.name).region(region).image(image).size(size)
                .adminUsername(adminUsername).sshKeys(keys).sshSource(sshSource).keepOnFailure(keepOnFailure)
                .ownerId(LocalUser.ownerId()).jit(jit);
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

    private List<SshPublicKey> publicKeys() throws IOException, KeyFormatException {
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
}
