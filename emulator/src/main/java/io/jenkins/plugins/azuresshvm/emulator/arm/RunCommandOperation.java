package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.azuresshvm.emulator.Attack.RunCommandFault;
import io.jenkins.plugins.azuresshvm.emulator.Fault;
import io.jenkins.plugins.azuresshvm.emulator.vm.LinuxVm;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One {@code RunShellScript} run command: the script runs in the background on the VM, as root, and its output comes
 * back in Azure's message format with each stream cut to its last {@value #TAIL_BYTES} bytes. Faults injected into
 * the VM alter or fail the answer.
 */
final class RunCommandOperation implements Operation {

    /** Azure returns only the tail of each stream. */
    static final int TAIL_BYTES = 4096;

    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(10);

    private final String id;
    private final Instant start = Instant.now();
    private final CompletableFuture<ObjectNode> output;
    private volatile Instant end;

    private RunCommandOperation(String id, CompletableFuture<ObjectNode> output) {
        this.id = id;
        this.output = output;
        output.whenComplete((value, error) -> end = Instant.now());
    }

    /**
     * Runs {@code script} in the background on the VM once it has booted and {@code delay} has passed; under an
     * injected {@code failure} (may be {@code null}) the script does not run and the operation fails.
     */
    static RunCommandOperation start(String id, String vmName, CompletableFuture<LinuxVm> booted, String script,
            Set<RunCommandFault> faults, Fault.FailedOperation failure, Executor delay, Executor executor) {
        if (faults.contains(RunCommandFault.AGENT_NOT_READY)) {
            return new RunCommandOperation(id, CompletableFuture.failedFuture(new ArmError(409,
                    "VMAgentStatusCommunicationError", "VM '" + vmName + "' has not reported status for VM agent or"
                    + " extensions. Verify that the OS is up and healthy, the VM has a running VM agent, and that it"
                    + " can establish outbound connections to Azure storage.")));
        }
        CompletableFuture<Void> delayed = CompletableFuture.runAsync(() -> { }, delay);
        return new RunCommandOperation(id, booted.thenCombine(delayed, (vm, ignored) -> vm).thenApplyAsync(vm -> {
            if (failure != null) {
                throw Operations.error(failure);
            }
            try {
                LinuxVm.ScriptResult result = vm.runShellScript(script, SCRIPT_TIMEOUT);
                return instanceViewStatuses(message(tamper(result.stdout(), faults, vmName), result.stderr()));
            } catch (Exception e) {
                throw new ArmError(500, "InternalExecutionError", "Run command failed on VM '" + vmName + "': " + e);
            }
        }, executor));
    }

    boolean isDone() {
        return output.isDone();
    }

    @Override
    public ObjectNode status() {
        ObjectNode status = Json.object();
        status.put("startTime", start.toString());
        if (!output.isDone()) {
            status.put("status", "InProgress");
        } else if (output.isCompletedExceptionally()) {
            status.put("endTime", end.toString());
            status.put("status", "Failed");
            status.set("error", ArmResponse.error(failure()).body().get("error"));
        } else {
            status.put("endTime", end.toString());
            status.put("status", "Succeeded");
            status.putObject("properties").set("output", output.join());
        }
        status.put("name", id);
        return status;
    }

    @Override
    public ArmResponse result(String locationUrl) {
        if (!output.isDone()) {
            return new ArmResponse(202, Map.of("Location", locationUrl, "Retry-After", "1"), null);
        }
        if (output.isCompletedExceptionally()) {
            return ArmResponse.error(failure());
        }
        return ArmResponse.of(200, output.join());
    }

    private ArmError failure() {
        try {
            output.join();
            throw new IllegalStateException("not failed");
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return cause instanceof ArmError error ? error
                    : new ArmError(500, "InternalExecutionError", String.valueOf(cause));
        }
    }

    /** Azure's message: {@code Enable succeeded: \n[stdout]\n…\n[stderr]\n…\n}, each stream cut to its tail. */
    static String message(String stdout, String stderr) {
        return "Enable succeeded: \n[stdout]\n" + tail(stdout) + "\n[stderr]\n" + tail(stderr) + "\n";
    }

    /** The last {@value #TAIL_BYTES} bytes of {@code text} in UTF-8, not starting inside a character. */
    static String tail(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= TAIL_BYTES) {
            return text;
        }
        int from = bytes.length - TAIL_BYTES;
        while (from < bytes.length && (bytes[from] & 0xC0) == 0x80) {
            from++;
        }
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    }

    private static ObjectNode instanceViewStatuses(String message) {
        ObjectNode result = Json.object();
        ObjectNode status = result.putArray("value").addObject();
        status.put("code", "ProvisioningState/succeeded");
        status.put("level", "Info");
        status.put("displayStatus", "Provisioning succeeded");
        status.put("message", message);
        return result;
    }

    static String tamper(String stdout, Set<RunCommandFault> faults, String vmName) {
        String tampered = stdout;
        if (faults.contains(RunCommandFault.FOREIGN_ED25519_KEY)) {
            tampered = tampered.replaceAll("(?m)^ssh-ed25519 \\S+", freshEd25519KeyLine());
        }
        if (faults.contains(RunCommandFault.EXTRA_KEY_LINE)) {
            tampered = tampered + (tampered.isEmpty() || tampered.endsWith("\n") ? "" : "\n")
                    + freshEd25519KeyLine() + " root@" + vmName + "\n";
        }
        if (faults.contains(RunCommandFault.TRUNCATED_OUTPUT)) {
            tampered = cutInsideLine(tampered);
        }
        if (faults.contains(RunCommandFault.EMPTY_OUTPUT)) {
            tampered = "";
        }
        return tampered;
    }

    /** About the first half of {@code text}, ending inside a line (never just after a line break). */
    private static String cutInsideLine(String text) {
        int cut = text.length() / 2;
        while (cut > 0 && text.charAt(cut - 1) == '\n') {
            cut--;
        }
        return text.substring(0, cut);
    }

    /** A new {@code ssh-ed25519 BASE64} public key line (the raw key is the last 32 bytes of its X.509 form). */
    static String freshEd25519KeyLine() {
        try {
            byte[] x509 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
            byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
            ByteBuffer blob = ByteBuffer.allocate(4 + type.length + 4 + raw.length);
            blob.putInt(type.length).put(type).putInt(raw.length).put(raw);
            return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK has no Ed25519", e);
        }
    }
}
