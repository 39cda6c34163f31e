package io.portlink.platform;

import static io.portlink.testing.Fixtures.uniqueReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.testing.Fixtures;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The mock mailer logs every mail it takes, bodies included ({@code quarkus-mailer}, INFO). Outside dev mode that line
 * is masked like any other ({@link TokenMaskingFilter}): a vendor mail whose link is whole in the mail itself leaves
 * only the link's hint ({@code pv_abc…}) in the log file, and no eight characters in a row of the token's secret.
 */
@QuarkusTest
@TestProfile(MockMailLogTest.MockMailer.class)
class MockMailLogTest {

    /** The mock mailer on (mails are logged, not sent), with its own log file. */
    public static class MockMailer implements QuarkusTestProfile {
        /** Where this profile writes its log file. */
        static final String LOG = "target/portlink-mock-mail-test.log";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mailer.mock", "true", "quarkus.mailer.log-rejected-recipients", "true",
                    "quarkus.log.category.\"quarkus-mailer\".level", "INFO", "quarkus.log.file.path", LOG);
        }
    }

    @Inject
    Fixtures fixtures;

    @Inject
    OutboxDelivery delivery;

    @Inject
    MockMailbox mailbox;

    @Test
    void aLoggedMailShowsItsLinksHintAndNeverItsToken() throws Exception {
        fixtures.settleOutbox();
        mailbox.clear();
        String vendor = "mocklog@vendor.example";
        Map<String, Object> order = new HashMap<>(Fixtures.order(uniqueReference(), vendor));
        order.put("send", "LINK_ONLY");
        String url = Fixtures.post(fixtures.tenant("GB").apiKey(), order).statusCode(201).extract()
                .path("vendorLink.url");
        String path = url.substring(url.indexOf("/v/"));
        String token = path.substring("/v/".length());
        assertTrue(delivery.deliverDue() >= 1, "the vendor's mail went to the mock mailer");

        List<Mail> mails = mailbox.getMailsSentTo(vendor);
        assertEquals(1, mails.size());
        assertTrue(mails.get(0).getText().contains(path), "the mail itself carries the whole link");

        String log = Files.readString(Path.of(MockMailer.LOG));
        int line = log.indexOf("Sending email " + mails.get(0).getSubject());
        assertTrue(line >= 0, "the mock mailer logged the mail");
        String logged = log.substring(line);
        assertTrue(logged.contains("/v/" + Tokens.hint(token)), "the logged mail shows the link's hint");
        String secret = token.substring(3);
        for (int i = 0; i + 8 <= secret.length(); i++) {
            assertFalse(log.contains(secret.substring(i, i + 8)), "part of the token in the log: " + i);
        }
    }
}
