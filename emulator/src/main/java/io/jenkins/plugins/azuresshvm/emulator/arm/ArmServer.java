package io.jenkins.plugins.azuresshvm.emulator.arm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.jenkins.plugins.azuresshvm.emulator.Attack;
import io.jenkins.plugins.azuresshvm.emulator.JitAccessRequest;
import io.jenkins.plugins.azuresshvm.emulator.Fault;
import io.jenkins.plugins.azuresshvm.emulator.Latencies;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import io.jenkins.plugins.azuresshvm.emulator.LoggedRequest;
import io.jenkins.plugins.azuresshvm.emulator.vm.SshConnection;
import io.jenkins.plugins.azuresshvm.emulator.vm.VmRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The ARM endpoint: HTTPS on 127.0.0.1 only, any non-empty bearer token, a well-formed {@code api-version} on every
 * request, {@code x-ms-request-id} on every answer; each request is logged and routed by {@link ArmRouter}, unless
 * an injected {@link Fault} answers it (or does not).
 */
public final class ArmServer implements AutoCloseable {

    private static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");

    private final HttpsServer server;
    private final ExecutorService httpThreads;
    private final ExecutorService background;
    private final ArmRouter router;
    private final String baseUrl;
    private final List<LoggedRequest> log = new CopyOnWriteArrayList<>();
    private final FaultInjector faults = new FaultInjector();

    private ArmServer(HttpsServer server, ExecutorService httpThreads, ExecutorService background, ArmRouter router) {
        this.server = server;
        this.httpThreads = httpThreads;
        this.background = background;
        this.router = router;
        this.baseUrl = "https://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort();
    }

    /**
     * Listens on {@code 127.0.0.1:port} ({@code 0}: any free port) for subscription {@code subscription}, answering
     * PUTs and DELETEs as long-running operations when {@code longRunning}, with just-in-time VM access when
     * {@code jitAvailable}.
     */
    public static ArmServer start(SSLContext tls, int port, String subscription, VmRuntime runtime,
            boolean longRunning, Latencies latencies, boolean jitAvailable) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        ExecutorService httpThreads = Executors.newCachedThreadPool(daemon("arm-emulator-http"));
        ExecutorService background = Executors.newCachedThreadPool(daemon("arm-emulator-operation"));
        ArmServer arm = new ArmServer(server, httpThreads, background,
                new ArmRouter(subscription, runtime, background, longRunning, latencies, jitAvailable));
        server.createContext("/", arm::handle);
        server.setExecutor(httpThreads);
        server.start();
        return arm;
    }

    /** {@code https://127.0.0.1:PORT/}. */
    public URI endpoint() {
        return URI.create(baseUrl + "/");
    }

    public List<LiveResource> inventory() {
        return router.inventory();
    }

    public List<LoggedRequest> requestLog() {
        return List.copyOf(log);
    }

    public void attack(String vmName, List<Attack> attacks) throws IOException {
        router.attack(vmName, attacks);
    }

    public List<SshConnection> sshConnections(String vmName) throws IOException {
        return router.sshConnections(vmName);
    }

    public List<JitAccessRequest> jitRequests() {
        return router.jitRequests();
    }

    public void inject(List<Fault> injected) {
        faults.inject(injected);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant time = Instant.now();
        URI uri = exchange.getRequestURI();
        String method = exchange.getRequestMethod();
        List<String> segments = segments(uri);
        Fault fault = faults.take(FaultInjector.kindOf(method, segments));
        ArmResponse response;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            response = fault == null || fault instanceof Fault.FailedOperation
                    ? answer(exchange, uri, segments, body, (Fault.FailedOperation) fault)
                    : faultAnswer(fault);
        } catch (ArmError e) {
            response = ArmResponse.error(e);
        } catch (RuntimeException e) {
            response = ArmResponse.error(new ArmError(500, "InternalServerError", "The emulator failed: " + e));
        }
        log.add(new LoggedRequest(time, method, uri.getPath(), response == null ? 0 : response.status(),
                response == null ? null : state(response), fault));
        if (response == null) {
            exchange.close(); // before any header was sent: the connection closes with no answer
        } else {
            send(exchange, response);
        }
    }

    /** The answer to a request under {@code fault}; {@code null} for none (the connection drops). */
    private static ArmResponse faultAnswer(Fault fault) {
        if (fault instanceof Fault.Throttle throttle) {
            return withRetryAfter(new ArmError(429, "TooManyRequests", "The request is being throttled (injected by"
                    + " the ARM emulator)."), throttle.retryAfterSeconds());
        }
        if (fault instanceof Fault.ServerError error) {
            return error.status() == 503
                    ? withRetryAfter(new ArmError(503, "ServiceUnavailable", "The service is unavailable (injected"
                            + " by the ARM emulator)."), 1)
                    : ArmResponse.error(new ArmError(500, "InternalServerError", "The server failed (injected by"
                            + " the ARM emulator)."));
        }
        if (fault instanceof Fault.Hang hang) {
            hang(hang);
        }
        return null;
    }

    private static ArmResponse withRetryAfter(ArmError error, int seconds) {
        return new ArmResponse(error.status(), Map.of("Retry-After", String.valueOf(seconds)),
                ArmResponse.error(error).body());
    }

    /** Holds the request (its HTTP thread) until the hang is over or the server closes; then no answer. */
    private static void hang(Fault.Hang hang) {
        try {
            Thread.sleep(hang.holdFor().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The operation status or provisioning state the answer shows, or {@code null}. */
    private static String state(ArmResponse response) {
        if (response.body() == null) {
            return null;
        }
        String status = Json.text(response.body(), "/status");
        return status != null ? status : Json.text(response.body(), "/properties/provisioningState");
    }

    private static List<String> segments(URI uri) {
        List<String> segments = new ArrayList<>();
        for (String segment : uri.getRawPath().split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private ArmResponse answer(HttpExchange exchange, URI uri, List<String> segments, byte[] body,
            Fault.FailedOperation failure) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            throw new ArmError(401, "AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is missing.");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            throw new ArmError(401, "InvalidAuthenticationToken", "The access token is invalid.");
        }
        Map<String, String> query = query(uri.getRawQuery());
        String apiVersion = query.get("api-version");
        if (apiVersion == null) {
            throw new ArmError(400, "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.");
        }
        if (!API_VERSION.matcher(apiVersion).matches()) {
            throw new ArmError(400, "InvalidApiVersionParameter", "The api-version '" + apiVersion
                    + "' is invalid. The supported versions are of the form 'YYYY-MM-DD[-preview]'.");
        }
        return router.route(new ArmRequest(exchange.getRequestMethod(), segments, query, body, baseUrl, failure));
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                query.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static void send(HttpExchange exchange, ArmResponse response) throws IOException {
        var headers = exchange.getResponseHeaders();
        String requestId = UUID.randomUUID().toString();
        headers.set("x-ms-request-id", requestId);
        headers.set("x-ms-correlation-request-id", requestId);
        String clientRequestId = exchange.getRequestHeaders().getFirst("x-ms-client-request-id");
        if (clientRequestId != null) {
            headers.set("x-ms-client-request-id", clientRequestId);
        }
        response.headers().forEach(headers::set);
        byte[] body;
        try {
            body = response.body() == null ? new byte[0] : Json.MAPPER.writeValueAsBytes(response.body());
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        }
        if (body.length > 0) {
            headers.set("Content-Type", "application/json; charset=utf-8");
        }
        boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /** Stops listening and waits briefly for running operations. */
    @Override
    public void close() {
        server.stop(0);
        httpThreads.shutdownNow();
        background.shutdownNow();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
