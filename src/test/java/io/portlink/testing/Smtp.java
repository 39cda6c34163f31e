package io.portlink.testing;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * One real SMTP server (GreenMail on port 3025, or {@code -Dtestsmtp=}, where the test profile points the mailer) for
 * the whole test run, and each test starts with empty mailboxes. Tests that simulate an outage stop it; the next
 * {@link #fresh()} starts it again. The sends that used to hang now and then until GreenMail's read timeout were the
 * mail client losing the server's greeting on a new connection, which {@link io.portlink.outbox.SmtpClient} prevents.
 */
public final class Smtp {

    private static GreenMail server;

    /**
     * How long GreenMail waits for the next command of a session before it answers 421 and closes it (its own default:
     * 30 s). The outbox tries such a mail once more at once, so a stalled session costs this long, not half a minute.
     */
    static final int CLIENT_TIMEOUT_MILLIS = 5_000;

    /** The port the test profile's mailer uses ({@code -Dtestsmtp=}, 3025 by default). */
    public static final int PORT = Integer.getInteger("testsmtp", 3025);

    private Smtp() {
    }

    /** Proves the server holds an SMTP conversation (greets and says goodbye) before a test relies on it. */
    private static void awaitGreeting() {
        for (int attempt = 1;; attempt++) {
            try (var socket = new java.net.Socket("127.0.0.1", PORT)) {
                socket.setSoTimeout(5000);
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                        java.nio.charset.StandardCharsets.US_ASCII));
                var out = socket.getOutputStream();
                if (in.readLine().startsWith("220")) {
                    out.write("QUIT\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.flush();
                    in.readLine();
                    return;
                }
            } catch (java.io.IOException e) {
                if (attempt == 5) {
                    throw new java.io.UncheckedIOException("GreenMail does not answer on port " + PORT, e);
                }
            }
        }
    }

    /** The running server with no mail in it. */
    public static synchronized GreenMail fresh() {
        if (server == null) {
            server = new GreenMail(new ServerSetup(PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        }
        if (!server.isRunning()) {
            server.start();
            // GreenMail waits 30 s for a client that went quiet; a test whose client stalls fails in 5 s instead
            server.getSmtp().setClientSocketTimeout(CLIENT_TIMEOUT_MILLIS);
            awaitGreeting();
        }
        try {
            server.purgeEmailFromAllMailboxes();
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
        return server;
    }

    /**
     * Delivers due mail and, should a try fail anyway (a server an outage test has just started again), retries it as
     * the outbox would after its backoff, by moving the clock past the first retry.
     */
    public static int deliver(io.portlink.outbox.OutboxDelivery delivery, TestClock clock) {
        int sent = delivery.deliverDue();
        // each failed try backs off (30 s, 1 min, 2 min...): ten minutes later the message is due again
        for (int retry = 0; sent == 0 && retry < 2; retry++) {
            clock.advance(java.time.Duration.ofMinutes(10));
            sent = delivery.deliverDue();
        }
        return sent;
    }

    private static final java.util.regex.Pattern INVITATION = java.util.regex.Pattern
            .compile(java.util.regex.Pattern.quote(Fixtures.BASE_URL) + "(/app/invite/pi_[A-Za-z0-9_-]{43})");

    private static final java.util.regex.Pattern SUPPLIER_INVITATION = java.util.regex.Pattern
            .compile(java.util.regex.Pattern.quote(Fixtures.BASE_URL) + "(/app/connect/pc_[A-Za-z0-9_-]{43})");

    /** The path of the invitation link a mail carries (its quoted-printable soft breaks undone); fails without one. */
    public static String invitationLink(jakarta.mail.internet.MimeMessage mail) {
        return link(mail, INVITATION, "the invitation link");
    }

    /** The path of a dropship supplier invitation's link ({@code /app/connect/pc_…}) a mail carries; fails without. */
    public static String supplierInvitationLink(jakarta.mail.internet.MimeMessage mail) {
        return link(mail, SUPPLIER_INVITATION, "the supplier invitation's link");
    }

    private static String link(jakarta.mail.internet.MimeMessage mail, java.util.regex.Pattern pattern, String what) {
        java.util.regex.Matcher link = pattern.matcher(
                com.icegreen.greenmail.util.GreenMailUtil.getBody(mail).replace("=\r\n", "").replace("=3D", "="));
        org.junit.jupiter.api.Assertions.assertTrue(link.find(), "the mail carries " + what);
        return link.group(1);
    }

    /** The mails the server received for one address, oldest first. */
    public static jakarta.mail.internet.MimeMessage[] mailsTo(GreenMail server, String recipient) {
        return java.util.Arrays.stream(server.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(recipient);
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }).toArray(jakarta.mail.internet.MimeMessage[]::new);
    }
}
