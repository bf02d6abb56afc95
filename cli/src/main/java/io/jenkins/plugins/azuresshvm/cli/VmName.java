package io.jenkins.plugins.azuresshvm.cli;

import picocli.CommandLine.Option;

/** The VM a command acts on: {@code -g GROUP -n NAME}, shared by the vm and ssh commands. */
final class VmName {
    @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP", required = true, description = "Resource group.")
    String resourceGroup;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "VM name.")
    String name;
}
