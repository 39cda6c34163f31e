package io.portlink.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.portlink.testing.Smtp;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.ext.mail.MailMessage;

/**
 * Mails sent one after another from a plain thread, as the outbox job sends them, each on a new SMTP connection (the
 * test profile keeps none open) to GreenMail: every one is taken. Sent straight through the mail client from such a
 * thread, between one connection in 55 and one in 190 (five runs of 400 to 3,000 mails) lost the server's greeting and
 * waited until GreenMail closed the silent session with 421 ({@link SmtpClient}): this test would then pass in at most
 * about 4 runs of 100.
 */
@QuarkusTest
class SmtpClientTest {

    private static final int MAILS = 600;

    @Inject
    SmtpClient client;

    @Test
    void everyNewConnectionGetsItsGreetingAndTheMailIsTakenAtOnce() throws Exception {
        GreenMail server = Smtp.fresh();
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < MAILS; i++) {
            MailMessage mail = new MailMessage().setFrom("portlink@localhost").setTo(List.of("n" + i + "@smtp.example"))
                    .setSubject("mail " + i).setText("mail " + i);
            try {
                // a lost greeting fails with GreenMail's 421 after its 5 s client timeout
                client.send(mail).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                refused.add(i + ": " + e.getCause().getMessage());
            }
        }

        assertEquals(List.of(), refused, "mails whose session the server closed");
        assertEquals(MAILS, server.getReceivedMessages().length, "the server took every mail");
    }
}
