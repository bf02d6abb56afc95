package io.jenkins.plugins.azuresshvm.agents;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.model.Label;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.azuresshvm.cloud.AgentTemplateSpec;
import io.jenkins.plugins.azuresshvm.cloud.InvalidAgentTemplateException;
import io.jenkins.plugins.azuresshvm.credentials.GeneratedKeyType;
import io.jenkins.plugins.azuresshvm.credentials.GeneratedSSHUserPrivateKeyImpl;
import io.jenkins.plugins.azuresshvm.steps.CredentialsListBox;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One kind of agent of an {@link AzureVmCloud}: the labels jobs ask for and the VM that serves them. Its fields are
 * core's {@link AgentTemplateSpec} (validated there) plus the SSH credential the agents log in with — a key generated
 * on first use and kept in the Jenkins-level store, where the SSH Build Agents launcher looks, unless one is chosen.
 */
public class AzureVmAgentTemplate extends AbstractDescribableImpl<AzureVmAgentTemplate> {
    static final String DEFAULT_IMAGE = "Ubuntu2404";
    static final String DEFAULT_SIZE = "Standard_B2s";
    static final String DEFAULT_ADMIN = "jenkins";
    static final String DEFAULT_JAVA = "java";

    private final String labels;
    private final String region;
    private final String resourceGroup;
    private final String sshSource;
    private String image = DEFAULT_IMAGE;
    private String size = DEFAULT_SIZE;
    private String adminUsername = DEFAULT_ADMIN;
    @CheckForNull
    private String sshCredentialsId;
    private int numExecutors = 1;
    private int instanceCap = 10;
    private int idleMinutes = 10;
    @CheckForNull
    private String initScript;
    private String javaPath = DEFAULT_JAVA;
    @CheckForNull
    private String remoteFs;
    private boolean jit;
    private boolean preseedHostKeys;

    @DataBoundConstructor
    public AzureVmAgentTemplate(String labels, String region, String resourceGroup, String sshSource) {
        this.labels = Util.fixNull(labels).strip();
        this.region = Util.fixEmptyAndTrim(region);
        this.resourceGroup = Util.fixEmptyAndTrim(resourceGroup);
        this.sshSource = Util.fixEmptyAndTrim(sshSource);
    }

    /**
     * The template as core checks it.
     *
     * @throws InvalidAgentTemplateException naming each field at fault
     */
    @NonNull
    public AgentTemplateSpec spec() {
        return new AgentTemplateSpec(labels, image, size, region, resourceGroup, adminUsername, numExecutors,
                instanceCap, idleMinutes, initScript, javaPath, sshSource, jit, preseedHostKeys);
    }

    /** Whether agents of this template serve {@code label} ({@code null}: a job that asks for no label, never). */
    public boolean matches(@CheckForNull Label label) {
        return label != null && label.matches(Label.parse(labels));
    }

    /**
     * The id of the agents' SSH credential: the chosen one, else a key pair generated now in the Jenkins-level store
     * (user {@link #getAdminUsername()}, Ed25519) and remembered in this template.
     */
    @NonNull
    synchronized String sshCredentialsId(@NonNull String cloudName) throws IOException {
        if (sshCredentialsId != null) {
            return sshCredentialsId;
        }
        String id = "azure-ssh-vm-" + cloudName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        GeneratedSSHUserPrivateKeyImpl generated = new GeneratedSSHUserPrivateKeyImpl(CredentialsScope.SYSTEM, id,
                "SSH key of the agents '" + labels + "' of cloud " + cloudName + " (generated)", adminUsername,
                GeneratedKeyType.ED25519);
        try (var ignored = ACL.as2(ACL.SYSTEM2)) {
            generated.keepOrGenerateKey();
            SystemCredentialsProvider store = SystemCredentialsProvider.getInstance();
            store.getCredentials().add(generated);
            store.save();
        }
        sshCredentialsId = id;
        Jenkins.get().save();
        return id;
    }

    /**
     * The agents' SSH credential, looked up as the launcher does (Jenkins level, as the system).
     *
     * @throws AbortException when it is missing or its user is not the template's admin user
     */
    @NonNull
    SSHUserPrivateKey sshCredentials(@NonNull String id) throws AbortException {
        SSHUserPrivateKey credential = CredentialsMatchers.firstOrNull(CredentialsProvider.lookupCredentialsInItemGroup(
                SSHUserPrivateKey.class, Jenkins.get(), ACL.SYSTEM2, List.of()), CredentialsMatchers.withId(id));
        if (credential == null) {
            throw new AbortException("sshCredentialsId '" + id + "': no SSH private key credential with this id in"
                    + " the Jenkins-level credential stores");
        }
        if (!adminUsername.equals(credential.getUsername())) {
            throw new AbortException("sshCredentialsId '" + id + "' logs in as '" + credential.getUsername()
                    + "' but the template's adminUsername is '" + adminUsername + "'; make them the same");
        }
        return credential;
    }

    public String getLabels() {
        return labels;
    }

    public String getRegion() {
        return region;
    }

    public String getResourceGroup() {
        return resourceGroup;
    }

