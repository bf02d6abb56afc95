package io.jenkins.plugins.azuresshvm.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultTest {

    @Test
    void parsesTheCommandLineForm() {
        assertThat(Fault.parse("vm-put:throttle:2:5")).isEqualTo(Fault.throttle(OperationKind.VM_PUT, 2, 5));
        assertThat(Fault.parse("NIC_PUT:error:1:503")).isEqualTo(Fault.serverError(OperationKind.NIC_PUT, 1, 503));
        assertThat(Fault.parse("run-command:failed:1:Conflict")).isInstanceOfSatisfying(Fault.FailedOperation.class,
                f -> assertThat(f.code()).isEqualTo("Conflict"));
        assertThat(Fault.parse("get:hang:3:7")).isEqualTo(Fault.hang(OperationKind.GET, 3, Duration.ofSeconds(7)));
        assertThat(Fault.parse("vm-delete:drop:1")).isEqualTo(Fault.droppedConnection(OperationKind.VM_DELETE, 1));
        assertThat(Fault.parse("vm-put:throttle:1")).isEqualTo(Fault.throttle(OperationKind.VM_PUT, 1, 1));
    }

    @Test
    void refusesWhatAzureWouldNotDoOrTheSdkCouldNotBear() {
        assertThatThrownBy(() -> Fault.parse("vm-put:throttle")).hasMessageContaining("KIND:TYPE:TIMES");
        assertThatThrownBy(() -> Fault.parse("vm:throttle:1")).hasMessageContaining("unknown operation kind 'vm'");
        assertThatThrownBy(() -> Fault.parse("vm-put:melt:1")).hasMessageContaining("unknown type 'melt'");
        assertThatThrownBy(() -> Fault.parse("vm-put:throttle:x")).hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> Fault.throttle(OperationKind.VM_PUT, 1, 0)).hasMessageContaining("Retry-After");
        assertThatThrownBy(() -> Fault.serverError(OperationKind.GET, 1, 502)).hasMessageContaining("502");
        assertThatThrownBy(() -> Fault.droppedConnection(OperationKind.GET, 0)).hasMessageContaining("0 times");
        assertThatThrownBy(() -> Fault.failedOperation(OperationKind.GET, 1, "X", "y"))
                .hasMessageContaining("GET starts no long-running operation");
    }
}
