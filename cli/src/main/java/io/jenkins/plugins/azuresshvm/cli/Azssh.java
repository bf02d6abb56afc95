package io.jenkins.plugins.azuresshvm.cli;

import io.jenkins.plugins.azuresshvm.keys.KeyFormatException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
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
        subcommands = {KeygenCommand.class, FingerprintCommand.class, DemoCommand.class})
public final class Azssh {

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
            return 1;
        });
        return commandLine.execute(args);
    }

    /** The environment variables the command line runs with. */
    Map<String, String> environment() {
        return environment;
    }

    /** One line saying what went wrong, for the failures users can act on. */
    static String describe(Exception e) {
        if (e instanceof KeyFormatException || e instanceof IllegalArgumentException) {
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
