package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.azure.AzureAccess;
import io.jenkins.plugins.azuresshvm.azure.AzureCliOptions;
import io.jenkins.plugins.azuresshvm.hostkeys.HostKeyDisagreementException;
import io.jenkins.plugins.azuresshvm.ssh.HostKeyMismatchException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
    /**
     * The exit code when a server presented a host key other than the verified one, or run-command reported other
     * host keys than the pre-seeded ones a connection was verified with.
     */
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

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = CommandLine.ScopeType.INHERIT,
            description = "text (default) or json: the result as one line of JSON on stdout (docs/cli.md).")
    OutputFormat output;

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
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            CliError error = CliError.of(e);
            cmd.getErr().println("azssh: " + error.message());
            if (root.verbose) {
                e.printStackTrace(cmd.getErr());
            }
            root.printError(cmd, error);
            return e instanceof HostKeyMismatchException || e instanceof HostKeyDisagreementException
                    ? HOST_KEY_REFUSED : 1;
        });
        CommandLine.IParameterExceptionHandler usage = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            int exitCode = usage.handleParseException(e, arguments);
            root.printError(e.getCommandLine(), new CliError(CliError.INVALID_USAGE, e.getMessage()));
            return exitCode;
        });
        return commandLine.execute(args);
    }

    /** Whether results go to stdout as JSON ({@code --output json}). */
    boolean json() {
        return output == OutputFormat.JSON;
    }

    /** Prints a command's result on {@code out}: as text lines, or with {@code --output json} as one line of JSON. */
    void print(PrintWriter out, Consumer<PrintWriter> text, Supplier<?> json) {
        if (json()) {
            out.println(JsonLine.of(json.get()));
        } else {
            text.accept(out);
        }
        out.flush();
    }

    /**
     * With {@code --output json}, the error as JSON: on stdout, or on stderr for {@code azssh ssh}, whose stdout is
     * the remote command's.
     */
    private void printError(CommandLine cmd, CliError error) {
        if (json()) {
            PrintWriter channel = cmd.getCommand() instanceof SshCommand ? cmd.getErr() : cmd.getOut();
            channel.println(error.toJson());
            channel.flush();
        }
        cmd.getErr().flush();
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

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Azssh.class.getPackage().getImplementationVersion();
            return new String[] {"azssh " + (version != null ? version : "development build")};
        }
    }
}
