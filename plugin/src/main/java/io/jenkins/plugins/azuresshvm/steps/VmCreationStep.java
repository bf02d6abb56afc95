package io.jenkins.plugins.azuresshvm.steps;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.microsoft.azure.util.AzureBaseCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.azuresshvm.azure.DerivedVmName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The VM parameters of {@code azureSshVm} and {@code azureSshVmCreate}: core's VM spec as Pipeline arguments. Only
 * the Azure and SSH credentials, the resource group, the location and the SSH source are required.
 */
public abstract class VmCreationStep extends Step {
    /** The owner tag's value for VMs created by this Jenkins: {@code jenkins:<instance id>}. */
    static final String OWNER_PREFIX = "jenkins:";
    /** The tag naming the build that created a VM. */
    static final String BUILD_TAG = "jenkins-build";

    private final String azureCredentialsId;
    private final String sshCredentialsId;
    private final String resourceGroup;
    private final String location;
    private final String sshSource;
    private String name;
    private String image = "Ubuntu2404";
    private String size = "Standard_B2s";
    private String adminUsername;
    private boolean publicIp = true;
    private List<VmTag> tags = new ArrayList<>();
    private String additionalPublicKeys;
    private boolean jit;
    private boolean preseedHostKeys;

    protected VmCreationStep(String azureCredentialsId, String sshCredentialsId, String resourceGroup,
            String location, String sshSource) {
        this.azureCredentialsId = Util.fixEmptyAndTrim(azureCredentialsId);
        this.sshCredentialsId = Util.fixEmptyAndTrim(sshCredentialsId);
        this.resourceGroup = Util.fixEmptyAndTrim(resourceGroup);
        this.location = Util.fixEmptyAndTrim(location);
        this.sshSource = Util.fixEmptyAndTrim(sshSource);
    }

    public String getAzureCredentialsId() {
        return azureCredentialsId;
    }

    public String getSshCredentialsId() {
        return sshCredentialsId;
    }

    public String getResourceGroup() {
        return resourceGroup;
    }

    public String getLocation() {
        return location;
    }

    public String getSshSource() {
        return sshSource;
    }

    @CheckForNull
    public String getName() {
        return name;
    }

    /** Default: derived from the job's full name and the build number. */
    @DataBoundSetter
    public void setName(@CheckForNull String name) {
        this.name = Util.fixEmptyAndTrim(name);
    }

    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(@CheckForNull String image) {
        this.image = Util.fixEmptyAndTrim(image) == null ? "Ubuntu2404" : image.trim();
    }

    public String getSize() {
        return size;
    }

    @DataBoundSetter
    public void setSize(@CheckForNull String size) {
        this.size = Util.fixEmptyAndTrim(size) == null ? "Standard_B2s" : size.trim();
    }

    @CheckForNull
    public String getAdminUsername() {
        return adminUsername;
    }

    /** Default: the SSH credential's username. */
    @DataBoundSetter
    public void setAdminUsername(@CheckForNull String adminUsername) {
        this.adminUsername = Util.fixEmptyAndTrim(adminUsername);
    }

    public boolean isPublicIp() {
        return publicIp;
    }

    @DataBoundSetter
    public void setPublicIp(boolean publicIp) {
        this.publicIp = publicIp;
    }

    @NonNull
    public List<VmTag> getTags() {
        return List.copyOf(tags);
    }

    @DataBoundSetter
    public void setTags(@CheckForNull List<VmTag> tags) {
        this.tags = tags == null ? new ArrayList<>() : new ArrayList<>(tags);
    }

    @CheckForNull
    public String getAdditionalPublicKeys() {
        return additionalPublicKeys;
    }

    /** More authorized_keys lines for the admin user, one per line. */
    @DataBoundSetter
    public void setAdditionalPublicKeys(@CheckForNull String additionalPublicKeys) {
        this.additionalPublicKeys = Util.fixEmptyAndTrim(additionalPublicKeys);
    }

    public boolean isJit() {
        return jit;
    }

    /** Reach SSH through Azure just-in-time VM access (Microsoft Defender for Servers), requested for sshSource. */
    @DataBoundSetter
    public void setJit(boolean jit) {
        this.jit = jit;
    }

    public boolean isPreseedHostKeys() {
        return preseedHostKeys;
    }

    /**
     * Generate the VM's host keys and hand them to cloud-init, so the first connection need not wait for
     * run-command, which then confirms them in the background.
     */
    @DataBoundSetter
    public void setPreseedHostKeys(boolean preseedHostKeys) {
        this.preseedHostKeys = preseedHostKeys;
    }

    /** The request with its defaults filled in for {@code run}. */
    VmRequest request(Run<?, ?> run) {
        Map<String, String> allTags = new LinkedHashMap<>();
        String build = run.getExternalizableId();
        if (build.length() <= 256) {
            allTags.put(BUILD_TAG, build);
        }
        tags.forEach(tag -> allTags.put(tag.getName(), tag.getValue()));
        String vmName = name != null ? name
                : DerivedVmName.of(run.getParent().getFullName(), Integer.toString(run.getNumber()));
        return new VmRequest(azureCredentialsId, sshCredentialsId, resourceGroup, vmName, location, image, size,
                adminUsername, sshSource, publicIp, allTags, additionalPublicKeys, ownerId(), jit, preseedHostKeys);
    }

    public static String ownerId() {
        return OWNER_PREFIX + Jenkins.get().getLegacyInstanceId();
    }

    /** The credential list boxes both VM-creating steps' forms share. */
    public abstract static class VmCreationDescriptor extends StepDescriptor {

        @POST
        public ListBoxModel doFillAzureCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String azureCredentialsId) {
            return CredentialsListBox.of(item, AzureBaseCredentials.class, azureCredentialsId);
        }

        @POST
        public ListBoxModel doFillSshCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String sshCredentialsId) {
            return CredentialsListBox.of(item, SSHUserPrivateKey.class, sshCredentialsId);
        }
    }
}
