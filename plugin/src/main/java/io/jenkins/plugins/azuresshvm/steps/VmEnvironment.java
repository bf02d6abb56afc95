package io.jenkins.plugins.azuresshvm.steps;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;

/** The variables {@code azureSshVm} gives its body. */
final class VmEnvironment {
    private VmEnvironment() {}

    /**
     * AZURE_VM_NAME, _HOST, _FQDN (empty without a DNS label), _USER, _KNOWN_HOSTS (a file on the agent with the
     * verified known_hosts lines) and _SSH_OPTS (strict checking against that file only; a port other than 22).
     */
    static Map<String, String> of(CreatedVm vm, String knownHostsPath) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AZURE_VM_NAME", vm.name());
        env.put("AZURE_VM_HOST", vm.host());
        env.put("AZURE_VM_FQDN", vm.fqdn() == null ? "" : vm.fqdn());
        env.put("AZURE_VM_USER", vm.adminUsername());
        env.put("AZURE_VM_KNOWN_HOSTS", knownHostsPath);
        env.put("AZURE_VM_SSH_OPTS", "-o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + knownHostsPath
                + (vm.sshPort() == 22 ? "" : " -o Port=" + vm.sshPort()));
        return env;
    }

    /** An expander adding {@link #of} to what the body inherits. */
    static EnvironmentExpander expander(EnvironmentExpander inherited, CreatedVm vm, String knownHostsPath) {
        return EnvironmentExpander.merge(inherited, EnvironmentExpander.constant(of(vm, knownHostsPath)));
    }

}
