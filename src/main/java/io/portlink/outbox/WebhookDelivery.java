package io.portlink.outbox;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.portlink.platform.GracefulStop;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.StopSignal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.tracing.TracingPolicy;

/**
 * Delivers webhooks from the outbox, one claimed message at a time ({@link OutboxStore#claimNextWebhook}), as part of
 * the outbox's job ({@link OutboxDelivery}). Each try is one POST of the stored JSON body with the headers
 * {@value #ID_HEADER}, {@value #TIMESTAMP_HEADER} (Unix seconds of this try) and {@value #SIGNATURE_HEADER}
 * ({@link WebhookSecrets#signature}). A 2xx answer is delivered; any other answer, a timeout or a connection error is a
 * failed try, retried with backoff until dead.
 *
 * <p>
 * The client connects within {@code portlink.webhooks.connect-timeout}, gives the whole try
 * {@code portlink.webhooks.timeout} (shorter than the outbox lease, so no other run takes the message meanwhile), never
 * follows redirects, and reads at most {@value #MAX_ANSWER_BYTES} bytes of an answer. Unless
 * {@code portlink.webhooks.allow-local}, a host that resolves to a loopback, private or link-local address is refused;
 * the host is looked up once per try and the address checked is the address connected to ({@link HostResolver}). The
 * secret is never logged, and the client makes no trace span (a receiver's URL may carry a key of its own).
 */
@ApplicationScoped
public class WebhookDelivery {

    private static final Logger LOG = Logger.getLogger(WebhookDelivery.class);

    public static final String ID_HEADER = "Portlink-Webhook-Id";
    public static final String TIMESTAMP_HEADER = "Portlink-Webhook-Timestamp";
    public static final String SIGNATURE_HEADER = "Portlink-Webhook-Signature";

    /** The most of a receiver's answer that is read (its start goes into the delivery's last error). */
    static final int MAX_ANSWER_BYTES = 4096;

    /** How much of a refusing answer's body the delivery's last error shows. */
    private static final int ANSWER_EXCERPT = 200;

    @Inject
    OutboxStore store;

    @Inject
    GracefulStop stop;

    @Inject
    PortlinkConfig config;

    @Inject
    Clock clock;

    @Inject
    HostResolver resolver;

    @Inject
    Vertx vertx;

    private HttpClient client;

    /** The lanes a run uses besides its own thread ({@link #deliverDue}). */
    private ExecutorService pool;

    /**
     * The outcome of one try: delivered, or the error; {@code status} when the receiver answered at all. Given back
     * when a stop came before any of the body went out: no error, nothing sent.
     */
    record Attempt(boolean delivered, Integer status, String error, boolean givenBack) {

        Attempt(boolean delivered, Integer status, String error) {
            this(delivered, status, error, false);
        }

        static final Attempt GIVEN_BACK = new Attempt(false, null, null, true);
    }

