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
        return Mono.defer(() -> connect(new InetSocketAddress(vm.host(), vm.sshPort())))
                .onErrorResume(e -> e instanceof IOException || e instanceof TimeoutException, notYet -> {
                    if (Instant.now().isAfter(deadline)) {
                        return Mono.error(new AzureVmException("SSH port " + vm.host() + ":" + vm.sshPort()
                                + " of VM " + vm.name() + " did not open in time"));
                    }
                    return Mono.delay(RETRY_PAUSE).then(Mono.defer(() -> until(vm, deadline)));
                });
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
