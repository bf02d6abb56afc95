package io.jenkins.plugins.azuresshvm.cloud;

import io.jenkins.plugins.azuresshvm.azure.CloudConfig;
import java.util.List;

/**
 * The shell script an agent VM runs once at first boot, as root, through cloud-init: written to {@link #SCRIPT} by
 * {@code write_files} and run by {@code runcmd}, which records its exit status in {@link #DONE}. Cloud-init starts
 * sshd before {@code runcmd} runs, so the agent's start command waits for that record first
 * ({@link #launchPrefix()}); the script is in place by then, because {@code write_files} runs before sshd starts.
 *
 * @param script the script; run with {@code /bin/sh} unless it starts with {@code #!}
 */
public record AgentInitScript(String script) {
    /** Where cloud-init writes the script (root only). */
    public static final String SCRIPT = "/var/lib/azure-ssh-vm/init.sh";
    /** Holds the script's exit status once it has run (world-readable, so the agent user can wait for it). */
    public static final String DONE = "/var/lib/azure-ssh-vm/init.status";
    /** The script's output. */
    public static final String LOG = "/var/log/azure-ssh-vm-init.log";
    /** How long the agent's start command waits for the script. */
    public static final int WAIT_SECONDS = 1800;

    public AgentInitScript {
        if (script == null || script.isBlank()) {
            throw new IllegalArgumentException("init script: empty; use the default script instead");
        }
    }

    /**
     * The default: installs a headless Java runtime of the controller's feature version when {@code java} is
     * missing (apt on Debian and Ubuntu, else dnf or yum).
     *
     * @param javaFeatureVersion e.g. 21, as {@code Runtime.version().feature()} on the controller
     */
    public static AgentInitScript installingJava(int javaFeatureVersion) {
        if (javaFeatureVersion < 11) {
            throw new IllegalArgumentException("Java feature version " + javaFeatureVersion
                    + ": Jenkins agents need Java 11 or later");
        }
        return new AgentInitScript("""
                #!/bin/sh
                # installs a Java runtime for the Jenkins agent when none is on the PATH
                set -e
                if command -v java >/dev/null 2>&1; then
                  exit 0
                fi
                if command -v apt-get >/dev/null 2>&1; then
                  export DEBIAN_FRONTEND=noninteractive
                  apt-get update -q
                  apt-get install -y -q openjdk-%1$d-jre-headless
                elif command -v dnf >/dev/null 2>&1; then
                  dnf install -y -q java-%1$d-openjdk-headless
                else
                  yum install -y -q java-%1$d-openjdk-headless
                fi
                """.formatted(javaFeatureVersion));
    }

    /** {@code config} with this script written and run, its status recorded in {@link #DONE}. */
    public CloudConfig addTo(CloudConfig config) {
        String interpreter = script.startsWith("#!") ? "" : "/bin/sh ";
        return config.withFile(SCRIPT, "0700", script).withCommand(List.of("/bin/sh", "-c",
                interpreter + SCRIPT + " >" + LOG + " 2>&1; echo $? >" + DONE + ".tmp && chmod 0644 " + DONE
                        + ".tmp && mv " + DONE + ".tmp " + DONE));
    }

    /**
     * The start command's prefix for the SSH Build Agents launcher (it runs {@code PREFIX cd … && java …} in the
     * admin user's login shell): where {@link #SCRIPT} exists, waits up to {@link #WAIT_SECONDS} for its status and
     * fails naming the log unless it is 0. Where it does not (a VM without an init script), it adds nothing.
     */
    public static String launchPrefix() {
        return "sh -c 'if [ -e " + SCRIPT + " ] || [ -e " + DONE + " ]; then n=0;"
                + " while [ ! -e " + DONE + " ] && [ $n -lt " + WAIT_SECONDS + " ]; do sleep 1; n=$((n+1)); done;"
                + " s=$(cat " + DONE + " 2>/dev/null || echo timeout);"
                + " if [ \"$s\" != 0 ]; then echo \"the init script failed (status $s); see " + LOG
                + " on the VM\" >&2; exit 1; fi; fi' && ";
    }
}
