package io.jenkins.plugins.azuresshvm.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.ProvisionedVm;
import io.jenkins.plugins.azuresshvm.azure.RunCommand;
import io.jenkins.plugins.azuresshvm.azure.RunCommandHostKeyProbe;
import io.jenkins.plugins.azuresshvm.azure.VmLookup;
import io.jenkins.plugins.azuresshvm.connector.AzureConnector;
import io.jenkins.plugins.azuresshvm.hostkeys.ExpectedHostKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.StepExecutions;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code azureSshVmHostKeys(azureCredentialsId:, resourceGroup:, name:)}: the SSH host keys of an existing VM,
 * learned through run-command (never from the network), as a map of {@code fingerprints} and {@code knownHosts}
 * lines for its address.
 */
public final class AzureSshVmHostKeysStep extends ExistingVmStep {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @DataBoundConstructor
    public AzureSshVmHostKeysStep(String azureCredentialsId, String resourceGroup, String name) {
        super(azureCredentialsId, resourceGroup, name);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return StepExecutions.synchronousNonBlocking(context, c -> {
            StageLog stages = new StageLog(c.get(TaskListener.class), "azureSshVmHostKeys");
            AzureAccess azure = AzureConnector.get().connect(getAzureCredentialsId(), c.get(Run.class));
            stages.start("Learning the SSH host keys of VM " + getName() + " via run-command");
            ProvisionedVm vm = new VmLookup(azure).read(getResourceGroup(), getName(), TIMEOUT);
            ExpectedHostKeys keys = new RunCommandHostKeyProbe(new RunCommand(azure))
                    .probe(getResourceGroup(), getName(), TIMEOUT);
            stages.done();
            ArrayList<String> fingerprints = new ArrayList<>(keys.keys().stream().map(CreatedVm::fingerprint).toList());
            fingerprints.forEach(fingerprint -> stages.info("  " + fingerprint));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("fingerprints", fingerprints);
            result.put("knownHosts", new ArrayList<>(keys.knownHostsLines(vm.host(), vm.sshPort())));
            return result;
        });
    }

    @Extension
    @Symbol("azureSshVmHostKeys")
    public static final class DescriptorImpl extends ExistingVmDescriptor {
        @Override
        public String getFunctionName() {
            return "azureSshVmHostKeys";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Learn an Azure VM's SSH host keys via run-command";
        }
    }
}
