package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureCliOptions;
import io.jenkins.plugins.azuresshvm.azure.AzureVmException;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyProbeException;
import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import io.jenkins.plugins.azuresshvm.ssh.AuthenticationRefusedException;
import io.jenkins.plugins.azuresshvm.ssh.HostKeyMismatchException;
import io.jenkins.plugins.azuresshvm.ssh.SshTimeoutException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code azssh}: SSH keys and verified SSH to Azure Linux VMs, from the command line. */
@Command(
        name = "azssh",
        mixinStandardHelpOptions = true,
        versionProvider = Azssh.Version.class,
        description = "SSH keys and verified SSH to Azure Linux VMs.",
        subcommands = {KeygenCommand.class, FingerprintCommand.class, VmCommand.class, SshCommand.class,
            DemoCommand.class, SweepCommand.class, SshKeyCommand.class})
public final class Azssh {
    /** The exit code when a server presented a host key other than the verified one. */
    static final int HOST_KEY_REFUSED = 3;

    @Option(names = "--subscription", paramLabel = "ID", scope = CommandLine.ScopeType.INHERIT,
            description = "Azure subscription id. Default: $AZURE_SUBSCRIPTION_ID.")
    String subscription;

    @Option(names = "--cloud", paramLabel = "NAME", scope = CommandLine.ScopeType.INHERIT,
            description = "AzureCloud (default), AzureChinaCloud or AzureUSGovernment.")
    String cloud;

    @Option(names = "--arm-endpoint", paramLabel = "URL", scope = CommandLine.ScopeType.INHERIT,
            description = "A custom ARM endpoint (Azure Stack, the emulator) instead of --cloud.")
    URI armEndpoint;

    @Option(names = "--ca-cert", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "PEM CA certificates to trust besides the JVM's (the emulator's CA).")
    Path caCertificate;


    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces on errors (never key material).")
    boolean verbose;

    private Map<String, String> environment = Map.of();

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
    }

    /** Runs a command line with the given output streams and environment; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        Azssh root = new Azssh();
        root.environment = Map.copyOf(environment);
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("azssh: " + describe(e));
            if (root.verbose) {
                e.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return e instanceof HostKeyMismatchException ? HOST_KEY_REFUSED : 1;
        });
        return commandLine.execute(args);
    }

    /** The environment variables the command line runs with. */
    Map<String, String> environment() {
        return environment;
    }

    /**
     * Azure as the global options and the environment say: {@code AZURE_ACCESS_TOKEN} when set, else
     * {@code DefaultAzureCredential}.
     */
    AzureAccess azure() throws IOException {
        return new AzureCliOptions(cloud, armEndpoint, caCertificate, subscription).connect(environment);
    }

    /** One line saying what went wrong, for the failures users can act on. */
    static String describe(Exception e) {
        if (e instanceof KeyFormatException || e instanceof IllegalArgumentException
                || e instanceof HostKeyMismatchException || e instanceof AuthenticationRefusedException
                || e instanceof SshTimeoutException || e instanceof HostKeyProbeException
                || e instanceof AzureVmException) {
            return e.getMessage();
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " " + (exists.getReason() != null ? exists.getReason() : "already exists");
        }
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException denied) {
            return denied.getFile() + ": permission denied";
        }
        if (e instanceof FileSystemException fs) {
            return fs.getFile() + ": " + (fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName());
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message != null ? ": " + message : "");
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Azssh.class.getPackage().getImplementationVersion();
            return new String[] {"azssh " + (version != null ? version : "development build")};
        }
    }
}
