package io.jenkins.plugins.azuresshvm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code azssh vm}: create, probe and delete Linux VMs whose SSH host keys are verified. */
@Command(
        name = "vm",
        mixinStandardHelpOptions = true,
        description = "Create Azure Linux VMs with verified SSH host keys, probe and delete them.",
        subcommands = {VmCreateCommand.class, VmHostKeysCommand.class, VmDeleteCommand.class, VmListCommand.class})
final class VmCommand {
    @ParentCommand
    Azssh azssh;
}
