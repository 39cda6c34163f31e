package io.portlink.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A minimal SMTP server that holds its answer to the first mail until the test releases it: the moment a delivery run
 * has handed a mail over and waits for the server's "250", which GreenMail cannot hold. Later mails are answered at
 * once. Only for tests of what happens while a mail is in flight; everything else uses {@link Smtp} (GreenMail).
 */
public final class StallingSmtp implements AutoCloseable {

    private final ServerSocket server;
    private final CountDownLatch firstReceived = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> recipients = new ArrayList<>();

    public StallingSmtp() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "stalling-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Waits until the first mail's data has arrived (its answer is being held); false when none came in time. */
    public boolean awaitFirstMail(Duration within) throws InterruptedException {
        return firstReceived.await(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets the server answer "250" to the held mail. */
    public void release() {
        release.countDown();
    }

    /** The recipients of every mail whose data arrived, in order. */
    public synchronized List<String> recipients() {
        return List.copyOf(recipients);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread conversation = new Thread(() -> converse(socket), "stalling-smtp-session");
                conversation.setDaemon(true);
                conversation.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void converse(Socket socket) {
        try (socket;
                var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream()) {
            reply(out, "220 stalling-smtp ready");
            String recipient = null;
            for (String line; (line = in.readLine()) != null;) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (command) {
                case "RCPT" -> {
                    recipient = line.replaceAll("(?i)^RCPT TO:\\s*<?([^>]*)>?.*$", "$1");
                    reply(out, "250 OK");
                }
                case "DATA" -> {
                    reply(out, "354 go ahead");
                    for (String data; (data = in.readLine()) != null && !data.equals(".");) {
                        // the message itself is not needed
                    }
                    boolean first;
                    synchronized (this) {
                        recipients.add(recipient);
                        first = recipients.size() == 1;
                    }
                    if (first) {
                        firstReceived.countDown();
                        release.await();
                    }
                    reply(out, "250 OK queued");
                }
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "250 OK"); // EHLO/HELO (no extensions), MAIL, RSET, NOOP
                }
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        release.countDown();
        server.close();
    }
}