    @PostConstruct
    void init() {
        // portlink.webhooks.timeout < portlink.outbox.lease: checked at start (platform.ProductionSettings)
        client = vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout((int) config.webhooks().connectTimeout().toMillis())
                        .setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(false)
                        // the URL's name, not the pinned address, is TLS's server name and what the certificate must
                        // match
                        .setForceSni(true).setVerifyHost(true)
                        // a receiver's URL may carry a key of its own: no span names it
                        .setTracingPolicy(TracingPolicy.IGNORE));
        AtomicInteger lane = new AtomicInteger();
        pool = Executors.newFixedThreadPool(Math.max(1, lanes() - 1), work -> {
            Thread t = new Thread(work, "webhook-lane-" + lane.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void close() {
        pool.shutdownNow();
        client.close();
    }

    /**
     * Delivers due webhooks, at most a batch ({@code portlink.outbox.batch-size}); returns how many were delivered.
     * Sends to up to {@code portlink.webhooks.concurrency} endpoints at once (this thread and the lanes' pool), each
     * endpoint's events one after the other in the order they are due, so that a receiver slow to answer holds up only
     * its own. Stops claiming when the service is stopping, and gives back a delivery whose body has not started going
     * out ({@link Handoff}).
     */
    public int deliverDue() {
        try (GracefulStop.Job job = stop.begin()) {
            Run run = new Run(config.outbox().batchSize());
            List<java.util.concurrent.Future<?>> others = new ArrayList<>();
            for (int i = 1; i < lanes(); i++) {
                others.add(pool.submit(run::lane));
            }
            run.lane();
            for (java.util.concurrent.Future<?> other : others) {
                try {
                    other.get();
                } catch (ExecutionException e) {
                    LOG.warnf(e.getCause(), "a webhook delivery lane failed; its claim is retried after its lease");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return run.delivered.get();
        }
    }

    /** The lanes of one run: this thread and {@code lanes() - 1} of the pool. */
    private int lanes() {
        return Math.max(1, Math.min(config.webhooks().concurrency(), config.outbox().batchSize()));
    }

    /**
     * One delivery run shared by its lanes: how many were claimed (at most the batch), the endpoints being sent to now
     * (passed over by the next claim), and whether a stop gave a delivery back (no lane claims after that).
     */
    private final class Run {

        private final int batch;
        private final Set<Long> busy = new HashSet<>();
        private final AtomicInteger delivered = new AtomicInteger();
        private int claimed;
        private boolean over;

        Run(int batch) {
            this.batch = batch;
        }

        /** Claims and delivers until the batch is used, nothing due is left for it, or the service stops. */
        void lane() {
            while (true) {
                OutboxStore.WebhookClaim claim;
                synchronized (this) {
                    // claims are taken one at a time, so two lanes never take two events of one endpoint
                    if (over || claimed >= batch || stop.requested()) {
                        return;
                    }
                    Optional<OutboxStore.WebhookClaim> next = store.claimNextWebhook(Set.copyOf(busy));
                    if (next.isEmpty()) {
                        return; // nothing due, or only events of endpoints other lanes are sending to
                    }
                    claim = next.get();
                    claimed++;
                    busy.add(claim.endpointId());
                }
                Handoff.Outcome outcome;
                try {
                    outcome = deliver(claim, stop);
                } finally {
                    synchronized (this) {
                        busy.remove(claim.endpointId());
                    }
                }
                if (outcome == Handoff.Outcome.DELIVERED) {
                    delivered.incrementAndGet();
                } else if (outcome == Handoff.Outcome.GIVEN_BACK) {
                    synchronized (this) {
                        over = true;
                    }
                    return;
                }
            }
        }
    }

    /**
     * Tries one claimed webhook and records the outcome. When {@code stopping} begins before the first byte of the body
     * went out (while resolving or connecting), the exchange is abandoned and the claim given back without a try; once
     * the body started, the try runs to its answer or its timeout. Package-private for tests that stop one delivery.
     */
    Handoff.Outcome deliver(OutboxStore.WebhookClaim claim, StopSignal stopping) {
        Attempt attempt;
        Handoff handoff = new Handoff();
        CompletableFuture<Attempt> givenBack = new CompletableFuture<>();
        try (StopSignal.Registration listening = stopping.whenRequested(() -> {
            if (handoff.giveUp()) {
                givenBack.complete(Attempt.GIVEN_BACK);
            }
        })) {
            attempt = givenBack.isDone() ? Attempt.GIVEN_BACK : post(claim, handoff, givenBack);
        } catch (RuntimeException e) {
            // per message: one bad endpoint never stops the batch
            attempt = new Attempt(false, null, "could not send: " + e.getMessage());
        }
        if (attempt.givenBack() || handoff.givenBack()) {
            if (store.release(claim.id(), claim.until())) {
                LOG.infof("webhook %d (%s): given back unsent, the service is stopping; another replica sends it",
                        claim.id(), claim.eventId());
            } else {
                LOG.warnf("webhook %d (%s): given back unsent, but its claim had lapsed; it is sent after its lease",
                        claim.id(), claim.eventId());
            }
            return Handoff.Outcome.GIVEN_BACK;
        }
        if (!attempt.delivered()) {
            // the host only: a receiver's URL may carry a key of its own in its path or query
            LOG.infof("webhook %d (%s) to %s, try %d: %s", claim.id(), claim.eventId(), host(claim.url()),
                    claim.attempt(), attempt.error());
            store.failed(claim.id(), attempt.error(), attempt.status());
            return Handoff.Outcome.FAILED;
        }
        store.sent(claim.id(), attempt.status());
        try {
            store.recordDelivered(claim.id());
        } catch (RuntimeException e) {
            LOG.warnf("webhook %d was delivered; its feature hears of it on the next run: %s", claim.id(),
                    e.getMessage());
        }
        return Handoff.Outcome.DELIVERED;
    }

    /**
     * One POST, signed now; never throws for what a receiver or the network does. The host is looked up once
     * ({@link HostResolver}): those addresses are checked and the first is the one connected to, with the URL's host
     * name kept for the {@code Host} header, TLS's server name and the certificate's check. The request goes out only
     * once connected and only through {@code handoff}; when {@code givenBack} completes first (a stop before that), the
     * exchange is abandoned and that is the outcome.
     */
    Attempt post(OutboxStore.WebhookClaim claim, Handoff handoff, CompletableFuture<Attempt> givenBack) {
        URI uri = URI.create(claim.url());
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        String host = unbracketed(uri.getHost());
        InetAddress address;
        try {
            List<InetAddress> addresses = resolver.resolve(host);
            Optional<String> refused = config.webhooks().allowLocal() ? Optional.empty() : refused(host, addresses);
            if (refused.isPresent()) {
                return new Attempt(false, null, refused.get());
            }
            address = addresses.get(0);
        } catch (UnknownHostException e) {
            return new Attempt(false, null, "unknown host " + host);
        }
        long timestamp = Instant.now(clock).getEpochSecond();
        Duration timeout = config.webhooks().timeout();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setSsl(tls)
                .setURI(requestTarget(uri))
                // pinned: connects to the address just checked, never to a second lookup's answer
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                // a backstop only: the try's own timeout below ends it first
                .setIdleTimeout(timeout.toMillis() + 1000).putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("User-Agent", "Portlink-Webhooks/1").putHeader(ID_HEADER, claim.eventId())
                .putHeader(TIMESTAMP_HEADER, Long.toString(timestamp))
                .putHeader(SIGNATURE_HEADER, WebhookSecrets.signature(claim.secret(), timestamp, claim.body()));
        AtomicReference<HttpClientRequest> open = new AtomicReference<>();
        Promise<Attempt> outcome = Promise.promise();
        // started on an event loop of its own, so that the answer's handlers are set as its head arrives, before any
        // of its body (from this worker thread they would run as a later task, after a short answer had ended)
        vertx.getOrCreateContext().runOnContext(started -> client.request(options).compose(request -> {
            open.set(request);
            if (host.indexOf(':') >= 0) {
                request.authority(HostAndPort.authority("[" + host + "]", port)); // Host: [2001:db8::7]:8443
            }
            if (!handoff.send()) {
                request.reset(); // connected, but nothing written: the receiver has no request to act on
                return Future.failedFuture(new CancellationException("given back: the service is stopping"));
            }
            return request.send(Buffer.buffer(claim.body().getBytes(StandardCharsets.UTF_8)));
        }).compose(WebhookDelivery::answer).onComplete(outcome));
        CompletableFuture<Attempt> sending = outcome.future().toCompletionStage().toCompletableFuture();
        try {
            CompletableFuture.anyOf(sending, givenBack).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (handoff.givenBack()) {
                abandon(open);
                return Attempt.GIVEN_BACK;
            }
            return sending.get();
        } catch (TimeoutException e) {
            abandon(open);
            return new Attempt(false, null, "no answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (handoff.givenBack()) {
                return Attempt.GIVEN_BACK; // refused at the gate, before anything was written
            }
            return new Attempt(false, null, networkError(e.getCause() == null ? e : e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(open);
            return new Attempt(false, null, "interrupted while sending");
        }
    }

    /**
     * Reads the answer's status and at most {@value #MAX_ANSWER_BYTES} bytes of its body, then closes the connection,
     * so a receiver that answers without end neither fills the memory nor holds the try past its timeout. Runs on the
     * connection's event loop.
     */
    private static Future<Attempt> answer(HttpClientResponse response) {
        Promise<Attempt> outcome = Promise.promise();
        Buffer read = Buffer.buffer();
        int status = response.statusCode();
        response.handler(chunk -> {
            int n = Math.min(chunk.length(), MAX_ANSWER_BYTES - read.length());
            if (n > 0) {
                read.appendBuffer(chunk, 0, n);
            }
            if (read.length() >= MAX_ANSWER_BYTES && outcome.tryComplete(attempt(status, read.getBytes()))) {
                response.request().connection().close();
            }
        });
        response.endHandler(end -> outcome.tryComplete(attempt(status, read.getBytes())));
        response.exceptionHandler(outcome::tryFail);
        return outcome.future();
    }

    private static Attempt attempt(int status, byte[] body) {
        if (status >= 200 && status < 300) {
            return new Attempt(true, status, null);
        }
        String excerpt = excerpt(body);
        boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
        return new Attempt(false, status, "HTTP " + status
                + (redirect ? " (redirects are not followed)" : excerpt.isEmpty() ? "" : ": " + excerpt));
    }

    /** Closes the connection of an exchange that is given up; the receiver never gets a whole request after this. */
    private static void abandon(AtomicReference<HttpClientRequest> open) {
        HttpClientRequest request = open.get();
        if (request != null) {
            request.reset();
        }
    }

    /** The path and query as the URL wrote them ("/" when it has no path). */
    private static String requestTarget(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String host(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "an invalid URL";
        }
    }

    /**
     * Why {@code host} may not be called, given its {@code addresses}: one of them is a loopback, private or link-local
     * address ({@link Webhooks#publicAddress}); empty when it may. Package-private for its test.
     */
    static Optional<String> refused(String host, List<InetAddress> addresses) {
        for (InetAddress a : addresses) {
            if (!Webhooks.publicAddress(a)) {
                return Optional.of("refused: " + host + " resolves to a loopback, private or link-local address");
            }
        }
        return Optional.empty();
    }

    private String networkError(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "could not connect within " + config.webhooks().connectTimeout().toSeconds() + " s";
        }
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        if (cause instanceof SSLException) {
            // the handshake's own words ("Failed to create SSL connection") say nothing; its root cause says why
            Throwable root = cause;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return "TLS failed: " + (root.getMessage() == null ? message : root.getMessage());
        }
        if (cause instanceof ConnectException || cause instanceof SocketException) {
            // Netty's words name the address after a colon: "Connection refused: /203.0.113.5:443"
            int colon = message.indexOf(':');
            return "could not connect (" + (colon > 0 ? message.substring(0, colon) : message).toLowerCase(Locale.ROOT)
                    + ")";
        }
        if (cause instanceof HttpClosedException || cause instanceof ClosedChannelException) {
            return "the receiver closed the connection before it answered";
        }
        if (cause instanceof DecoderException
                || (cause instanceof IllegalArgumentException && message.startsWith("invalid version format"))) {
            // Netty's HTTP decoder: "invalid version format: NOT"
            return "the receiver's answer was not HTTP";
        }
        // anything else: its words without the class's name, which means nothing to staff
        return message.isEmpty() ? "could not send (" + cause.getClass().getSimpleName() + ")"
                : "could not send: " + message;
    }

    /** The start of an answer's body on one line, for staff reading why a receiver refused. */
    private static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return text.length() > ANSWER_EXCERPT ? text.substring(0, ANSWER_EXCERPT) + "…" : text;
    }
}
