package io.jenkins.plugins.azuresshvm.connector;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionList;
import hudson.ExtensionPoint;
import hudson.model.Node;
import hudson.model.Run;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import java.io.IOException;

/**
 * How the plugin reaches Azure Resource Manager for a credential id: the one seam between Jenkins' notion of Azure
 * credentials and core's {@link AzureAccess}. Production: {@link AzureCredentialsConnector}; tests register their own
 * (a fixed token and the emulator's endpoint), which comes first because its ordinal is higher.
 */
public abstract class AzureConnector implements ExtensionPoint {

    /**
     * Access to the subscription of {@code azureCredentialsId} as {@code run} may use it.
     *
     * @throws hudson.AbortException naming the id when the credential cannot be found or used
     */
    @NonNull
    public abstract AzureAccess connect(@NonNull String azureCredentialsId, @NonNull Run<?, ?> run)
            throws IOException;

    /**
     * Access to the subscription of {@code azureCredentialsId} for an agent node: looked up as the system in the
     * Jenkins-level stores, as the SSH Build Agents plugin looks up its own credentials.
     *
     * @throws hudson.AbortException naming the id when the credential cannot be found or used
     */
    @NonNull
    public abstract AzureAccess connect(@NonNull String azureCredentialsId, @NonNull Node node) throws IOException;

    /** The connector with the highest ordinal. */
    @NonNull
    public static AzureConnector get() {
        return ExtensionList.lookupFirst(AzureConnector.class);
    }
}
