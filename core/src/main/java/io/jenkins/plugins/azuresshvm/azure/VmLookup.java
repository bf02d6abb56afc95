package io.jenkins.plugins.azuresshvm.azure;

import com.azure.resourcemanager.compute.models.VirtualMachine;
import com.azure.resourcemanager.network.models.Network;
import com.azure.resourcemanager.network.models.NetworkInterface;
import com.azure.resourcemanager.network.models.NetworkSecurityGroup;
import com.azure.resourcemanager.network.models.NicIpConfiguration;
import com.azure.resourcemanager.network.models.PublicIpAddress;
import com.azure.resourcemanager.network.models.SecurityRuleDirection;
import com.azure.resourcemanager.resources.fluentcore.arm.ResourceUtils;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import reactor.core.publisher.Mono;

/** Cheap reads of existing VMs. */
public final class VmLookup {
    private final AzureAccess azure;

    public VmLookup(AzureAccess azure) {
        this.azure = azure;
    }

    /**
     * The {@code vmId} of the VM (one GET): Azure's id of this VM instance, which changes when a VM of the same name
     * is re-created — what decides whether pinned host keys still apply.
     *
     * @throws AzureVmException naming the VM when it does not exist or cannot be read within {@code timeout}
     */
    public String vmId(String resourceGroup, String name, Duration timeout) {
        return get(resourceGroup, name, timeout).vmId();
    }

    /**
     * The owner tag of the VM (one GET): who created it with this product, or {@code null} when it carries none (it
     * was not created by us, so neither it nor the network it uses is ours to delete).
     */
    public String owner(String resourceGroup, String name, Duration timeout) {
        Map<String, String> tags = get(resourceGroup, name, timeout).tags();
        return tags == null ? null : tags.get(AzureVmProvisioner.OWNER_TAG);
    }

    /** A VM named by its resource group and name. */
    public record VmRef(String resourceGroup, String name) {}

    /**
     * The VM whose network interface holds {@code host} — one of its private IP addresses, the address of a public
     * IP attached to it, or that public IP's DNS name ({@code fqdn}) — in {@code resourceGroup}, or in the whole
     * subscription when it is {@code null} (two lists: public IPs and network interfaces). A DNS name is matched
     * against Azure's own records, never resolved.
     *
     * @throws AzureVmException when no VM or more than one holds it (private addresses repeat across virtual
     *     networks: then name the resource group or the VM), or the lists fail within {@code timeout}
     */
    public VmRef byAddress(String host, String resourceGroup, Duration timeout) {
        String where = resourceGroup == null ? "subscription " + azure.subscriptionId()
                : "resource group " + resourceGroup;
        String what = "finding the VM with address " + host + " in " + where;
        var ips = azure.network().publicIpAddresses();
        var nics = azure.network().networkInterfaces();
        var lists = Deadline.after(timeout).call(() -> Mono.zip(
                (resourceGroup == null ? ips.listAsync() : ips.listByResourceGroupAsync(resourceGroup)).collectList(),
                (resourceGroup == null ? nics.listAsync() : nics.listByResourceGroupAsync(resourceGroup))
                        .collectList()), what);
        List<PublicIpAddress> publicIps = lists.getT1();
        List<NetworkInterface> interfaces = lists.getT2();
        Set<String> publicIpIds = new HashSet<>();
        for (PublicIpAddress ip : publicIps) {
            if (host.equalsIgnoreCase(ip.ipAddress()) || sameDnsName(host, ip.fqdn())) {
                publicIpIds.add(ip.id().toLowerCase(Locale.ROOT));
            }
        }
        Set<String> vmIds = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        boolean unattached = false;
        for (NetworkInterface nic : interfaces) {
            boolean holds = nic.ipConfigurations().values().stream().anyMatch(ip -> host.equalsIgnoreCase(
                    ip.privateIpAddress()) || ip.publicIpAddressId() != null
                            && publicIpIds.contains(ip.publicIpAddressId().toLowerCase(Locale.ROOT)));
            if (holds && nic.virtualMachineId() != null) {
                vmIds.add(nic.virtualMachineId());
            } else if (holds) {
                unattached = true;
            }
        }
        if (vmIds.isEmpty()) {
            throw new AzureVmException("no VM in " + where + " has the address " + host + (unattached
                    ? " (a network interface holds it, attached to no VM)"
                    : publicIpIds.isEmpty() ? "" : " (its public IP is attached to no network interface)"));
        }
        if (vmIds.size() > 1) {
            throw new AzureVmException(vmIds.size() + " VMs in " + where + " have the address " + host + " ("
                    + vmIds.stream().map(id -> ResourceUtils.groupFromResourceId(id) + "/"
                            + ResourceUtils.nameFromResourceId(id)).toList()
                    + "): name the resource group or the VM");
        }
        String vmId = vmIds.iterator().next();
        return new VmRef(ResourceUtils.groupFromResourceId(vmId), ResourceUtils.nameFromResourceId(vmId));
    }

