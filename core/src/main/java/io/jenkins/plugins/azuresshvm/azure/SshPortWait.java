package io.jenkins.plugins.azuresshvm.azure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Waits until a VM's SSH port accepts TCP connections (sshd is up): a connect every half second, each given up after
 * 2 s. No thread waits for a VM; every connect of the JVM completes on one shared daemon thread.
 */
final class SshPortWait {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private static final AsynchronousChannelGroup CONNECTS = connectThread();

    private SshPortWait() {}

    /** Completes once the port of {@code vm} accepts a connection; fails when {@code deadline} passes first. */
    static Mono<Void> until(ProvisionedVm vm, Instant deadline) {
        return until(Mono.defer(() -> connect(new InetSocketAddress(vm.host(), vm.sshPort()))),
                "SSH port " + vm.host() + ":" + vm.sshPort() + " of VM " + vm.name(), deadline, RETRY_PAUSE);
    }

    /**
     * {@code connect} subscribed again after {@code pause} until it succeeds, iteratively (however long the wait,
     * the stack does not grow); a failure other than a refused or timed-out connect ends the wait at once.
     */
    static Mono<Void> until(Mono<Void> connect, String port, Instant deadline, Duration pause) {
        return connect.onErrorMap(e -> notYet(e) && Instant.now().isAfter(deadline),
                        e -> new AzureVmException(port + " did not open in time"))
                // the next connect starts once the pause's timer has completed (see Deadline#pause)
                .retryWhen(Retry.from(failures -> failures.concatMap(failure -> notYet(failure.failure())
                        ? Mono.delay(pause).then(Mono.just(0L)) : Mono.error(failure.failure()))));
    }

    private static boolean notYet(Throwable e) {
        return e instanceof IOException || e instanceof TimeoutException;
    }

    /** One connect, closed again at once. */
    private static Mono<Void> connect(InetSocketAddress address) {
        return Mono.<Void>create(sink -> {
            AsynchronousSocketChannel channel;
            try {
                channel = AsynchronousSocketChannel.open(CONNECTS);
            } catch (IOException e) {
                sink.error(e);
                return;
            }
            sink.onDispose(() -> {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // we only wanted to know whether it connects
                }
            });
            channel.connect(address, null, new CompletionHandler<Void, Void>() {
                @Override
                public void completed(Void result, Void attachment) {
                    sink.success();
                }

                @Override
                public void failed(Throwable failure, Void attachment) {
                    sink.error(failure);
                }
            });
        }).timeout(CONNECT_TIMEOUT);
    }

    private static AsynchronousChannelGroup connectThread() {
        try {
            return AsynchronousChannelGroup.withFixedThreadPool(1, task -> {
                Thread thread = new Thread(task, "ssh-port-wait");
                thread.setDaemon(true);
                return thread;
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the thread that waits for SSH ports", e);
        }
    }
}
