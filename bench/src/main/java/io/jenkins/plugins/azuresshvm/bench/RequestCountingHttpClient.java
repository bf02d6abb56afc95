package io.jenkins.plugins.azuresshvm.bench;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * The SDK's HTTP client, counting every request it sends to ARM: what the emulator's request log would show (each
 * retry and each operation poll is one request), as seen from the one client that sends them.
 */
final class RequestCountingHttpClient implements HttpClient {
    private final HttpClient delegate;
    private final AtomicLong sent = new AtomicLong();
    private final PrintStream log;
    private final long startNanos = System.nanoTime();

    /** @param log gets one line per request: seconds since start, method, URL (no bodies, no headers) */
    RequestCountingHttpClient(HttpClient delegate, PrintStream log) {
        this.delegate = delegate;
        this.log = log;
    }

    /** Requests sent so far. */
    long sent() {
        return sent.get();
    }

    private void count(HttpRequest request) {
        sent.incrementAndGet();
        log.printf(Locale.ROOT, "%.3f %s %s%n", (System.nanoTime() - startNanos) / 1e9, request.getHttpMethod(),
                request.getUrl());
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return Mono.defer(() -> {
            count(request);
            return delegate.send(request);
        });
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        return Mono.defer(() -> {
            count(request);
            return delegate.send(request, context);
        });
    }
}
