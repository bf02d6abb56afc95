package io.jenkins.plugins.azuresshvm.connector;

import com.azure.core.management.profile.AzureProfile;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.microsoft.azure.util.AzureBaseCredentials;
import com.microsoft.azure.util.AzureCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Node;
import hudson.model.Run;
import hudson.security.ACL;
import io.jenkins.plugins.azuresdk.HttpClientRetriever;
import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * Reaches Azure with an azure-credentials credential (service principal, managed identity…) looked up as the build's
 * authentication (for an agent node: as the system, at Jenkins level), its cloud environment and subscription,
 * over the azure-sdk plugin's HTTP client (Jenkins' proxy).
 */
@Extension(ordinal = -100)
public final class AzureCredentialsConnector extends AzureConnector {

    @NonNull
    @Override
    public AzureAccess connect(@NonNull String azureCredentialsId, @NonNull Run<?, ?> run) throws AbortException {
        AzureBaseCredentials credentials = CredentialsProvider.findCredentialById(azureCredentialsId,
                AzureBaseCredentials.class, run, List.of());
        if (credentials == null) {
            throw new AbortException("azureCredentialsId '" + azureCredentialsId
                    + "': no Azure credential with this id is available to " + run.getExternalizableId());
        }
        CredentialsProvider.track(run, credentials);
        return access(azureCredentialsId, credentials);
    }

    @NonNull
    @Override
    public AzureAccess connect(@NonNull String azureCredentialsId, @NonNull Node node) throws AbortException {
        AzureBaseCredentials credentials = CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItemGroup(AzureBaseCredentials.class, Jenkins.get(),
                        ACL.SYSTEM2, List.of()), CredentialsMatchers.withId(azureCredentialsId));
        if (credentials == null) {
            throw new AbortException("azureCredentialsId '" + azureCredentialsId
                    + "': no Azure credential with this id in the Jenkins-level credential stores");
        }
        CredentialsProvider.track(node, credentials);
        return access(azureCredentialsId, credentials);
    }

    private static AzureAccess access(String azureCredentialsId, AzureBaseCredentials credentials)
            throws AbortException {
        String subscription = credentials.getSubscriptionId();
        if (subscription == null || subscription.isBlank()) {
            throw new AbortException("azureCredentialsId '" + azureCredentialsId + "' names no subscription");
        }
        AzureProfile profile = new AzureProfile(null, subscription, credentials.getAzureEnvironment());
        return AzureAccess.of(AzureCredentials.getTokenCredential(credentials), HttpClientRetriever.get(), profile);
    }
}
