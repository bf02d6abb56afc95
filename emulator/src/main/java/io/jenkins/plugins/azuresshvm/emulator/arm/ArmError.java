package io.jenkins.plugins.azuresshvm.emulator.arm;

/** An ARM error answer: HTTP status and {@code {"error":{"code","message"[,"target"]}}}. */
public final class ArmError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String target;

    public ArmError(int status, String code, String message, String target) {
        super(message);
        this.status = status;
        this.code = code;
        this.target = target;
    }

    public ArmError(int status, String code, String message) {
        this(status, code, message, null);
    }

    /** 400 {@code InvalidParameter} naming the offending property. */
    static ArmError invalidParameter(String target, String message) {
        return new ArmError(400, "InvalidParameter", message, target);
    }

    static ArmError notFound(ResourceId id) {
        return new ArmError(404, "ResourceNotFound", "The Resource '" + id.providerType() + "/" + id.name()
                + "' under resource group '" + id.resourceGroup() + "' was not found. For more details please go to"
                + " https://aka.ms/ARMResourceNotFoundFix");
    }

    static ArmError resourceGroupNotFound(String resourceGroup) {
        return new ArmError(404, "ResourceGroupNotFound", "Resource group '" + resourceGroup + "' could not be found.");
    }

    static ArmError invalidReference(String referenced, String referencing) {
        return new ArmError(400, "InvalidResourceReference", "Resource " + referenced + " referenced by resource "
                + referencing + " was not found. Please make sure that the referenced resource exists, and that both"
                + " resources are in the same region.");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The property at fault, or {@code null}. */
    public String target() {
        return target;
    }
}
