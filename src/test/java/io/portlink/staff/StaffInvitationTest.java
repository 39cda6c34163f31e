package io.portlink.staff;

import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.portlink.organization.StaffUser;
import io.portlink.outbox.OutboxDelivery;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/** Inviting staff by e-mail, through a real SMTP server. */
@QuarkusTest
class StaffInvitationTest {

    GreenMail smtp;

    private static final String NEW_PASSWORD = "chosen-by-me-42";

    @Inject
    Fixtures fixtures;

    @Inject
    OutboxDelivery delivery;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;
    CookieFilter admin;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
        admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        fixtures.settleOutbox();
        smtp = Smtp.fresh();
    }

    private void invite(String email) {
        given().filter(admin).redirects().follow(false).formParam("form-token", csrf(admin, "/app/admin"))
                .formParam("email", email).formParam("displayName", "Ines Invited").formParam("role", "STAFF")
                .post("/app/admin/users/invite").then().statusCode(303)
                .header("Location", containsString("done=invited"));
    }

    /** Delivers the outbox and returns the invitation link in the one mail to this address. */
    private String invitationLinkMailedTo(String email) throws Exception {
        Smtp.deliver(delivery, clock);
        MimeMessage[] mails = Smtp.mailsTo(smtp, email);
        MimeMessage mail = mails[mails.length - 1];
        assertTrue(mail.getSubject().contains("invites you to " + tenant.name()), mail.getSubject());
        return Smtp.invitationLink(mail);
    }

    /** The invitee's browser: its cookies and the last form token a page gave it. */
    private final CookieFilter browser = new io.restassured.filter.cookie.CookieFilter();
    private String csrfToken = "";

    /** Opens the link and submits its form; a page without a form (used link) resubmits the last one seen. */
    private io.restassured.response.ValidatableResponse choose(String link, String password, String again) {
        String page = given().filter(browser).get(link).asString();
        Matcher csrf = Pattern.compile("name=\"form-token\" value=\"([^\"]+)\"").matcher(page);
        if (csrf.find()) {
            csrfToken = csrf.group(1);
        }
        return given().filter(browser).redirects().follow(false).formParam("form-token", csrfToken)
                .formParam("password", password).formParam("confirmation", again).post(link).then();
    }

    @Test
    void anInvitedPersonChoosesAPasswordOnceAndSignsIn() throws Exception {
        String email = "ines-" + tenant.id() + "@buyer.example";
        invite(email);
        given().filter(admin).get("/app/admin").then().body(containsString("invited, until"));
        String link = invitationLinkMailedTo(email);

        // reading the link changes nothing, and the page is a token page
        given().get(link).then().statusCode(200).body(containsString(email))
                .header("Referrer-Policy", equalTo("no-referrer")).header("Cache-Control", equalTo("no-store"));
        given().get(link).then().statusCode(200);
        given().formParam("j_username", email).formParam("j_password", NEW_PASSWORD).redirects().follow(false)
                .post("/j_security_check").then().header("Location", containsString("error"));

        choose(link, NEW_PASSWORD, "something-else-1").statusCode(422)
                .body(containsString("The same password again: does not match the password"));
        choose(link, "short", "short").statusCode(422).body(containsString("at least 10 characters"));
        choose(link, NEW_PASSWORD, NEW_PASSWORD).statusCode(303).header("Location", containsString("welcome=true"));

        CookieFilter ines = signIn(email, NEW_PASSWORD);
        given().filter(ines).get("/app/orders").then().statusCode(200);
        given().filter(ines).get("/app/admin").then().statusCode(403);
        given().filter(admin).get("/app/admin").then().body(not(containsString("invited, until")));

        // used up: the same link is the neutral page and cannot set another password
        given().get(link).then().statusCode(410).body(containsString("This link is not available"))
                .body(not(containsString(email)));
        choose(link, "another-password-9", "another-password-9").statusCode(410);
        assertTrue(noTableHoldsToken(link.substring(link.lastIndexOf('/') + 1)), "only the hash is stored");
    }

    @Test
    void anInvitationExpiresAndANewOneReplacesTheOld() throws Exception {
        String email = "late-" + tenant.id() + "@buyer.example";
        invite(email);
        String first = invitationLinkMailedTo(email);
        clock.advance(Duration.ofDays(8));
        given().get(first).then().statusCode(410);

        long id = userId(email);
        given().filter(admin).redirects().follow(false).formParam("form-token", csrf(admin, "/app/admin"))
                .post("/app/admin/users/" + id + "/invite").then().statusCode(303);
        String second = invitationLinkMailedTo(email);
        assertTrue(!second.equals(first));
        given().get(first).then().statusCode(410);
        choose(second, NEW_PASSWORD, NEW_PASSWORD).statusCode(303);
        signIn(email, NEW_PASSWORD);

        // accepted: no more invitations for this user
        given().filter(admin).formParam("form-token", csrf(admin, "/app/admin"))
                .post("/app/admin/users/" + id + "/invite").then().statusCode(422)
                .body(containsString("has already chosen a password"));
    }

    @Test
    void reinvitingRevokesTheStillValidPreviousInvitation() throws Exception {
        String email = "again-" + tenant.id() + "@buyer.example";
        invite(email);
        String first = invitationLinkMailedTo(email);
        choose(first, "short", "short").statusCode(422); // the invitee has the first form open...
        given().filter(admin).redirects().follow(false).formParam("form-token", csrf(admin, "/app/admin"))
                .post("/app/admin/users/" + userId(email) + "/invite").then().statusCode(303);
        String second = invitationLinkMailedTo(email);
        given().get(first).then().statusCode(410).body(containsString("This link is not available"));
        choose(first, NEW_PASSWORD, NEW_PASSWORD).statusCode(410); // ...which the new invitation has stopped
        choose(second, NEW_PASSWORD, NEW_PASSWORD).statusCode(303);
        signIn(email, NEW_PASSWORD);
    }

    @Test
    void badInvitationsAreRefusedAndADisabledInviteeCannotAccept() throws Exception {
        given().filter(admin).formParam("form-token", csrf(admin, "/app/admin")).formParam("email", "not-an-address")
                .post("/app/admin/users/invite").then().statusCode(422)
                .body(containsString("E-mail: must be an e-mail address"));
        given().filter(admin).formParam("form-token", csrf(admin, "/app/admin")).formParam("email", tenant.adminEmail())
                .post("/app/admin/users/invite").then().statusCode(422)
                .body(containsString("is already a user of this organisation"));
        given().get("/app/invite/pi_" + "A".repeat(43)).then().statusCode(404)
                .body(containsString("This link is not available"));

        String email = "gone-" + tenant.id() + "@buyer.example";
        invite(email);
        String link = invitationLinkMailedTo(email);
        choose(link, "short", "short").statusCode(422); // the invitee has the form open...
        given().filter(admin).redirects().follow(false).formParam("form-token", csrf(admin, "/app/admin"))
                .formParam("enabled", "false").post("/app/admin/users/" + userId(email) + "/enabled").then()
                .statusCode(303);
        choose(link, NEW_PASSWORD, NEW_PASSWORD).statusCode(410); // ...and is refused once disabled

        // another organisation's admin cannot re-invite this user
        Fixtures.Tenant other = fixtures.tenant("GB");
        CookieFilter otherAdmin = signIn(other.adminEmail(), Fixtures.PASSWORD);
        given().filter(otherAdmin).formParam("form-token", csrf(otherAdmin, "/app/admin"))
                .post("/app/admin/users/" + userId(email) + "/invite").then().statusCode(404);
    }

    @Inject
    io.portlink.organization.StaffAccounts accounts;

    @Inject
    javax.sql.DataSource dataSource;

    /**
     * An invitation mailed before invitations became access links: migration V22_1 moved it (same hash, same expiry)
     * with the statement used here, and the link in the mail opens and sets the password as before.
     */
    @Test
    void anInvitationMovedByTheMigrationStillWorks() throws Exception {
        String email = "moved-" + tenant.id() + "@buyer.example";
        long userId = accounts.createInvited(tenant.id(), email, null, StaffUser.Role.STAFF).id;
        String token = io.portlink.platform.Tokens.generate(io.portlink.platform.Tokens.INVITATION);
        try (var connection = dataSource.getConnection()) {
            boolean h2 = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                    .contains("h2");
            db.migration.V22_1__staff_invitations_as_links.moveInvitation(connection, h2, userId, tenant.id(),
                    io.portlink.platform.Tokens.sha256(token),
                    clock.instant().plus(Duration.ofDays(3)).atOffset(java.time.ZoneOffset.UTC));
        }
        String link = "/app/invite/" + token;
        given().filter(admin).get("/app/admin").then().body(containsString("invited, until"));
        given().get(link).then().statusCode(200).body(containsString(email));
        choose(link, NEW_PASSWORD, NEW_PASSWORD).statusCode(303).header("Location", containsString("welcome=true"));
        signIn(email, NEW_PASSWORD);
        given().get(link).then().statusCode(410);
    }

    @Transactional
    long userId(String email) {
        return StaffUser.findByEmail(email).orElseThrow().id;
    }

    @Transactional
    boolean noTableHoldsToken(String token) {
        var em = StaffUser.getEntityManager();
        Number users = (Number) em
                .createNativeQuery("select count(*) from access_link where token_hash = ?1 or token_hint = ?1")
                .setParameter(1, token).getSingleResult();
        Number mails = (Number) em
                .createNativeQuery("select count(*) from outbox_message where body_text like ?1 or body_html like ?1")
                .setParameter(1, "%" + token + "%").getSingleResult();
        assertEquals(0, users.intValue());
        return mails.intValue() == 0;
    }
}
