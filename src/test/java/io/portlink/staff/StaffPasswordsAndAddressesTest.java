package io.portlink.staff;

import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
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
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Every place a password is set refuses the weak ones, saying what to fix; and an admin inviting or adding an address
 * that belongs to another organisation learns nothing from the answer.
 */
@QuarkusTest
class StaffPasswordsAndAddressesTest {

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
    }

    private ValidatableResponse addUser(CookieFilter as, String email, String password) {
        // as a browser sends it: UTF-8, not REST Assured's ISO-8859-1
        return given().filter(as).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("form-token", csrf(as, "/app/admin")).formParam("email", email)
                .formParam("password", password).formParam("role", "STAFF").post("/app/admin/users").then();
    }

    private ValidatableResponse invite(CookieFilter as, String email) {
        return given().filter(as).redirects().follow(false).formParam("form-token", csrf(as, "/app/admin"))
                .formParam("email", email).formParam("displayName", "Ines").formParam("role", "STAFF")
                .post("/app/admin/users/invite").then();
    }

    @Test
    void weakPasswordsAreRefusedWhenAUserIsAdded() {
        String clerk = "sam.clerk-" + tenant.id() + "@example.com";
        addUser(admin, clerk, "aaaaaaaaaa").statusCode(422).body(containsString("Password: repeats itself"));
        addUser(admin, clerk, "password12").statusCode(422)
                .body(containsString("Password: is one of the most commonly used passwords"));
        addUser(admin, clerk, clerk).statusCode(422)
                .body(containsString("Password: is built from the e-mail address or the organisation"));
        addUser(admin, clerk, tenant.name() + " 2026").statusCode(422)
                .body(containsString("Password: is built from the e-mail address or the organisation"));
        given().filter(admin).get("/app/admin").then().body(not(containsString(clerk)));

        // a long passphrase with spaces in another script, beyond bcrypt's 72 bytes, is fine
        String passphrase = "съешь же ещё этих мягких французских булок да выпей чаю";
        addUser(admin, clerk, passphrase).statusCode(303);
        signIn(clerk, passphrase);
    }

    @Test
    void weakPasswordsAreRefusedOnResetAndForTheFirstAdmin() {
        String clerk = "kim-" + tenant.id() + "@example.com";
        addUser(admin, clerk, "ledger-tulip-harbour").statusCode(303);
        Matcher id = Pattern
                .compile("data-user=\"" + Pattern.quote(clerk) + "\">.*?/app/admin/users/(\\d+)/", Pattern.DOTALL)
                .matcher(given().filter(admin).get("/app/admin").asString());
        assertTrue(id.find());
        given().filter(admin).formParam("form-token", csrf(admin, "/app/admin")).formParam("password", "kim12345678")
                .post("/app/admin/users/" + id.group(1) + "/password").then().statusCode(422)
                .body(containsString("built from the e-mail address"));
        signIn(clerk, "ledger-tulip-harbour");

        // the operator's first admin (the same rule as PORTLINK_BOOTSTRAP_ADMIN_PASSWORD)
        given().header("Authorization", "Bearer test-operator-token-0123456789").contentType(ContentType.JSON)
                .body(Map.of("name", "Globex", "country", "DE", "adminEmail",
                        "first-" + tenant.id() + "@globex.example", "adminPassword", "password12"))
                .post("/api/v1/operator/organizations").then().statusCode(422)
                .body(containsString("most commonly used"));
    }

    /** SECURITY.md: passwords are stored as bcrypt of cost 10 or more, never as themselves. */
    @Test
    void aPasswordIsStoredAsBcryptOfCostTenOrMore() {
        String hash = passwordHash(tenant.adminEmail());
        Matcher bcrypt = Pattern.compile("^\\$2[aby]?\\$(\\d\\d)\\$[./A-Za-z0-9]{53}$").matcher(hash);
        assertTrue(bcrypt.matches(), "a bcrypt hash: " + hash.substring(0, 7));
        assertTrue(Integer.parseInt(bcrypt.group(1)) >= 10, "cost " + bcrypt.group(1));
        assertTrue(!hash.contains(Fixtures.PASSWORD));
    }

    @Test
    void anInviteeCannotChooseAWeakPassword() throws Exception {
        fixtures.settleOutbox();
        GreenMail smtp = Smtp.fresh();
        String email = "ines-" + tenant.id() + "@buyer.example";
        invite(admin, email).statusCode(303);
        String link = linkMailedTo(smtp, email);
        choose(link, email).statusCode(422).body(containsString("built from the e-mail address"));
        choose(link, "password12").statusCode(422).body(containsString("most commonly used"));
        choose(link, "my own quiet garden").statusCode(303);
    }

    @Test
    void invitingOrAddingAnotherOrganisationsAddressAnswersAsForANewOne() throws Exception {
        Fixtures.Tenant other = fixtures.tenant("GB");
        String theirs = other.adminEmail();
        String fresh = "new-" + tenant.id() + "@example.com";
        long before = userCount(other.id());
        String theirHash = passwordHash(theirs);

        // invite: the same status, redirect and page for an address of another organisation as for a new one
        String newAnswer = invite(admin, fresh).statusCode(303).extract().header("Location");
        String theirAnswer = invite(admin, theirs).statusCode(303).extract().header("Location");
        assertEquals(newAnswer, theirAnswer);
        String page = given().filter(admin).get(theirAnswer).asString();
        assertTrue(page.contains("data-user=\"" + theirs + "\""), "listed like any invited person");
        assertEquals(row(page, fresh).replace(fresh, "X").replaceAll("/users/\\d+/", "/users/N/"),
                row(page, theirs).replace(theirs, "X").replaceAll("/users/\\d+/", "/users/N/"));

        // add with a password: the same again
        String freshToo = "new2-" + tenant.id() + "@example.com";
        Fixtures.Tenant third = fixtures.tenant("GB");
        String newAdd = addUser(admin, freshToo, "ledger-tulip-harbour").statusCode(303).extract().header("Location");
        String theirAdd = addUser(admin, third.adminEmail(), "ledger-tulip-harbour").statusCode(303).extract()
                .header("Location");
        assertEquals(newAdd, theirAdd);

        // the other organisation's user is untouched and signs in as before, to their own organisation
        assertEquals(before, userCount(other.id()));
        assertEquals(theirHash, passwordHash(theirs));
        CookieFilter them = signIn(theirs, Fixtures.PASSWORD);
        given().filter(them).get("/app/admin").then().statusCode(200).body(containsString(other.name()));
        signIn(third.adminEmail(), Fixtures.PASSWORD);

        // the invitation goes out; the person in that mailbox is told the address has an account elsewhere
        fixtures.settleOutbox();
        GreenMail smtp = Smtp.fresh();
        given().filter(admin).redirects().follow(false).formParam("form-token", csrf(admin, "/app/admin"))
                .post("/app/admin/users/" + userId(tenant.id(), theirs) + "/invite").then().statusCode(303);
        String link = linkMailedTo(smtp, theirs);
        given().get(link).then().statusCode(200).body(containsString("already signs in to another organisation"))
                .body(not(containsString("name=\"password\"")));
        // a post anyway (the page has no form, so no CSRF token either) sets nothing
        choose(link, "a fresh garden path")
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(403), org.hamcrest.Matchers.is(422)));
        assertEquals(theirHash, passwordHash(theirs));
        signIn(theirs, Fixtures.PASSWORD);

        // the same organisation may say so
        invite(admin, fresh).statusCode(422).body(containsString("is already a user of this organisation"));
        addUser(admin, tenant.adminEmail(), "ledger-tulip-harbour").statusCode(422)
                .body(containsString("is already a user of this organisation"));
    }

    private static String row(String page, String email) {
        Matcher m = Pattern.compile("<tr data-user=\"" + Pattern.quote(email) + "\">.*?</tr>", Pattern.DOTALL)
                .matcher(page);
        assertTrue(m.find(), "row of " + email);
        return m.group();
    }

    private String linkMailedTo(GreenMail smtp, String email) throws Exception {
        Smtp.deliver(delivery, clock);
        MimeMessage[] mails = Smtp.mailsTo(smtp, email);
        return Smtp.invitationLink(mails[mails.length - 1]);
    }

    private final CookieFilter browser = new CookieFilter();

    private ValidatableResponse choose(String link, String password) {
        String page = given().filter(browser).get(link).asString();
        Matcher csrf = Pattern.compile("name=\"form-token\" value=\"([^\"]+)\"").matcher(page);
        String token = csrf.find() ? csrf.group(1) : "";
        return given().filter(browser).redirects().follow(false).formParam("form-token", token)
                .formParam("password", password).formParam("confirmation", password).post(link).then();
    }

    @Transactional
    long userCount(long organizationId) {
        return StaffUser.count("organization.id", organizationId);
    }

    @Transactional
    String passwordHash(String email) {
        return StaffUser.findSigningIn(email).orElseThrow().passwordHash;
    }

    @Transactional
    long userId(long organizationId, String email) {
        return StaffUser.findByEmail(organizationId, email).orElseThrow().id;
    }
}
