package io.jenkins.plugins.azuresshvm.emulator;

/** The kinds of ARM request a {@link Fault} can be injected into. */
public enum OperationKind {
    /** {@code PUT /subscriptions/{s}/resourcegroups/{rg}}. */
    RESOURCE_GROUP_PUT,
    /** {@code DELETE /subscriptions/{s}/resourcegroups/{rg}}. */
    RESOURCE_GROUP_DELETE,
    /** PUT of a network security group. */
    NSG_PUT,
    /** PUT of a public IP address. */
    PUBLIC_IP_PUT,
    /** PUT of a virtual network. */
    VNET_PUT,
    /** PUT of a network interface. */
    NIC_PUT,
    /** PUT of a virtual machine. */
    VM_PUT,
    /** {@code POST …/virtualMachines/{vm}/runCommand}. */
    RUN_COMMAND,
    /** DELETE of a virtual machine. */
    VM_DELETE,
    /** DELETE of any other resource (network resources, disks). */
    OTHER_DELETE,
    /** Any GET or HEAD: resources, lists, instance views and operation polls. */
    GET;

    /** Whether the request starts a long-running operation that a {@link Fault.FailedOperation} can fail. */
    public boolean startsOperation() {
        return this != RESOURCE_GROUP_PUT && this != GET;
    }
}
