package io.portlink.dropship;

import static io.portlink.testing.StaffClient.FORM_TOKEN;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.postForm;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.portlink.organization.StaffAccounts;
import io.portlink.organization.StaffUser;
import io.portlink.outbox.OutboxDelivery;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Smtp;
import io.portlink.testing.StaffClient;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;

/**
 * Merchants invite suppliers by e-mail (through a real SMTP server); suppliers accept with their organisation or a new
 * one; either side disconnects; nobody else sees or changes a connection.
 */
@QuarkusTest
class ConnectionsTest {

    private static final String NEW_PASSWORD = "quiet-anchor-meadow-7";

    @Inject
    StaffAccounts accounts;

    @Inject
    Fixtures fixtures;

    @Inject
    CatalogueFixtures catalogue;

    @Inject
    OutboxDelivery delivery;

    @Inject
    TestClock clock;

    GreenMail smtp;
    Fixtures.Tenant merchant;
    Fixtures.Tenant supplier;
    CookieFilter merchantStaff;
    CookieFilter supplierStaff;

    @BeforeEach
    void merchantAndSupplier() {
        merchant = fixtures.tenant("GB");
        fixtures.settleOutbox();
        smtp = Smtp.fresh();
    }

    /** The supplier's organisation, made on first use (a tenant costs a bcrypt hash; one test needs none). */
    private Fixtures.Tenant supplier() {
        if (supplier == null) {
            supplier = fixtures.tenant("GB");
        }
        return supplier;
    }

    /** The merchant's admin, signed in on first use (a sign-in costs a bcrypt check; not every test needs one). */
    private CookieFilter merchantStaff() {
        if (merchantStaff == null) {
            merchantStaff = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        }
        return merchantStaff;
    }

    /** The supplier's admin, signed in on first use. */
    private CookieFilter supplierStaff() {
        if (supplierStaff == null) {
            supplierStaff = signIn(supplier().adminEmail(), Fixtures.PASSWORD);
        }
        return supplierStaff;
    }

    /** Invites by the Suppliers form and returns the link (path) the mail carries. */
    private String inviteByForm(String name, String email) throws Exception {
        postForm(merchantStaff(), "/app/suppliers", "/app/suppliers", "supplierName", name, "email", email)
                .statusCode(303).header("Location", containsString("done=invited"));
        Smtp.deliver(delivery, clock);
        MimeMessage[] mails = Smtp.mailsTo(smtp, email);
        assertEquals(1, mails.length, "one invitation mail to " + email);
        assertEquals(merchant.name() + " invites " + name + " to dropship on Portlink", mails[0].getSubject());
        assertTrue(com.icegreen.greenmail.util.GreenMailUtil.getBody(mails[0])
                .contains(merchant.adminEmail() + " of " + merchant.name() + " invites"), "it names who invited");
        return Smtp.supplierInvitationLink(mails[0]);
    }

    /** From the API there is no person to name: the mail says the merchant invites, not the API key's name. */
    @Test
    void anInvitationSentThroughTheApiNamesTheMerchantOnly() throws Exception {
        String email = email("api");
        api(merchant.apiKey()).body(Map.of("supplierName", "Api Supply", "email", email))
                .post("/api/v1/connections/suppliers").then().statusCode(201);
        Smtp.deliver(delivery, clock);
        String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(Smtp.mailsTo(smtp, email)[0]);
        assertTrue(body.contains("Hello,") && body.contains(merchant.name() + " invites Api Supply to dropship"), body);
        assertFalse(body.contains(" of " + merchant.name()), body);
        // the supplier may be in another zone: the end names the merchant's
        assertTrue(body.contains("(Europe/London). If it has expired"), body);
    }

    private String email(String who) {
        return who + "-" + merchant.id() + "@supplier.example";
    }

