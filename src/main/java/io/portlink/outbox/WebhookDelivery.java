package io.portlink.outbox;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.portlink.platform.GracefulStop;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.StopSignal;

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
 * {@code portlink.webhooks.allow-local}, a host that resolves to a loopback, private or link-local address is refused.
 * The secret is never logged.
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

    private HttpClient client;

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
        client = HttpClient.newBuilder().connectTimeout(config.webhooks().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Delivers due webhooks, at most a batch ({@code portlink.outbox.batch-size}); returns how many were delivered.
     * Stops between two deliveries when the service is stopping, and gives back a delivery whose body has not started
     * going out ({@link Handoff}).
     */
    public int deliverDue() {
        try (GracefulStop.Job job = stop.begin()) {
            int delivered = 0;
            for (int i = 0; i < config.outbox().batchSize() && !stop.requested(); i++) {
                Optional<OutboxStore.WebhookClaim> claim = store.claimNextWebhook();
                if (claim.isEmpty()) {
                    break;
                }
                Handoff.Outcome outcome = deliver(claim.get(), stop);
                if (outcome == Handoff.Outcome.DELIVERED) {
                    delivered++;
                } else if (outcome == Handoff.Outcome.GIVEN_BACK) {
                    break;
                }
            }
            return delivered;
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
     * One POST, signed now; never throws for what a receiver or the network does. Its body goes out only through
     * {@code handoff} ({@link GatedBody}); when {@code givenBack} completes first (a stop before the body), the
     * exchange is cancelled and that is the outcome.
     */
    Attempt post(OutboxStore.WebhookClaim claim, Handoff handoff, CompletableFuture<Attempt> givenBack) {
        URI uri = URI.create(claim.url());
        if (!config.webhooks().allowLocal()) {
            Optional<String> refused = refusedAddress(uri.getHost());
            if (refused.isPresent()) {
                return new Attempt(false, null, refused.get());
            }
        }
        long timestamp = Instant.now(clock).getEpochSecond();
        Duration timeout = config.webhooks().timeout();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8").header("User-Agent", "Portlink-Webhooks/1")
                .header(ID_HEADER, claim.eventId()).header(TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(SIGNATURE_HEADER, WebhookSecrets.signature(claim.secret(), timestamp, claim.body()))
                .POST(new GatedBody(HttpRequest.BodyPublishers.ofString(claim.body(), StandardCharsets.UTF_8), handoff))
                .build();
        CompletableFuture<HttpResponse<byte[]>> sending = client.sendAsync(request,
                info -> new CappedBody(MAX_ANSWER_BYTES));
        try {
            CompletableFuture.anyOf(sending, givenBack).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (handoff.givenBack()) {
                sending.cancel(true); // closes the connection: the receiver has no whole request to act on
                return Attempt.GIVEN_BACK;
            }
            HttpResponse<byte[]> answer = sending.get();
            int status = answer.statusCode();
            if (status >= 200 && status < 300) {
                return new Attempt(true, status, null);
            }
            String excerpt = excerpt(answer.body());
            return new Attempt(false, status, "HTTP " + status + (status >= 300 && status < 400
                    ? " (redirects are not followed)" : excerpt.isEmpty() ? "" : ": " + excerpt));
        } catch (TimeoutException e) {
            sending.cancel(true);
            return new Attempt(false, null, "no answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (handoff.givenBack()) {
                return Attempt.GIVEN_BACK; // the client failed the exchange at the gate, before the body
            }
            return new Attempt(false, null, networkError(e.getCause() == null ? e : e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sending.cancel(true);
            return new Attempt(false, null, "interrupted while sending");
        }
    }

    private static String host(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "an invalid URL";
        }
    }

    /** Why the host may not be called (it resolves to a non-public address, or not at all); empty when it may. */
    private static Optional<String> refusedAddress(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!Webhooks.publicAddress(a)) {
                    return Optional.of("refused: " + host + " resolves to a loopback, private or link-local address");
                }
            }
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.of("unknown host " + host);
        }
    }

    private String networkError(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return "could not connect within " + config.webhooks().connectTimeout().toSeconds() + " s";
        }
        if (cause instanceof java.net.http.HttpTimeoutException) {
            return "no answer within " + config.webhooks().timeout().toSeconds() + " s";
        }
        if (cause instanceof ConnectException) {
            return "could not connect (connection refused)";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The start of an answer's body on one line, for staff reading why a receiver refused. */
    private static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return text.length() > ANSWER_EXCERPT ? text.substring(0, ANSWER_EXCERPT) + "…" : text;
    }

    /**
     * A request body that goes out only through a {@link Handoff}: the HTTP client asks for its first bytes once it has
     * connected and written the headers, and that is the moment the data starts. When the handoff was given up first,
     * no byte is given to the client, which then fails the exchange: the receiver gets a request without its body (the
     * {@code Content-Length} says more is coming) and acts on nothing.
     */
    static final class GatedBody implements HttpRequest.BodyPublisher {

        private final HttpRequest.BodyPublisher body;
        private final Handoff handoff;

        GatedBody(HttpRequest.BodyPublisher body, Handoff handoff) {
            this.body = body;
            this.handoff = handoff;
        }

        @Override
        public long contentLength() {
            return body.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            body.subscribe(new Flow.Subscriber<ByteBuffer>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(new Flow.Subscription() {
                        @Override
                        public void request(long n) {
                            if (handoff.send()) {
                                subscription.request(n);
                            } else {
                                subscription.cancel();
                                subscriber.onError(new CancellationException("given back: the service is stopping"));
                            }
                        }

                        @Override
                        public void cancel() {
                            subscription.cancel();
                        }
                    });
                }

                @Override
                public void onNext(ByteBuffer item) {
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    subscriber.onError(throwable);
                }

                @Override
                public void onComplete() {
                    subscriber.onComplete();
                }
            });
        }
    }

    /**
     * Reads an answer's body up to {@code max} bytes, then stops reading (the connection is closed), so a receiver that
     * answers without end neither fills the memory nor holds the try past its timeout.
     */
    static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final int max;
        private final ByteArrayOutputStream read = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int n = Math.min(buffer.remaining(), max - read.size());
                byte[] bytes = new byte[n];
                buffer.get(bytes);
                read.write(bytes, 0, n);
            }
            if (read.size() >= max) {
                body.complete(read.toByteArray());
                subscription.cancel();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(read.toByteArray());
        }
    }
}
