package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * {@link SshPortWait}'s loop: tried again without its stack growing, however many tries a long timeout allows (each
 * nested retry used to add a level: 8,000 overflowed the stack and the wait never ended).
 */
class SshPortWaitTest {
    private static final int TRIES = 20_000;

    @Test
    void survivesTwentyThousandRefusedConnectsThenSeesThePortOpen() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        Mono<Void> connect = Mono.defer(() -> connects.incrementAndGet() <= TRIES
                ? Mono.error(new ConnectException("Connection refused")) : Mono.empty());

        SshPortWait.until(connect, "SSH port 127.0.0.1:22", Instant.now().plusSeconds(120), Duration.ZERO).toFuture()
                .get(120, TimeUnit.SECONDS);

        assertThat(connects).hasValue(TRIES + 1);
    }

    @Test
    void givesUpAtTheDeadlineNamingThePort() {
        Mono<Void> refused = Mono.error(new ConnectException("Connection refused"));

        assertThatThrownBy(() -> SshPortWait.until(refused, "SSH port 127.0.0.1:22 of VM vm1",
                Instant.now().plusMillis(200), Duration.ofMillis(10)).block(Duration.ofSeconds(10)))
                .isInstanceOf(AzureVmException.class)
                .hasMessage("SSH port 127.0.0.1:22 of VM vm1 did not open in time");
    }

    @Test
    void anotherFailureEndsTheWaitAtOnce() {
        AtomicInteger connects = new AtomicInteger();
        Mono<Void> unresolved = Mono.defer(() -> {
            connects.incrementAndGet();
            return Mono.error(new IllegalArgumentException("unresolved address"));
        });

        assertThatThrownBy(() -> SshPortWait.until(unresolved, "SSH port x:22", Instant.now().plusSeconds(10),
                Duration.ofMillis(10)).block(Duration.ofSeconds(10))).isInstanceOf(IllegalArgumentException.class);
        assertThat(connects).hasValue(1);
    }
}
