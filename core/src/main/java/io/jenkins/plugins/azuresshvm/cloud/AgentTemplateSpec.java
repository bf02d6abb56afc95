package io.jenkins.plugins.azuresshvm.cloud;

import io.jenkins.plugins.azuresshvm.azure.CloudConfig;
import io.jenkins.plugins.azuresshvm.azure.InvalidVmSpecException;
import io.jenkins.plugins.azuresshvm.azure.PreseededHostKeys;
import io.jenkins.plugins.azuresshvm.azure.VmSpec;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What agents of one cloud template look like, validated as a whole before any VM is made: every problem names its
 * field ({@link InvalidAgentTemplateException}). {@link #vmSpec} turns it into the {@link VmSpec} of one agent VM.
 *
 * @param labels the agents' labels, separated by blanks; at least one
 * @param image an image URN or alias (see {@link VmSpec#image()})
 * @param size a VM size such as {@code Standard_B2s}
 * @param region e.g. {@code westeurope}
 * @param resourceGroup an existing resource group the agent VMs are created in (never created nor deleted by us)
 * @param adminUsername the Linux user the agent runs as
 * @param numExecutors executors per agent, at least 1
 * @param instanceCap agents of this template at most, at least 1
 * @param idleMinutes minutes an agent may stay idle before its VM is deleted, at least 1 (there is no "never": an
 *     agent that is never deleted is a static agent, better made with the {@code azureRunCommand} strategy)
 * @param initScript run once as root at first boot; {@code null} for {@link AgentInitScript#installingJava}
 * @param javaPath the {@code java} the agent is started with: {@code java} (the PATH) or an absolute path
 * @param sshSource the address or CIDR allowed to reach the agents' SSH port: the controller's
 * @param jit whether SSH is reached through just-in-time VM access
 * @param preseedHostKeys whether the VMs get generated host keys in their customData (run-command cross-checks them)
 */
public record AgentTemplateSpec(String labels, String image, String size, String region, String resourceGroup,
        String adminUsername, int numExecutors, int instanceCap, int idleMinutes, String initScript, String javaPath,
        String sshSource, boolean jit, boolean preseedHostKeys) {

    /** An upper bound that catches a typo (a VM cannot run more executors usefully). */
    public static final int MAX_EXECUTORS = 256;
    /** Azure's customData holds at most 64 KiB of base64; the script gets a share that leaves room for host keys. */
    public static final int MAX_INIT_SCRIPT_BYTES = 32 * 1024;

    private static final Pattern LABEL = Pattern.compile("[^\\s&|!()<>=\"'-][^\\s&|!()<>=\"']*");
    private static final Pattern JAVA_PATH = Pattern.compile("java|/[A-Za-z0-9._+/-]+");
    /** The fields {@link #problemsOf} checks one by one. */
    private static final List<String> FIELDS = List.of("labels", "image", "size", "region", "resourceGroup",
            "adminUsername", "numExecutors", "instanceCap", "idleMinutes", "initScript", "javaPath", "sshSource");
    /** Stands in for the agents' names and keys while the rest is checked. */
    private static final SshPublicKey SAMPLE_KEY = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "")
            .publicKey();

    /** @throws InvalidAgentTemplateException listing every problem */
    public AgentTemplateSpec {
        List<String> problems = new ArrayList<>();
        List<String> labelList = labels == null ? List.of() : List.of(labels.strip().split("\\s+"));
        if (labels == null || labels.isBlank()) {
            problems.add("labels: missing; jobs choose agents of a template by its labels");
        } else {
            labelList.stream().filter(label -> !LABEL.matcher(label).matches()).forEach(label -> problems.add(
                    "labels: '" + label + "' must not start with '-' nor contain any of &|!()<>=\"'"));
        }
        if (numExecutors < 1 || numExecutors > MAX_EXECUTORS) {
            problems.add("numExecutors: " + numExecutors + " must be 1–" + MAX_EXECUTORS);
        }
        if (instanceCap < 1) {
            problems.add("instanceCap: " + instanceCap + " must be at least 1");
        }
        if (idleMinutes < 1) {
            problems.add("idleMinutes: " + idleMinutes + " must be at least 1 (an idle agent's VM is deleted"
                    + " after this many minutes)");
        }
        if (initScript != null && initScript.getBytes(StandardCharsets.UTF_8).length
                > MAX_INIT_SCRIPT_BYTES) {
            problems.add("initScript: longer than " + MAX_INIT_SCRIPT_BYTES + " bytes (customData is limited)");
        }
        if (javaPath == null || !JAVA_PATH.matcher(javaPath).matches()) {
            problems.add("javaPath: " + (javaPath == null ? "missing" : "'" + javaPath + "'")
                    + " must be 'java' or an absolute path of letters, digits and ._+-/");
        }
        try {
            VmSpec.builder().name("agent").ownerId("check").sshKeys(SAMPLE_KEY).image(image).size(size)
                    .region(region).resourceGroup(resourceGroup).adminUsername(adminUsername).sshSource(sshSource)
                    .jit(jit).build();
        } catch (InvalidVmSpecException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidAgentTemplateException(problems);
        }
        labels = String.join(" ", labelList);
        initScript = initScript == null || initScript.isBlank() ? null : initScript;
    }

    /** The script the agents run at first boot: {@link #initScript}, else the default for {@code javaFeatureVersion}. */
    public AgentInitScript initScriptFor(int javaFeatureVersion) {
        return initScript == null ? AgentInitScript.installingJava(javaFeatureVersion) : new AgentInitScript(initScript);
    }

    /**
     * The spec of one agent VM: this template's fields, the init script in its customData (with the pre-seeded host
     * keys, when asked for), the VM and its resources deleted together.
     *
     * @param vmName the agent's name (see {@link AgentVmNames})
     * @param ownerId the cloud's owner tag, which the sweep of lost agents looks for
     * @param loginKey the public key of the agent's SSH credential
     * @param javaFeatureVersion the controller's, for the default init script
     * @throws InvalidVmSpecException when the name, owner or key is refused
     */
    public VmSpec vmSpec(String vmName, String ownerId, SshPublicKey loginKey, int javaFeatureVersion,
            SshKeyGenerator generator) {
        VmSpec.Builder builder = VmSpec.builder().name(vmName).ownerId(ownerId).sshKeys(loginKey).image(image)
                .size(size).region(region).resourceGroup(resourceGroup).adminUsername(adminUsername)
                .sshSource(sshSource).jit(jit)
                .initConfig(initScriptFor(javaFeatureVersion).addTo(CloudConfig.empty()));
        if (preseedHostKeys) {
            builder.preseededHostKeys(PreseededHostKeys.generate(generator));
        }
        return builder.build();
    }

    /**
     * The problems of field {@code field} set to {@code value} (numbers as text) in an otherwise valid template: what
     * a form says while one field is edited. Empty when the value is fine.
     *
     * @throws IllegalArgumentException for a field this record does not have
     */
    public static List<String> problemsOf(String field, String value) {
        if (!FIELDS.contains(field)) {
            throw new IllegalArgumentException("no template field " + field);
        }
        String prefix = field + ":";
        try {
            new AgentTemplateSpec(
                    field.equals("labels") ? value : "linux",
                    field.equals("image") ? value : "Ubuntu2404",
                    field.equals("size") ? value : "Standard_B2s",
                    field.equals("region") ? value : "westeurope",
                    field.equals("resourceGroup") ? value : "rg",
                    field.equals("adminUsername") ? value : "jenkins",
                    field.equals("numExecutors") ? number(value) : 1,
                    field.equals("instanceCap") ? number(value) : 1,
                    field.equals("idleMinutes") ? number(value) : 1,
                    field.equals("initScript") ? value : null,
                    field.equals("javaPath") ? value : "java",
                    field.equals("sshSource") ? value : "10.0.0.1",
                    false, false);
        } catch (InvalidAgentTemplateException e) {
            return e.problems().stream().filter(problem -> problem.startsWith(prefix)).toList();
        } catch (NumberFormatException e) {
            return List.of(prefix + " '" + value + "' is not a whole number");
        }
        return List.of();
    }

    private static int number(String value) {
        return Integer.parseInt(value == null ? "" : value.strip());
    }
}