    private static String formTokenOf(String page) {
        Matcher m = Pattern.compile("name=\"" + FORM_TOKEN + "\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(m.find(), "the page has a form");
        return m.group(1);
    }

    @Test
    void aSupplierAcceptsWithItsExistingOrganisation() throws Exception {
        String link = inviteByForm("Acme Supply", email("acme"));
        given().filter(merchantStaff()).get("/app/suppliers").then().body(containsString("Acme Supply"))
                .body(containsString("Invited"));

        // the link's page names the merchant, changes nothing, and is a token page
        given().get(link).then().statusCode(200).body(containsString(merchant.name() + " invites Acme Supply"))
                .body(matchesPattern("(?s).*works until [^<]+ \\(Europe/London\\)\\..*"))
                .body(containsString("Sign in")).header("Referrer-Policy", equalTo("no-referrer"))
                .header("Cache-Control", equalTo("no-store"));
        given().filter(supplierStaff()).get(link).then().statusCode(200)
                .body(containsString("Accept as " + supplier().name()));

        // the form as the invitation page draws it for the signed-in supplier
        given().filter(supplierStaff()).redirects().follow(false).formParam(FORM_TOKEN, csrf(supplierStaff(), link))
                .post(link + "/existing").then().statusCode(200)
                .body(containsString("You are connected to " + merchant.name()));

        given().filter(merchantStaff()).get("/app/suppliers").then().body(containsString("Connected"))
                .body(containsString("on Portlink as " + supplier().name()));
        given().filter(supplierStaff()).get("/app/merchants").then().body(containsString(merchant.name()))
                .body(containsString("Connected"));

        // used once: the link is gone (410, saying it was accepted); the same button again (a double click) shows
        // the connection it made and changes nothing, and later the link is gone for it too
        given().get(link).then().statusCode(410).body(containsString("This invitation is not available"))
                .body(containsString("It was accepted already")).body(containsString("ask the merchant for a new one"))
                .body(not(containsString(merchant.name())));
        given().filter(supplierStaff()).redirects().follow(false)
                .formParam(FORM_TOKEN, csrf(supplierStaff(), "/app/orders")).post(link + "/existing").then()
                .statusCode(200).body(containsString("You are connected to " + merchant.name()));
        assertEquals(1L, QuarkusTransaction.requiringNew().call(
                () -> DropshipConnection.count("merchantId = ?1 and supplierId = ?2", merchant.id(), supplier().id())));
        clock.advance(java.time.Duration.ofMinutes(11));
        given().filter(supplierStaff()).redirects().follow(false)
                .formParam(FORM_TOKEN, csrf(supplierStaff(), "/app/orders")).post(link + "/existing").then()
                .statusCode(410);
    }

    /**
     * A browser whose session ended elsewhere (a sign-out on another device) is asked to sign in once, and then sees
     * the invitation as its organisation; it is never sent round in circles.
     */
    @Test
    void aSessionThatEndedElsewhereSignsInOnceAndThenAccepts() throws Exception {
        String link = inviteByForm("Ended Supply", email("ended"));
        CookieFilter browser = supplierStaff();
        CookieFilter elsewhere = signIn(supplier().adminEmail(), Fixtures.PASSWORD);
        StaffClient.signOut(elsewhere);

        var answer = given().filter(browser).redirects().follow(false).get(link);
        System.out.println(
                "ENDED " + answer.statusCode() + " " + answer.header("Location") + " " + answer.asString().length());
        given().filter(browser).redirects().follow(false).formParam("j_username", supplier().adminEmail())
                .formParam("j_password", Fixtures.PASSWORD).post("/j_security_check").then().statusCode(302);
        given().filter(browser).get(link).then().statusCode(200).body(containsString("Accept as " + supplier().name()));
    }

    @Test
    void aSupplierNewToPortlinkCreatesItsOrganisationAndSignsIn() throws Exception {
        String address = email("newco");
        String link = inviteByForm("Newco Wholesale", address);
        CookieFilter browser = new CookieFilter();
        String token = formTokenOf(given().filter(browser).get(link).asString());

        given().filter(browser).formParam(FORM_TOKEN, token).formParam("organization", "Newco Wholesale Ltd")
                .formParam("country", "GB").formParam("email", address).formParam("password", NEW_PASSWORD)
                .formParam("confirmation", "something-else-12").post(link + "/new").then().statusCode(422)
                .body(containsString("The same password again: does not match the password"))
                .body(containsString("Newco Wholesale Ltd"));
        given().filter(browser).formParam(FORM_TOKEN, token).formParam("organization", "").formParam("country", "XX")
                .formParam("email", address).formParam("password", "short").formParam("confirmation", "short")
                .post(link + "/new").then().statusCode(422)
                .body(containsString("Organisation name: must be 1 to 200 characters"))
                .body(containsString("Country: must be an ISO 3166"));
        given().formParam(FORM_TOKEN, "forged").formParam("organization", "Newco Wholesale Ltd")
                .formParam("country", "GB").formParam("email", address).formParam("password", NEW_PASSWORD)
                .formParam("confirmation", NEW_PASSWORD).post(link + "/new").then().statusCode(403);

        given().filter(browser).formParam(FORM_TOKEN, token).formParam("organization", "Newco Wholesale Ltd")
                .formParam("country", "GB").formParam("email", address).formParam("password", NEW_PASSWORD)
                .formParam("confirmation", NEW_PASSWORD).post(link + "/new").then().statusCode(200)
                .body(containsString("Your organisation is created"));
        // the same form again (a double click, a reload of the answer): the same page, and still one organisation
        given().filter(browser).formParam(FORM_TOKEN, token).formParam("organization", "Newco Wholesale Ltd")
                .formParam("country", "GB").formParam("email", address).formParam("password", NEW_PASSWORD)
                .formParam("confirmation", NEW_PASSWORD).post(link + "/new").then().statusCode(200)
                .body(containsString("Your organisation is created"));
        assertEquals(1L, QuarkusTransaction.requiringNew()
                .call(() -> io.portlink.organization.Organization.count("name", "Newco Wholesale Ltd")));
        // another name or password is not that form: the link was used (the page would claim a password that
        // does not sign in)
        given().filter(browser).formParam(FORM_TOKEN, token).formParam("organization", "Newco Two")
                .formParam("country", "GB").formParam("email", address).formParam("password", NEW_PASSWORD)
                .formParam("confirmation", NEW_PASSWORD).post(link + "/new").then().statusCode(410)
                .body(containsString("accepted already"));
        given().filter(browser).formParam(FORM_TOKEN, token).formParam("organization", "Newco Wholesale Ltd")
                .formParam("country", "GB").formParam("email", address).formParam("password", "another-pass-9876")
                .formParam("confirmation", "another-pass-9876").post(link + "/new").then().statusCode(410);
        clock.advance(java.time.Duration.ofMinutes(11));
        given().filter(browser).formParam(FORM_TOKEN, token).formParam("organization", "Newco Wholesale Ltd")
                .formParam("country", "GB").formParam("email", address).formParam("password", NEW_PASSWORD)
                .formParam("confirmation", NEW_PASSWORD).post(link + "/new").then().statusCode(410);

        CookieFilter newcoAdmin = signIn(address, NEW_PASSWORD);
        given().filter(newcoAdmin).get("/app/merchants").then().statusCode(200).body(containsString(merchant.name()))
                .body(containsString("Connected"));
        given().filter(newcoAdmin).get("/app/admin").then().statusCode(200); // its first admin
        given().filter(merchantStaff()).get("/app/suppliers").then()
                .body(containsString("on Portlink as Newco Wholesale Ltd"));
    }

    @Test
    void theNewOrganisationFormStartsWithTheInvitedNameAndTheAnswerSaysHowToSignIn() throws Exception {
        String address = email("prefill");
        String link = inviteByForm("Prefill Supplies", address);
        CookieFilter browser = new CookieFilter();
        String page = given().filter(browser).get(link).asString();
        assertTrue(page.contains("name=\"organization\" value=\"Prefill Supplies\""), page);
        String done = given().filter(browser).formParam(FORM_TOKEN, formTokenOf(page))
                .formParam("organization", "Prefill Supplies").formParam("country", "GB").formParam("email", address)
                .formParam("password", NEW_PASSWORD).formParam("confirmation", NEW_PASSWORD).post(link + "/new").then()
                .statusCode(200).extract().asString();
        assertTrue(done.contains("You are not signed in yet: sign in with the e-mail"), done);
        java.util.regex.Matcher button = java.util.regex.Pattern
                .compile("href=\"([^\"]+)\" class=\"button primary\" id=\"sign-in-new\"").matcher(done);
        assertTrue(button.find(), done);
        String login = given().urlEncodingEnabled(false).get(button.group(1).replace("&amp;", "&")).then()
                .statusCode(200).extract().asString();
        assertTrue(login.contains("value=\"" + address + "\""), "the sign-in form has the e-mail filled in: " + login);
    }

    @Test
    void theNewOrganisationFormListsEveryProblemAtOnceAndKeepsWhatWasTyped() throws Exception {
        String link = inviteByForm("Roundco Supplies", email("roundco"));
        CookieFilter browser = new CookieFilter();
        String token = formTokenOf(given().filter(browser).get(link).asString());
        String page = given().filter(browser).formParam(FORM_TOKEN, token).formParam("organization", "Roundco\tLtd")
                .formParam("country", "XX").formParam("email", "roundco-at-example").formParam("password", "short1")
                .formParam("confirmation", "short2").post(link + "/new").then().statusCode(422).extract().asString();
        for (String problem : List.of("Please fix 5 problems; nothing was created",
                "Organisation name: must be one line, without control characters", "Country: must be an ISO 3166",
                "E-mail: must be an e-mail address", "Password: ",
                "The same password again: does not match the password")) {
            assertTrue(page.contains(problem), problem + " in " + page);
        }
        assertTrue(page.contains("value=\"XX\"") && page.contains("value=\"roundco-at-example\""), page);
        assertFalse(page.contains("short1") || page.contains("short2"), "the password is never sent back");

        // an address that signs in elsewhere is named together with the rest
        String taken = given().filter(browser).formParam(FORM_TOKEN, token).formParam("organization", "Roundco Ltd")
                .formParam("country", "").formParam("email", supplier().adminEmail())
                .formParam("password", NEW_PASSWORD).formParam("confirmation", NEW_PASSWORD).post(link + "/new").then()
                .statusCode(422).extract().asString();
        assertTrue(taken.contains("Please fix 2 problems"), taken);
        assertTrue(taken.contains("E-mail: already signs in to another organisation"), taken);
        assertTrue(taken.contains("value=\"Roundco Ltd\""), taken);
    }

    @Test
    void onlyAnAdminAcceptsForAnExistingOrganisation() throws Exception {
        String link = inviteByForm("Careful Supply", email("careful"));
        String address = "packer-" + supplier().id() + "@supplier.example";
        accounts.add(supplier().id(), address, "Pat Packer", Fixtures.PASSWORD, StaffUser.Role.STAFF);
        CookieFilter packer = signIn(address, Fixtures.PASSWORD);
        given().filter(packer).formParam(FORM_TOKEN, csrf(packer, link)).post(link + "/existing").then().statusCode(403)
                .body(containsString("Only an admin of " + supplier().name()));
        given().filter(merchantStaff()).get("/app/suppliers").then().body(not(containsString("Connected")));
        // the link still works for an admin
        given().filter(supplierStaff()).formParam(FORM_TOKEN, csrf(supplierStaff(), link)).post(link + "/existing")
                .then().statusCode(200).body(containsString("You are connected to " + merchant.name()));
    }

    @Test
    void expiredForgedUsedAndReplacedInvitationsAreRefused() throws Exception {
        String expired = inviteByForm("Slowpoke Ltd", email("slow"));
        clock.advance(Connections.INVITATION_VALID.plus(Duration.ofMinutes(1)));
        given().get(expired).then().statusCode(410).body(containsString("It has expired"));
        given().filter(supplierStaff()).formParam(FORM_TOKEN, csrf(supplierStaff(), "/app/orders"))
                .post(expired + "/existing").then().statusCode(410);
        given().filter(merchantStaff()).get("/app/suppliers").then().body(not(containsString("Connected")));

        // a new invitation replaces the expired one: the old link stays dead, the new one works once
        Matcher row = Pattern.compile("data-connection=\"([0-9]+)\"")
                .matcher(given().filter(merchantStaff()).get("/app/suppliers").asString());
        assertTrue(row.find(), "the supplier is listed");
        long id = Long.parseLong(row.group(1));
        postForm(merchantStaff(), "/app/suppliers", "/app/suppliers/" + id + "/reinvite").statusCode(303);
        Smtp.deliver(delivery, clock);
        MimeMessage[] mails = Smtp.mailsTo(smtp, email("slow"));
        String fresh = Smtp.supplierInvitationLink(mails[mails.length - 1]);
        given().get(expired).then().statusCode(404);
        given().get(fresh).then().statusCode(200);

        // the merchant cannot accept its own invitation: the page says why instead of offering a button
        given().filter(merchantStaff()).get(fresh).then().statusCode(200).body(containsString("id=\"cannot-accept\""))
                .body(containsString("Your organisation sent this"))
                .body(not(containsString("id=\"accept-existing\"")));
        given().filter(merchantStaff()).formParam(FORM_TOKEN, csrf(merchantStaff(), "/app/orders"))
                .post(fresh + "/existing").then().statusCode(422)
                .body(containsString("Your organisation sent this invitation"))
                .body(not(containsString("Organisation name:")));

        // forged: well-formed or not, the same neutral page, nothing accepted
        given().get("/app/connect/pc_" + "A".repeat(43)).then().statusCode(404);
        given().get("/app/connect/nonsense").then().statusCode(404);
        given().filter(supplierStaff()).formParam(FORM_TOKEN, csrf(supplierStaff(), "/app/orders"))
                .post("/app/connect/pc_" + "A".repeat(43) + "/existing").then().statusCode(404);

        given().filter(supplierStaff()).formParam(FORM_TOKEN, csrf(supplierStaff(), "/app/orders"))
                .post(fresh + "/existing").then().statusCode(200);
        String stored = catalogue.connection(id).inviteTokenHash;
        assertFalse(stored == null || fresh.contains(stored), "only a hash was stored, kept to say the link was used");
        // another organisation's admin with the used link: accepted already (the same button of the supplier that
        // accepted is its double click, shown the connection it made)
        Fixtures.Tenant stranger = fixtures.tenant("GB");
        CookieFilter strangerStaff = signIn(stranger.adminEmail(), Fixtures.PASSWORD);
        given().filter(strangerStaff).formParam(FORM_TOKEN, csrf(strangerStaff, "/app/orders"))
                .post(fresh + "/existing").then().statusCode(410).body(containsString("accepted already"));
    }

    private io.restassured.specification.RequestSpecification api(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    private void available(String sku, int quantity) {
        api(supplier().apiKey()).body(Map.of("availableOnHand", quantity)).put("/api/v1/inventory/" + sku).then()
                .statusCode(200);
    }

    @Test
    void disconnectingFromEitherSideStopsStockFlowing() {
        long id = catalogue.connect(merchant, supplier(), "Flow Supply");
        api(merchant.apiKey()).body(Map.of("sku", "MUG-1", "name", "Blue mug")).post("/api/v1/products").then()
                .statusCode(201);
        api(merchant.apiKey()).body(Map.of("supplier", "Flow Supply", "supplierSku", "S-MUG"))
                .put("/api/v1/products/MUG-1/dropship").then().statusCode(200).body("linked", equalTo(true));
        long supplierProduct = catalogue.linkedSupplierProduct(merchant.id(), "MUG-1");
        available("S-MUG", 5);
        assertEquals(1, catalogue.pending(supplierProduct).size(), "the change waits for the merchant's sync");

        // the supplier disconnects: the waiting change is dropped, and new ones do not flow
        postForm(supplierStaff(), "/app/merchants", "/app/merchants/" + id + "/disconnect").statusCode(303);
        given().filter(supplierStaff()).get("/app/merchants").then()
                .body(containsString("Disconnected by supplier: " + supplier().adminEmail()));
        // the merchant sees the supplier, never its staff
        given().filter(merchantStaff()).get("/app/suppliers").then()
                .body(containsString("Disconnected by Flow Supply (supplier)"))
                .body(not(containsString(supplier().adminEmail())));
        api(merchant.apiKey()).get("/api/v1/connections/suppliers").then().statusCode(200)
                .body(not(containsString(supplier().adminEmail())));
        assertEquals(0, catalogue.pending(supplierProduct).size());
        available("S-MUG", 6);
        assertEquals(0, catalogue.pending(supplierProduct).size(), "nothing flows after a disconnect");
        api(merchant.apiKey()).body(Map.of("supplier", "Flow Supply", "supplierSku", "S-MUG-2"))
                .put("/api/v1/products/MUG-1/dropship").then().statusCode(422)
                .body("errors[0].field", equalTo("supplier"));

        // the merchant reconnects: the same supplier accepts, and stock flows again
        var reinvited = api(merchant.apiKey()).post("/api/v1/connections/suppliers/" + id + "/reinvite").then()
                .statusCode(200).body("status", equalTo("INVITED"));
        assertFalse(reinvited.extract().asString().contains("pc_"), "the API never shows the invitation's token");
        String token = catalogue.invite(fixtures.tenant("GB"), "Unrelated", "x@unrelated.example"); // another's
        assertTrue(token.startsWith("pc_"));
        reconnect(id);
        assertEquals(1, catalogue.pending(supplierProduct).size(),
                "what changed while disconnected (6) reaches the merchant's next sync without another change");
        available("S-MUG", 7);
        assertEquals(1, catalogue.pending(supplierProduct).size());

        // the merchant disconnects
        postForm(merchantStaff(), "/app/suppliers", "/app/suppliers/" + id + "/disconnect").statusCode(303);
        given().filter(merchantStaff()).get("/app/suppliers").then()
                .body(containsString("Disconnected by merchant: " + merchant.adminEmail()));
        assertEquals(0, catalogue.pending(supplierProduct).size());
        available("S-MUG", 8);
        assertEquals(0, catalogue.pending(supplierProduct).size());
        assertEquals(DropshipConnection.Status.DISCONNECTED, catalogue.connection(id).status);
    }

    @Inject
    Connections connections;

    @Inject
    javax.sql.DataSource dataSource;

    /** Disconnecting twice is safe, also at the same moment from both sides: every answer is 204, none a conflict. */
    @Test
    void disconnectsAtTheSameMomentAreAll204() throws Exception {
        io.portlink.testing.Databases.assumePostgres(dataSource, "transactions racing on one row");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                Fixtures.Tenant other = fixtures.tenant("GB");
                long id = catalogue.connect(merchant, other, "Race Supply " + round);
                java.util.concurrent.Callable<Integer> bySupplier = () -> api(other.apiKey())
                        .post("/api/v1/connections/" + id + "/disconnect").statusCode();
                java.util.concurrent.Callable<Integer> byMerchant = () -> api(merchant.apiKey())
                        .post("/api/v1/connections/" + id + "/disconnect").statusCode();
                assertEquals(List.of(204, 204, 204, 204),
                        io.portlink.testing.Races.together(pool, bySupplier, byMerchant, bySupplier, byMerchant),
                        "round " + round);
                assertEquals(DropshipConnection.Status.DISCONNECTED, catalogue.connection(id).status);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reconnects through a new invitation the supplier accepts (its token read from the mail). */
    private void reconnect(long id) {
        Smtp.deliver(delivery, clock);
        MimeMessage[] mails = Smtp.mailsTo(smtp, "orders-" + supplier().id() + "@supplier.example");
        String token = Smtp.supplierInvitationLink(mails[mails.length - 1]).substring("/app/connect/".length());
        Fixtures.Tenant stranger = fixtures.tenant("GB");
        var refused = org.junit.jupiter.api.Assertions.assertThrows(io.portlink.platform.ValidationException.class,
                () -> connections.acceptExisting(token, stranger.id()));
        assertTrue(refused.getMessage().contains("This invitation reconnects"), refused.getMessage());
        assertEquals(id, connections.acceptExisting(token, supplier().id()).orElseThrow().id());
    }

    @Test
    void theMerchantSetsWhatPassesToTheSupplier() {
        long id = catalogue.connect(merchant, supplier(), "Settings Supply");
        assertFalse(catalogue.connection(id).passPrices, "off by default");
        assertFalse(catalogue.connection(id).passNotes, "off by default");
        postForm(merchantStaff(), "/app/suppliers", "/app/suppliers/" + id + "/settings", "passPrices", "yes")
                .statusCode(303);
        assertTrue(catalogue.connection(id).passPrices);
        assertFalse(catalogue.connection(id).passNotes);
        // the API's PUT is the whole setting: a flag left out is named, never read as false
        api(merchant.apiKey()).body(Map.of("passNotes", true)).put("/api/v1/connections/suppliers/" + id + "/settings")
                .then().statusCode(422).body("errors[0].field", equalTo("passPrices"));
        api(merchant.apiKey()).body("null").put("/api/v1/connections/suppliers/" + id + "/settings").then()
                .statusCode(422).body("errors.field", org.hamcrest.Matchers.contains("passPrices", "passNotes"));
        assertTrue(catalogue.connection(id).passPrices, "nothing changed");
        api(merchant.apiKey()).body(Map.of("passNotes", true, "passPrices", false))
                .put("/api/v1/connections/suppliers/" + id + "/settings").then().statusCode(200)
                .body("passNotes", equalTo(true)).body("passPrices", equalTo(false));
        // the supplier's side has no say in them
        postForm(supplierStaff(), "/app/suppliers", "/app/suppliers/" + id + "/settings", "passPrices", "yes")
                .statusCode(404);
        assertFalse(catalogue.connection(id).passPrices);
    }

    @Test
    void anotherOrganisationNeitherSeesNorChangesAConnection() {
        long id = catalogue.connect(merchant, supplier(), "Private Supply");
        Fixtures.Tenant other = fixtures.tenant("GB");
        CookieFilter otherStaff = signIn(other.adminEmail(), Fixtures.PASSWORD);

        given().filter(otherStaff).get("/app/suppliers").then().body(not(containsString("Private Supply")));
        given().filter(otherStaff).get("/app/merchants").then().body(not(containsString(merchant.name())));
        postForm(otherStaff, "/app/suppliers", "/app/suppliers/" + id + "/settings", "passPrices", "yes")
                .statusCode(404);
        postForm(otherStaff, "/app/suppliers", "/app/suppliers/" + id + "/disconnect").statusCode(404);
        postForm(otherStaff, "/app/suppliers", "/app/suppliers/" + id + "/reinvite").statusCode(404);
        postForm(otherStaff, "/app/merchants", "/app/merchants/" + id + "/disconnect").statusCode(404);

        api(other.apiKey()).post("/api/v1/connections/" + id + "/disconnect").then().statusCode(404);
        api(other.apiKey()).body(Map.of("passPrices", true, "passNotes", true))
                .put("/api/v1/connections/suppliers/" + id + "/settings").then().statusCode(404);
        api(other.apiKey()).get("/api/v1/connections/suppliers").then().statusCode(200)
                .body(not(containsString("Private Supply")));
        api(other.apiKey()).get("/api/v1/connections/merchants").then().statusCode(200)
                .body(not(containsString(merchant.name())));
        api(other.apiKey()).body(Map.of("supplier", String.valueOf(id), "supplierSku", "X"))
                .put("/api/v1/products/ANY/dropship").then().statusCode(404);

        var stored = catalogue.connection(id);
        assertEquals(DropshipConnection.Status.ACTIVE, stored.status);
        assertFalse(stored.passPrices);
        api(merchant.apiKey()).get("/api/v1/connections/suppliers").then().body(containsString("Private Supply"));
        api(supplier().apiKey()).get("/api/v1/connections/merchants").then().body(containsString(merchant.name()));
    }
}
