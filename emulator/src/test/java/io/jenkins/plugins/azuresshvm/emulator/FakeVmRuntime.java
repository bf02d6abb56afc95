package io.jenkins.plugins.azuresshvm.emulator;

import io.jenkins.plugins.azuresshvm.emulator.vm.LinuxVm;
import io.jenkins.plugins.azuresshvm.emulator.vm.SshConnection;
import io.jenkins.plugins.azuresshvm.emulator.vm.VmRuntime;
import io.jenkins.plugins.azuresshvm.emulator.vm.VmSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A VM runtime without sshd, for fast tests: scripts run in a local {@code bash}, host keys are fixed strings. */
final class FakeVmRuntime implements VmRuntime {

    final Map<String, FakeVm> vms = new ConcurrentHashMap<>();
    volatile boolean closed;

    FakeVmRuntime(Path vmsDir) {
        // the fake keeps nothing on disk
    }

    @Override
    public LinuxVm create(VmSpec spec) {
        FakeVm vm = new FakeVm(spec);
        vms.put(spec.name(), vm);
        return vm;
    }

    @Override
    public void delete(String name) {
        vms.remove(name);
    }

    @Override
    public void close() {
        vms.clear();
        closed = true;
    }

    /** A VM that is only its spec. */
    static final class FakeVm implements LinuxVm {

        final VmSpec spec;
        volatile Set<String> foreignHostKeys = Set.of();

        FakeVm(VmSpec spec) {
            this.spec = spec;
        }

        @Override
        public String name() {
            return spec.name();
        }

        @Override
        public String ipAddress() {
            return spec.ipAddress();
        }

        @Override
        public Map<String, String> reportedHostKeys() {
            return Map.of("ed25519", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFake root@"
                    + spec.name());
        }

        @Override
        public void presentForeignHostKeys(Set<String> types) {
            foreignHostKeys = Set.copyOf(types);
        }

        /** No sshd, no connections. */
        @Override
        public List<SshConnection> sshConnections() {
            return List.of();
        }

        @Override
        public ScriptResult runShellScript(String script, Duration timeout) throws IOException {
            Process process = new ProcessBuilder(List.of("bash", "-c", script)).start();
            try {
                process.getOutputStream().close();
                String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return new ScriptResult(-1, stdout, stderr);
                }
                return new ScriptResult(process.exitValue(), stdout, stderr);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }
}