    private static boolean sameDnsName(String host, String fqdn) {
        return fqdn != null && !fqdn.isEmpty() && stripDot(host).equalsIgnoreCase(stripDot(fqdn));
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private VirtualMachine get(String resourceGroup, String name, Duration timeout) {
        String what = "reading VM " + name + " (resource group " + resourceGroup + ")";
        return Deadline.after(timeout).call(
                () -> azure.compute().virtualMachines().getByResourceGroupAsync(resourceGroup, name), what);
    }

    /**
     * An existing VM as {@link AzureVmProvisioner} would have returned it (four to five GETs: VM, NIC, NSG, virtual
     * network, public IP): what connecting to it and deleting it need. Its resource group counts as not ours, so
     * deleting the VM leaves the group. Its virtual network counts as ours only when it is the one the provisioner
     * creates ({@code <name>-vnet}) with the VM's owner tag; else (an existing subnet) {@code virtualNetworkId} is
     * {@code null} and deleting the VM leaves the network. The SSH port is the one the NSG's first inbound rule
     * named {@code ssh} opens (22 without). A VM tagged {@link AzureVmProvisioner#JIT_POLICY_TAG} has that
     * just-in-time policy.
     *
     * @throws AzureVmException naming the VM when it or its NIC does not exist or cannot be read within
     *     {@code timeout}
     */
    public ProvisionedVm read(String resourceGroup, String name, Duration timeout) {
        String what = "reading VM " + name + " (resource group " + resourceGroup + ") and its network";
        return Deadline.after(timeout).call(() -> azure.compute().virtualMachines()
                .getByResourceGroupAsync(resourceGroup, name).flatMap(this::withNetwork), what);
    }

    private Mono<ProvisionedVm> withNetwork(VirtualMachine vm) {
        return azure.network().networkInterfaces().getByIdAsync(vm.primaryNetworkInterfaceId()).flatMap(nic -> {
            NicIpConfiguration ip = nic.primaryIPConfiguration();
            Mono<Optional<PublicIpAddress>> publicIp = ip.publicIpAddressId() == null ? Mono.just(Optional.empty())
                    : azure.network().publicIpAddresses().getByIdAsync(ip.publicIpAddressId()).map(Optional::of);
            Mono<Optional<NetworkSecurityGroup>> nsg = nic.networkSecurityGroupId() == null
                    ? Mono.just(Optional.empty())
                    : azure.network().networkSecurityGroups().getByIdAsync(nic.networkSecurityGroupId())
                            .map(Optional::of);
            Mono<Optional<String>> ownNetwork = ip.networkId() == null ? Mono.just(Optional.empty())
                    : azure.network().networks().getByIdAsync(ip.networkId())
                            .map(network -> Optional.of(network).filter(n -> ownNetwork(vm, n)).map(Network::id))
                            .onErrorResume(AzureErrors::isNotFound, e -> Mono.just(Optional.empty()));
            return Mono.zip(publicIp, nsg, ownNetwork).map(all -> provisioned(vm, nic, all.getT1().orElse(null),
                    all.getT2().orElse(null), all.getT3().orElse(null)));
        });
    }

    /** The network the provisioner created for this VM: named after it, with the VM's owner tag. */
    private static boolean ownNetwork(VirtualMachine vm, Network network) {
        String owner = vm.tags() == null ? null : vm.tags().get(AzureVmProvisioner.OWNER_TAG);
        return owner != null && network.name().equalsIgnoreCase(vm.name() + "-vnet") && network.tags() != null
                && owner.equals(network.tags().get(AzureVmProvisioner.OWNER_TAG));
    }

    private ProvisionedVm provisioned(VirtualMachine vm, NetworkInterface nic, PublicIpAddress ip,
            NetworkSecurityGroup nsg, String networkId) {
        return new ProvisionedVm(vm.resourceGroupName(), false, vm.name(), vm.id(), vm.vmId(), nic.id(),
                ip == null ? null : ip.id(), nsg == null ? null : nsg.id(), networkId,
                vm.osDiskId(), ip == null ? null : ip.ipAddress(), nic.primaryPrivateIP(),
                ip == null ? null : ip.fqdn(), vm.osProfile().adminUsername(), sshPort(nsg), jitPolicyId(vm));
    }

    /** Our just-in-time policy of the VM, named by its tag, in its group and region; {@code null} without one. */
    private String jitPolicyId(VirtualMachine vm) {
        String name = vm.tags() == null ? null : vm.tags().get(AzureVmProvisioner.JIT_POLICY_TAG);
        return name == null ? null
                : JitAccess.policyId(azure.subscriptionId(), vm.resourceGroupName(), vm.regionName(), name);
    }

    private static int sshPort(NetworkSecurityGroup nsg) {
        return Optional.ofNullable(nsg).map(group -> group.securityRules().get("ssh"))
                .filter(rule -> rule.direction() == SecurityRuleDirection.INBOUND)
                .map(rule -> rule.destinationPortRange())
                .filter(port -> port.matches("[0-9]+"))
                .map(Integer::parseInt)
                .orElse(22);
    }
}
