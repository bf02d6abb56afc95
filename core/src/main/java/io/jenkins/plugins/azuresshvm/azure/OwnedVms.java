package io.jenkins.plugins.azuresshvm.azure;

import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.NetworkInterfaceReference;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;

/** The VMs one owner created ({@link AzureVmProvisioner#OWNER_TAG}), across the subscription, in three list calls. */
public final class OwnedVms {
    private final AzureAccess azure;

    public OwnedVms(AzureAccess azure) {
        this.azure = azure;
    }

    /**
     * One VM of the owner.
     *
     * @param created its {@link AzureVmProvisioner#CREATED_TAG}, or {@code null} when unreadable
     * @param host its public IP address, else its private one, else {@code null}
     */
    public record OwnedVm(String name, String resourceGroup, String location, Instant created, String host) {}

    /**
     * The VMs tagged with {@code ownerId}, by resource group and name (lists of the subscription's VMs, network
     * interfaces and public IPs).
     *
     * @throws AzureVmException when Azure cannot be read within {@code timeout}
     */
    public List<OwnedVm> list(String ownerId, Duration timeout) {
        String what = "listing the VMs of " + ownerId;
        return Deadline.after(timeout).call(() -> Mono.zip(
                azure.compute().serviceClient().getVirtualMachines().listAsync().collectList(),
                azure.network().serviceClient().getNetworkInterfaces().listAsync().collectMap(nic -> key(nic.id())),
                azure.network().serviceClient().getPublicIpAddresses().listAsync()
                        .collectMap(ip -> key(ip.id()), Function.identity()))
                .map(all -> all.getT1().stream()
                        .filter(vm -> vm.tags() != null && ownerId.equals(vm.tags().get(AzureVmProvisioner.OWNER_TAG)))
                        .map(vm -> owned(vm, all.getT2(), all.getT3()))
                        .sorted(Comparator.comparing(OwnedVm::resourceGroup, String.CASE_INSENSITIVE_ORDER)
                                .thenComparing(OwnedVm::name))
                        .collect(Collectors.toList())), what);
    }

    private static OwnedVm owned(VirtualMachineInner vm, Map<String, NetworkInterfaceInner> nics,
            Map<String, PublicIpAddressInner> ips) {
        return new OwnedVm(vm.name(), vm.id().split("/")[4], vm.location(),
                created(vm.tags().get(AzureVmProvisioner.CREATED_TAG)), host(vm, nics, ips));
    }

    private static Instant created(String tag) {
        try {
            return tag == null ? null : Instant.parse(tag);
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private static String host(VirtualMachineInner vm, Map<String, NetworkInterfaceInner> nics,
            Map<String, PublicIpAddressInner> ips) {
        if (vm.networkProfile() == null || vm.networkProfile().networkInterfaces() == null) {
            return null;
        }
        List<NetworkInterfaceReference> references = vm.networkProfile().networkInterfaces();
        NetworkInterfaceReference primary = references.stream()
                .filter(reference -> Boolean.TRUE.equals(reference.primary())).findFirst()
                .orElse(references.isEmpty() ? null : references.get(0));
        NetworkInterfaceInner nic = primary == null ? null : nics.get(key(primary.id()));
        if (nic == null || nic.ipConfigurations() == null || nic.ipConfigurations().isEmpty()) {
            return null;
        }
        NetworkInterfaceIpConfigurationInner ip = nic.ipConfigurations().stream()
                .filter(config -> Boolean.TRUE.equals(config.primary())).findFirst()
                .orElse(nic.ipConfigurations().get(0));
        PublicIpAddressInner publicIp = ip.publicIpAddress() == null ? null : ips.get(key(ip.publicIpAddress().id()));
        return publicIp != null && publicIp.ipAddress() != null ? publicIp.ipAddress() : ip.privateIpAddress();
    }

    private static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