    public String getSshSource() {
        return sshSource;
    }

    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = Util.fixEmptyAndTrim(image) == null ? DEFAULT_IMAGE : image.strip();
    }

    public String getSize() {
        return size;
    }

    @DataBoundSetter
    public void setSize(String size) {
        this.size = Util.fixEmptyAndTrim(size) == null ? DEFAULT_SIZE : size.strip();
    }

    public String getAdminUsername() {
        return adminUsername;
    }

    @DataBoundSetter
    public void setAdminUsername(String adminUsername) {
        this.adminUsername = Util.fixEmptyAndTrim(adminUsername) == null ? DEFAULT_ADMIN : adminUsername.strip();
    }

    @CheckForNull
    public String getSshCredentialsId() {
        return sshCredentialsId;
    }

    /** {@code null} or empty: a key generated on first use. */
    @DataBoundSetter
    public void setSshCredentialsId(String sshCredentialsId) {
        this.sshCredentialsId = Util.fixEmptyAndTrim(sshCredentialsId);
    }

    public int getNumExecutors() {
        return numExecutors;
    }

    @DataBoundSetter
    public void setNumExecutors(int numExecutors) {
        this.numExecutors = numExecutors;
    }

    public int getInstanceCap() {
        return instanceCap;
    }

    @DataBoundSetter
    public void setInstanceCap(int instanceCap) {
        this.instanceCap = instanceCap;
    }

    public int getIdleMinutes() {
        return idleMinutes;
    }

    @DataBoundSetter
    public void setIdleMinutes(int idleMinutes) {
        this.idleMinutes = idleMinutes;
    }

    @CheckForNull
    public String getInitScript() {
        return initScript;
    }

    /** {@code null} or blank: the default, which installs the controller's Java version when {@code java} is missing. */
    @DataBoundSetter
    public void setInitScript(String initScript) {
        this.initScript = Util.fixEmptyAndTrim(initScript) == null ? null : initScript.replace("\r\n", "\n");
    }

    public String getJavaPath() {
        return javaPath;
    }

    @DataBoundSetter
    public void setJavaPath(String javaPath) {
        this.javaPath = Util.fixEmptyAndTrim(javaPath) == null ? DEFAULT_JAVA : javaPath.strip();
    }

    /** The agent's working directory on the VM: the one set, else {@code /home/<adminUsername>/jenkins-agent}. */
    public String effectiveRemoteFs() {
        return remoteFs != null ? remoteFs : "/home/" + adminUsername + "/jenkins-agent";
    }

    @CheckForNull
    public String getRemoteFs() {
        return remoteFs;
    }

    /** {@code null} or blank: {@code /home/<adminUsername>/jenkins-agent}. */
    @DataBoundSetter
    public void setRemoteFs(String remoteFs) {
        this.remoteFs = Util.fixEmptyAndTrim(remoteFs);
    }

    public boolean isJit() {
        return jit;
    }

    @DataBoundSetter
    public void setJit(boolean jit) {
        this.jit = jit;
    }

    public boolean isPreseedHostKeys() {
        return preseedHostKeys;
    }

    @DataBoundSetter
    public void setPreseedHostKeys(boolean preseedHostKeys) {
        this.preseedHostKeys = preseedHostKeys;
    }

    @Extension
    @Symbol("azureSshVmTemplate")
    public static class DescriptorImpl extends Descriptor<AzureVmAgentTemplate> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Azure VM agent template";
        }

        /** Jenkins-level SSH key credentials (where the launcher looks them up), listed only for administrators. */
        @POST
        public ListBoxModel doFillSshCredentialsIdItems(@QueryParameter String sshCredentialsId) {
            return CredentialsListBox.of(null, SSHUserPrivateKey.class, sshCredentialsId);
        }

        @POST
        public FormValidation doCheckLabels(@QueryParameter String value) {
            return check("labels", value);
        }

        @POST
        public FormValidation doCheckRegion(@QueryParameter String value) {
            return check("region", value);
        }

        @POST
        public FormValidation doCheckResourceGroup(@QueryParameter String value) {
            return check("resourceGroup", value);
        }

        @POST
        public FormValidation doCheckSshSource(@QueryParameter String value) {
            return check("sshSource", value);
        }

        @POST
        public FormValidation doCheckImage(@QueryParameter String value) {
            return check("image", Util.fixEmptyAndTrim(value) == null ? DEFAULT_IMAGE : value);
        }

        @POST
        public FormValidation doCheckSize(@QueryParameter String value) {
            return check("size", Util.fixEmptyAndTrim(value) == null ? DEFAULT_SIZE : value);
        }

        @POST
        public FormValidation doCheckAdminUsername(@QueryParameter String value) {
            return check("adminUsername", Util.fixEmptyAndTrim(value) == null ? DEFAULT_ADMIN : value);
        }

        @POST
        public FormValidation doCheckNumExecutors(@QueryParameter String value) {
            return check("numExecutors", value);
        }

        @POST
        public FormValidation doCheckInstanceCap(@QueryParameter String value) {
            return check("instanceCap", value);
        }

        @POST
        public FormValidation doCheckIdleMinutes(@QueryParameter String value) {
            return check("idleMinutes", value);
        }

        @POST
        public FormValidation doCheckInitScript(@QueryParameter String value) {
            return check("initScript", value);
        }

        @POST
        public FormValidation doCheckJavaPath(@QueryParameter String value) {
            return check("javaPath", Util.fixEmptyAndTrim(value) == null ? DEFAULT_JAVA : value);
        }

        /** Core's verdict on one field, shown to administrators (who alone configure clouds). */
        private static FormValidation check(String field, String value) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            List<String> problems = AgentTemplateSpec.problemsOf(field, value);
            return problems.isEmpty() ? FormValidation.ok() : FormValidation.error(String.join("; ", problems));
        }
    }
}
