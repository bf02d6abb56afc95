package io.jenkins.plugins.azuresshvm.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The CLI's HTTP client: the JDK's, trusting the JVM's CAs and optionally one more from a PEM file. Every client made
 * here shares {@link #WORKERS} threads, however many requests are in flight: the JDK client queues its work for them,
 * and nothing of ours ever blocks one (the launch is asynchronous throughout).
 */
public final class TrustingHttpClients {
    /** The JDK clients' worker threads, shared: daemons, ended after a minute idle. */
    static final int WORKERS = Math.max(4, Runtime.getRuntime().availableProcessors());
    private static final Executor EXECUTOR = workers();

    private TrustingHttpClients() {}

    /** A JDK HTTP client trusting the JVM's default CAs. */
    public static HttpClient jdk() {
        return bounded(new JdkHttpClientBuilder());
    }

    /**
     * A JDK HTTP client trusting the JVM's default CAs and every certificate in {@code caPem}.
     *
     * @throws IOException when the file cannot be read or holds no certificate
     */
    public static HttpClient jdkTrusting(Path caPem) throws IOException {
        return bounded(new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(sslContext(caPem))));
    }

    /**
     * On {@link #WORKERS}, set on the SDK's builder (it replaces one set on the JDK's with azure-core's global pool),
     * and without a read timeout: azure-core schedules each on that global pool, which then starts threads up to ten
     * per core. ARM's answers are small: {@link ArmRetries#responseTimeout()} and each step's deadline bound a
     * request.
     */
    private static HttpClient bounded(JdkHttpClientBuilder builder) {
        return builder.executor(EXECUTOR).readTimeout(Duration.ZERO).build();
    }

    private static Executor workers() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 1, TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "azure-http-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        workers.allowCoreThreadTimeOut(true);
        return workers;
    }

    /** TLS trusting the JVM's default CAs plus those in {@code caPem}. */
    static SSLContext sslContext(Path caPem) throws IOException {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int index = 0;
            for (X509Certificate ca : jvmDefaultTrustManager().getAcceptedIssuers()) {
                trusted.setCertificateEntry("jvm-" + index++, ca);
            }
            Collection<? extends Certificate> added;
            try (InputStream in = Files.newInputStream(caPem)) {
                added = CertificateFactory.getInstance("X.509").generateCertificates(in);
            } catch (java.security.cert.CertificateException e) {
                throw new IOException("no readable PEM certificate in " + caPem + ": " + e.getMessage(), e);
            }
            if (added.isEmpty()) {
                throw new IOException("no PEM certificate in " + caPem);
            }
            for (Certificate ca : added) {
                trusted.setCertificateEntry("ca-" + index++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS trusting " + caPem + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager jvmDefaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JVM has no X.509 trust manager");
    }
}
