package io.portlink.outbox;

import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;

/**
 * The Vert.x mail client under the mailer, always called from one event-loop context of its own.
 *
 * <p>
 * Called from any other thread (the outbox job's, a test's), vertx-mail-client 4.5 now and then loses the server's
 * greeting on a new connection: the client's reader of replies is not yet on the socket when the "220" arrives, the
 * socket drops it, and the client waits for a greeting it has already been sent until the server gives up on the silent
 * session and closes it with 421 (GreenMail after its client timeout; Postfix after {@code smtpd_timeout}, 300 s).
 * Measured against GreenMail on 2 cores, a new connection for every mail: 17 of 2,000 sends lost their greeting from a
 * plain thread, none of 2,000 from an event-loop context, where the connection is made and its reader set in one go.
 */
@ApplicationScoped
public class SmtpClient {

    @Inject
    MailClient client;

    @Inject
    Vertx vertx;

    private volatile Context context;

    /**
     * Hands {@code message} to the mail client on its event-loop context; completes with the server's answer to the
     * data, or fails with the client's error ({@code SMTPException} with the reply code for a refusal or a closed
     * session). Never blocks.
     */
    public CompletableFuture<MailResult> send(MailMessage message) {
        CompletableFuture<MailResult> result = new CompletableFuture<>();
        context().runOnContext(ignored -> client.sendMail(message).onComplete(sent -> {
            if (sent.succeeded()) {
                result.complete(sent.result());
            } else {
                result.completeExceptionally(sent.cause());
            }
        }));
        return result;
    }

    private Context context() {
        Context current = context;
        if (current == null) {
            synchronized (this) {
                if (context == null) {
                    // an event-loop context, whatever thread asks first (a worker's context would not do)
                    context = ((VertxInternal) vertx).createEventLoopContext();
                }
                current = context;
            }
        }
        return current;
    }
}
