package io.jenkins.plugins.azuresshvm.emulator.vm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a separate JVM by {@link SshdVmRuntimeTest}: starts a runtime in {@code args[0]} with one VM on
 * {@code args[1]} authorizing the public key file {@code args[2]}, prints "ready" and waits to be killed.
 */
public final class VmRuntimeChild {

    private VmRuntimeChild() {}

    public static void main(String[] args) throws Exception {
        SshdVmRuntime runtime = SshdVmRuntime.start(Path.of(args[0]));
        runtime.create(new VmSpec("doomed", args[1], "azureuser", List.of(Files.readString(Path.of(args[2])).strip())));
        System.out.println("ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
