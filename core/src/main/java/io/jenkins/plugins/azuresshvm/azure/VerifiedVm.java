package io.jenkins.plugins.azuresshvm.azure;

import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import java.util.List;

/**
 * A VM whose SSH host keys were learned out of band before any connection: what {@link VerifiedVmLauncher} returns.
 *
 * @param vm the provisioned VM (ids, addresses, admin user)
 * @param hostKeys the keys its sshd must present
 * @param crossCheck run-command's confirmation of pre-seeded keys; done at once for keys run-command reported
 */
public record VerifiedVm(ProvisionedVm vm, ExpectedHostKeys hostKeys, HostKeyCrossCheck crossCheck) {

    /** known_hosts lines for the real {@code ssh -o StrictHostKeyChecking=yes}: {@code [host]:port} unless 22. */
    public List<String> knownHostsLines() {
        return hostKeys.knownHostsLines(vm.host(), vm.sshPort());
    }
}
