package io.portlink.staff;

import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.shipment.NoteScope;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentPhotos;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Smtp;
import io.portlink.testing.StaffClient;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.ValidatableResponse;

/**
 * The tracking-link sheet of the shipment page as staff use it over HTTP with real form tokens: create (shown once),
 * share by e-mail through the outbox and GreenMail in the customer's language, options and photo picker, expiry, revoke
 * and regenerate behind their confirmation steps, the "link for every new shipment" setting, and the list's
 * tracking-link filters.
 */
@QuarkusTest
class StaffTrackingLinkTest {

    private static final Pattern URL = Pattern.compile(Pattern.quote(Fixtures.BASE_URL) + "(/t/pt_[A-Za-z0-9_-]{43})");
    private static final Pattern HELD_TOKEN = Pattern.compile("name=\"token\" value=\"(pt_[A-Za-z0-9_-]{43})\"");

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentPhotos photos;

    @Inject
    TrackingLinks trackingLinks;

    @Inject
    OutboxDelivery delivery;

    @Inject
    TestClock clock;

    @Inject
    javax.sql.DataSource dataSource;

    @Inject
    io.portlink.organization.StaffAccounts accounts;

    @Inject
    io.portlink.shipment.MilestoneRules rules;

    Fixtures.Tenant tenant;
    CookieFilter staff;

    @BeforeEach
    void signedIn() {
        tenant = fixtures.tenant("GB");
        staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
    }

    private ValidatableResponse post(String path, Object... fields) {
        return StaffClient.postForm(staff, "/app/shipments", path, fields);
    }

    private long shipment(String reference, String email, String language) {
        return shipments.create(tenant.id(),
                new ShipmentInput(reference, "2019 Toyota Land Cruiser 300",
                        new ShipmentInput.CustomerInput("Jonas Weber", email, "+49 30 901820", language), "Yokohama",
                        "Hamburg", null),
                ShipmentActor.system()).id();
    }

    private String page(long id) {
        return given().filter(staff).get("/app/shipments/" + id).then().statusCode(200).extract().asString();
    }

    private static String path(String page) {
        Matcher m = URL.matcher(page);
        assertTrue(m.find(), "the page shows the link's URL");
        return m.group(1);
    }

    /**
     * A "Shipment created" rule makes the link for its mail: the staff form's answer shows that link's address once;
     * afterwards the page says where it was shown and how to get a new one, and never shows it again.
     */
    @Test
    void aLinkAShipmentCreatedRuleMadeIsShownOnceByTheCreateAndThenExplained() {
        rules.create(tenant.id(), new io.portlink.shipment.MilestoneRules.RuleInput("CREATED", null, true, null));
        String reference = Fixtures.uniqueReference();
        String created = StaffClient.postForm(staff, "/app/shipments/new", "/app/shipments", "reference", reference,
                "title", "Land Cruiser", "customerName", "Jonas Weber", "customerEmail", "jonas@example.de",
                "customerLanguage", "de").statusCode(201).extract().asString();
        String link = path(created);
        given().header("User-Agent", PortalClient.BROWSER).get(link).then().statusCode(200);
        long id = shipments.idOf(tenant.id(), reference).orElseThrow();
        String again = page(id);
        assertFalse(URL.matcher(again).find(), "the address is shown once");
        assertTrue(again.contains("id=\"link-address-note\""), again);
        assertTrue(again.contains("Regenerate"));
        // the same person clicking "Create tracking link" at once: that link was shown and mailed, so it stays
        post("/app/shipments/" + id + "/tracking-link").statusCode(409);
        given().header("User-Agent", PortalClient.BROWSER).get(link).then().statusCode(200);
    }

    /**
     * A double click on "Create tracking link" on PostgreSQL with real threads: both posts answer with an address, and
     * exactly one of the two works (the later answer, the one the browser shows; the other was never seen).
     */
    @Test
    void aDoubleClickOnCreateLeavesOneOfTheShownAddressesWorking() throws Exception {
        io.portlink.testing.Databases.assumePostgres(dataSource, "two transactions racing on one row");
        long id = shipment(Fixtures.uniqueReference(), "jonas@example.de", "en");
        String page = "/app/shipments/" + id;
        String token = csrf(staff, page);
        java.util.concurrent.Callable<io.restassured.response.Response> click = () -> given().filter(staff).redirects()
                .follow(false).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam(StaffClient.FORM_TOKEN, token).post(page + "/tracking-link");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var answers = io.portlink.testing.Races.together(pool, click, click);
            assertEquals(java.util.List.of(201, 201),
                    answers.stream().map(io.restassured.response.Response::statusCode).toList());
            long working = answers.stream().map(a -> path(a.asString()))
                    .filter(link -> given().header("User-Agent", PortalClient.BROWSER).get(link).statusCode() == 200)
                    .count();
            assertEquals(1, working, "one active link, and it is one of the two shown");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A double click on "Create tracking link": the browser shows only the second answer, so the first link's address
     * was never seen; the second click replaces it and says so. Another person's click, or one a minute later, is a
     * 409.
     */
    @Test
    void aSecondClickOfCreateWithinTheMinuteReplacesTheUnseenFirstLink() {
        long id = shipment(Fixtures.uniqueReference(), "jonas@example.de", "en");
        String first = path(post("/app/shipments/" + id + "/tracking-link").statusCode(201).extract().asString());
        String again = post("/app/shipments/" + id + "/tracking-link").statusCode(201).extract().asString();
        assertTrue(again.contains("replaced by this one"), again);
        String second = path(again);
        assertFalse(first.equals(second));
        given().header("User-Agent", PortalClient.BROWSER).get(first).then().statusCode(410);
        given().header("User-Agent", PortalClient.BROWSER).get(second).then().statusCode(200);
        assertTrue(page(id).contains("a second click of Create tracking link"), "the timeline says what happened");

        String clerk = "clerk-" + tenant.id() + "@buyer.example";
        accounts.add(tenant.id(), clerk, null, Fixtures.PASSWORD, io.portlink.organization.StaffUser.Role.STAFF);
        StaffClient.postForm(signIn(clerk, Fixtures.PASSWORD), "/app/shipments/" + id,
                "/app/shipments/" + id + "/tracking-link").statusCode(409);
        clock.advance(java.time.Duration.ofSeconds(61));
        post("/app/shipments/" + id + "/tracking-link").statusCode(409);
        given().header("User-Agent", PortalClient.BROWSER).get(second).then().statusCode(200);
    }

    @Test
    void createdLinkIsShownOnceWithEveryWayToShareItAndWorks() {
        long id = shipment("TL-1", "jonas@example.de", "de");
        String before = page(id);
        assertTrue(before.contains("id=\"no-link\""));
        assertTrue(before.contains("id=\"create-link\""));

        String created = post("/app/shipments/" + id + "/tracking-link", "expiresDate", "", "expiresTime", "")
                .statusCode(201).extract().asString();
        String link = path(created);
        assertTrue(created.contains("shown only now"));
        assertTrue(created.contains("data-copy=\"" + Fixtures.BASE_URL + link + "\""), "copy");
        assertTrue(created.contains("https://wa.me/4930901820?text="), "WhatsApp to the customer's number");
        assertTrue(created.contains("sms:+4930901820"), "SMS");
        assertTrue(created.contains("<svg"), "QR code");
        assertTrue(created.contains("id=\"mail-link\""), "e-mail to the customer");
        // the prefilled message is in the customer's language
        assertTrue(created.contains("Verfolgen%20Sie%20Ihre%20Sendung"), created);

        // the URL works, and is never shown again
        given().header("User-Agent", PortalClient.BROWSER).get(link).then().statusCode(200)
                .body(containsString("2019 Toyota Land Cruiser 300"));
        String again = page(id);
        assertFalse(again.contains(link.substring(3)), "the token is shown once");
        assertTrue(again.contains("id=\"link-state\""));
        String hint = trackingLinks.sheet(tenant.id(), id).orElseThrow().link().tokenHint();
        assertTrue(link.substring(3).startsWith(hint.replace("…", "")) && again.contains(">" + hint + "<"),
                "the hint only");

        // a second create while one is active (past the minute in which a second click replaces its twin): 409
        clock.advance(java.time.Duration.ofSeconds(61));
        long linkId = trackingLinks.sheet(tenant.id(), id).orElseThrow().link().id();
        post("/app/shipments/" + id + "/tracking-link").statusCode(409).body(containsString("active"));
        assertEquals(linkId, trackingLinks.sheet(tenant.id(), id).orElseThrow().link().id());
        given().header("User-Agent", PortalClient.BROWSER).get(link).then().statusCode(200);
    }

    @Test
    void opensByPeopleAndMachinesAreShown() {
        long id = shipment("TL-2", "jonas@example.de", "en");
        String link = path(post("/app/shipments/" + id + "/tracking-link").statusCode(201).extract().asString());
        given().header("User-Agent", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)").get(link).then()
                .statusCode(200);
        assertTrue(page(id).contains("id=\"person-opens\"><span class=\"muted\">not yet</span>"));
        String shown = given().header("User-Agent", PortalClient.BROWSER).get(link).then().statusCode(200).extract()
                .asString();
        Matcher css = Pattern.compile("href=\"(/t/[^\"]+/seen/[^\"]+\\.css)\"").matcher(shown);
        assertTrue(css.find(), "the page's own stylesheet");
        given().header("User-Agent", PortalClient.BROWSER).header("Sec-Fetch-Dest", "style").get(css.group(1)).then()
                .statusCode(200);
        String after = page(id);
        assertTrue(after.contains("id=\"person-opens\">1 time "), after);
        assertTrue(after.contains("id=\"bot-opens\">1 "), "the bot fetch counted apart");
    }

    @Test
    void theMailGoesThroughTheOutboxInTheCustomersLanguageWithAWorkingUrlAndNoInternalValue() throws Exception {
        GreenMail smtp = Smtp.fresh();
        String email = "kunde-" + System.nanoTime() + "@example.de";
        String[] canaries = { "CANARY-STOCK-7f3a", "CANARY-VIN-91bc", "CANARY-NOTES-2d4e", "CANARY-INTERNAL-NOTE-55aa",
                "98765.4321", "13579.2468", "24680.1357" };
        long id = shipments.create(tenant.id(),
                new ShipmentInput("TL-3", "Land Cruiser <b>white</b> & co",
                        new ShipmentInput.CustomerInput("Jonas Weber", email, null, "de"), "Yokohama", "Hamburg",
                        new ShipmentInput.InternalInput(canaries[0], canaries[1], "EUR", canaries[4], canaries[5],
                                canaries[6], canaries[2])),
                ShipmentActor.system()).id();
        shipments.addNote(tenant.id(), id, NoteScope.INTERNAL, canaries[3], ShipmentActor.system());
        shipments.addNote(tenant.id(), id, NoteScope.CUSTOMER, "Ihr Auto ist auf dem Schiff.", ShipmentActor.system());

        String created = post("/app/shipments/" + id + "/tracking-link").statusCode(201).extract().asString();
        String link = path(created);
        Matcher held = HELD_TOKEN.matcher(created);
        assertTrue(held.find());
        String mailed = post("/app/shipments/" + id + "/tracking-link/mail", "token", held.group(1)).statusCode(200)
                .extract().asString();
        assertTrue(mailed.contains("queued for e-mail to " + email), mailed);
        assertTrue(mailed.contains(Fixtures.BASE_URL + link), "the link is still shown for the other ways to share");
        // a reload of that form does not mail the customer twice
        post("/app/shipments/" + id + "/tracking-link/mail", "token", held.group(1)).statusCode(200)
                .body(containsString("not queued again"));
        // a token of no link of this shipment sends nothing
        post("/app/shipments/" + id + "/tracking-link/mail", "token", "pt_" + "A".repeat(43)).statusCode(409)
                .body(containsString("nothing was sent"));

        Smtp.deliver(delivery, clock);
        MimeMessage[] mails = Smtp.mailsTo(smtp, email);
        assertEquals(1, mails.length);
        MimeMessage mail = mails[0];
        String subject = mail.getSubject();
        assertTrue(subject.startsWith("Verfolgen Sie Ihre Sendung: Land Cruiser"), subject);
        List<String> bodies = new ArrayList<>();
        texts(mail, bodies);
        assertEquals(2, bodies.size(), "text and HTML");
        assertTrue(bodies.get(0).contains("„Land Cruiser <b>white</b> & co“"),
                "the text body as written: " + bodies.get(0));
        assertTrue(bodies.get(1).contains("Land Cruiser &lt;b&gt;white&lt;/b&gt; &amp; co"), "the HTML body escaped");
        for (String body : bodies) {
            assertTrue(body.contains("Hallo Jonas Weber"), body);
            assertTrue(body.contains(Fixtures.BASE_URL + link), "carries the URL");
        }
        // the mail's URL opens the customer's page
        given().header("User-Agent", PortalClient.BROWSER).get(link).then().statusCode(200)
                .body(containsString("Land Cruiser"));
        // the canary: no internal field or internal note in the subject, the bodies or any header
        StringBuilder everything = new StringBuilder(subject);
        bodies.forEach(everything::append);
        var headers = mail.getAllHeaderLines();
        while (headers.hasMoreElements()) {
            everything.append(headers.nextElement()).append('\n');
        }
        for (String canary : canaries) {
            assertFalse(everything.toString().contains(canary), "the customer mail holds " + canary);
            assertFalse(everything.toString().contains(canary.replace('.', ',')), canary);
        }
        // the timeline tells staff
        String after = page(id);
        assertTrue(after.contains("Tracking link e-mail queued"));
        assertTrue(after.contains("Tracking link e-mailed"));
    }

    @Test
    void aCustomerWithoutEmailIsRefusedWithWhatToDoAndTheLinkStaysShown() {
        long id = shipment("TL-4", null, "en");
        String created = post("/app/shipments/" + id + "/tracking-link").statusCode(201).extract().asString();
        Matcher held = HELD_TOKEN.matcher(created);
        assertTrue(held.find());
        String refused = post("/app/shipments/" + id + "/tracking-link/mail", "token", held.group(1)).statusCode(422)
                .extract().asString();
        assertTrue(refused.contains("Customer email: the customer has no e-mail address"), refused);
        assertTrue(refused.contains(held.group(1)), "the link is still there to share another way");
    }

    @Test
    void optionsAndThePhotoPickerWithoutJavaScriptAndTheirErrors() {
        long id = shipment("TL-5", "jonas@example.de", "en");
        long a = photos.add(tenant.id(), id, Images.of("png", 8, 8), "a.png", ShipmentActor.system()).orElseThrow()
                .photo().id();
        long b = photos.add(tenant.id(), id, Images.of("png", 9, 9), "b.png", ShipmentActor.system()).orElseThrow()
                .photo().id();
        long c = photos.add(tenant.id(), id, Images.of("png", 7, 7), "c.png", ShipmentActor.system()).orElseThrow()
                .photo().id();
        // no link yet: options cannot be saved
        post("/app/shipments/" + id + "/tracking-link/options", "showProgress", "yes").statusCode(409)
                .body(containsString("create one first"));
        post("/app/shipments/" + id + "/tracking-link").statusCode(201);
        String sheet = page(id);
        assertTrue(sheet.contains("data-pick-id=\"" + a + "\""));
        // c first, then a; b not shown; hero photo and notes off
        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, "/app/shipments"))
                .formParam("showEstimatedArrival", "yes").formParam("showProgress", "yes").formParam("photo", a)
                .formParam("position", "2").formParam("photo", b).formParam("position", "").formParam("photo", c)
                .formParam("position", "1").formParam("pick", a).formParam("pick", c)
                .post("/app/shipments/" + id + "/tracking-link/options").then().statusCode(303);
        var saved = trackingLinks.sheet(tenant.id(), id).orElseThrow();
        assertEquals(List.of(c, a), saved.pickedPhotoIds());
        assertEquals(new TrackingLinks.Options(false, true, true, false), saved.options());
        String drawn = page(id);
        assertTrue(drawn.contains("The tracking page shows"));
        assertFalse(drawn.contains("name=\"showHeroPhoto\" value=\"yes\" checked"));
        assertTrue(drawn.contains("name=\"showProgress\" value=\"yes\" checked"));

        // a place that is no number: 422 naming it, what was typed kept, nothing saved
        String refused = given().filter(staff).redirects().follow(false)
                .formParam("form-token", csrf(staff, "/app/shipments")).formParam("showHeroPhoto", "yes")
                .formParam("photo", a).formParam("position", "first").formParam("photo", b).formParam("position", "")
                .formParam("photo", c).formParam("position", "").formParam("pick", a).formParam("pick", b)
                .post("/app/shipments/" + id + "/tracking-link/options").then().statusCode(422).extract().asString();
        assertTrue(refused.contains("must be a whole number like 1, 2 or 3"), refused);
        assertTrue(refused.contains("value=\"first\""), "the typed place is kept");
        assertTrue(refused.contains("name=\"showHeroPhoto\" value=\"yes\" checked"), "the typed option is kept");
        assertTrue(refused.contains("name=\"pick\" value=\"" + b + "\" checked"), "the typed pick is kept");
        assertEquals(List.of(c, a), trackingLinks.sheet(tenant.id(), id).orElseThrow().pickedPhotoIds());

        // another shipment's photo id in a hand-made form: named, nothing saved
        long other = shipment("TL-5b", null, "en");
        long theirs = photos.add(tenant.id(), other, Images.of("png", 5, 5), "x.png", ShipmentActor.system())
                .orElseThrow().photo().id();
        post("/app/shipments/" + id + "/tracking-link/options", "pick", theirs).statusCode(422)
                .body(containsString("is no photo of the shipment TL-5"));
        assertEquals(List.of(c, a), trackingLinks.sheet(tenant.id(), id).orElseThrow().pickedPhotoIds());
    }

    @Test
    void expiryInTheOrganisationsZoneAndItsErrors() {
        long id = shipment("TL-6", null, "en");
        // an expiry typed wrong at create keeps what was typed and makes no link
        String refused = post("/app/shipments/" + id + "/tracking-link", "expiresDate", "31/01/2099", "expiresTime",
                "25:00").statusCode(422).extract().asString();
        assertTrue(refused.contains("the date must be written YYYY-MM-DD"), refused);
        assertTrue(refused.contains("the time must be written HH:MM"));
        assertTrue(refused.contains("value=\"31/01/2099\""));
        assertNull(trackingLinks.sheet(tenant.id(), id).orElseThrow().link());
        post("/app/shipments/" + id + "/tracking-link", "expiresDate", "2020-01-01", "expiresTime", "10:00")
                .statusCode(422).body(containsString("must be in the future"));

        post("/app/shipments/" + id + "/tracking-link", "expiresDate", "2099-06-30", "expiresTime", "18:30")
                .statusCode(201);
        Instant expected = java.time.LocalDateTime.of(2099, 6, 30, 18, 30).atZone(ZoneId.of("Europe/London"))
                .toInstant();
        assertEquals(expected, trackingLinks.sheet(tenant.id(), id).orElseThrow().link().expiresAt());
        post("/app/shipments/" + id + "/tracking-link/expiry", "expiresDate", "2099-07-01", "expiresTime", "")
                .statusCode(303);
        assertEquals(java.time.LocalDateTime.of(2099, 7, 1, 23, 59).atZone(ZoneId.of("Europe/London")).toInstant(),
                trackingLinks.sheet(tenant.id(), id).orElseThrow().link().expiresAt());
        assertTrue(page(id).contains("value=\"2099-07-01\""));
        post("/app/shipments/" + id + "/tracking-link/expiry", "expiresDate", "", "expiresTime", "").statusCode(303);
        assertNull(trackingLinks.sheet(tenant.id(), id).orElseThrow().link().expiresAt());
    }

    @Test
    void revokeAndRegenerateEachAskFirst() {
        long id = shipment("TL-7", null, "en");
        String first = path(post("/app/shipments/" + id + "/tracking-link").statusCode(201).extract().asString());
        // the confirmation pages change nothing
        given().filter(staff).get("/app/shipments/" + id + "/tracking-link/regenerate").then().statusCode(200)
                .body(containsString("Regenerate the link")).body(containsString("Keep the current link"));
        given().filter(staff).get("/app/shipments/" + id + "/tracking-link/revoke").then().statusCode(200)
                .body(containsString("Revoke the link"));
        given().header("User-Agent", PortalClient.BROWSER).get(first).then().statusCode(200);

        String regenerated = post("/app/shipments/" + id + "/tracking-link/regenerate").statusCode(201).extract()
                .asString();
        String second = path(regenerated);
        assertFalse(first.equals(second));
        assertTrue(regenerated.contains("The old tracking link no longer works"));
        given().header("User-Agent", PortalClient.BROWSER).get(first).then().statusCode(410);
        given().header("User-Agent", PortalClient.BROWSER).get(second).then().statusCode(200);

        post("/app/shipments/" + id + "/tracking-link/revoke").statusCode(303).header("Location",
                containsString("done=link-revoked"));
        given().header("User-Agent", PortalClient.BROWSER).get(second).then().statusCode(410);
        String after = given().filter(staff).get("/app/shipments/" + id + "?done=link-revoked").then().statusCode(200)
                .extract().asString();
        assertTrue(after.contains("stopped working at once"));
        assertTrue(after.contains("id=\"link-ended\""), after);
        assertTrue(after.contains("was revoked"), after);
        assertFalse(after.contains("id=\"no-link\""));
        post("/app/shipments/" + id + "/tracking-link/revoke").statusCode(409);
    }

    @Test
    void everyFormNeedsItsFormToken() {
        long id = shipment("TL-8", null, "en");
        for (String action : new String[] { "", "/revoke", "/regenerate", "/expiry", "/options", "/mail" }) {
            given().filter(staff).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .formParam("token", "pt_x").post("/app/shipments/" + id + "/tracking-link" + action).then()
                    .statusCode(403);
        }
        assertNull(trackingLinks.sheet(tenant.id(), id).orElseThrow().link());
        given().filter(staff).redirects().follow(false).formParam("on", "yes")
                .post("/app/admin/pipelines/tracking-link-for-new").then().statusCode(403);
        assertFalse(trackingLinks.linkForEveryNewShipment(tenant.id()));
    }

    @Test
    void anotherOrganisationsShipmentIsNotFound() {
        var other = fixtures.tenant("GB");
        long theirs = shipments.create(other.id(), new ShipmentInput("THEIRS-TL", "Their load", null, null, null, null),
                ShipmentActor.system()).id();
        trackingLinks.create(other.id(), theirs, null, ShipmentActor.system());
        for (String action : new String[] { "", "/revoke", "/regenerate", "/expiry", "/options", "/mail" }) {
            post("/app/shipments/" + theirs + "/tracking-link" + action, "token", "pt_" + "A".repeat(43))
                    .statusCode(404);
        }
        given().filter(staff).get("/app/shipments/" + theirs + "/tracking-link/revoke").then().statusCode(404);
        assertNotNull(trackingLinks.sheet(other.id(), theirs).orElseThrow().link());
    }

    @Test
    void theSettingCreatesALinkWithEveryNewShipmentShownOnce() {
        String settings = given().filter(staff).get("/app/admin/pipelines").then().statusCode(200).extract().asString();
        assertTrue(settings.contains("Create a tracking link for every new shipment"));
        assertFalse(settings.contains("id=\"tracking-link-for-new\" checked"));
        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, "/app/admin/pipelines"))
                .formParam("on", "yes").post("/app/admin/pipelines/tracking-link-for-new").then().statusCode(303);
        assertTrue(trackingLinks.linkForEveryNewShipment(tenant.id()));
        assertTrue(given().filter(staff).get("/app/admin/pipelines").asString()
                .contains("id=\"tracking-link-for-new\" checked"));

        String created = post("/app/shipments", "reference", "AUTO-1", "title", "Auto load", "customerName", "Ann")
                .statusCode(201).extract().asString();
        assertTrue(created.contains("The shipment is created."));
        String link = path(created);
        given().header("User-Agent", PortalClient.BROWSER).get(link).then().statusCode(200)
                .body(containsString("Auto load"));
        long id = shipments.idOf(tenant.id(), "AUTO-1").orElseThrow();
        assertFalse(page(id).contains(link.substring(3)), "shown once");

        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, "/app/admin/pipelines"))
                .post("/app/admin/pipelines/tracking-link-for-new").then().statusCode(303);
        assertFalse(trackingLinks.linkForEveryNewShipment(tenant.id()));
        post("/app/shipments", "reference", "AUTO-2", "title", "Manual load").statusCode(303);
    }

    @Test
    void theListFiltersNoLinkYetAndNeverOpened() {
        long none = shipment("F-NONE", null, "en");
        long unopened = shipment("F-UNOPENED", null, "en");
        long opened = shipment("F-OPENED", null, "en");
        long revoked = shipment("F-REVOKED", null, "en");
        trackingLinks.create(tenant.id(), unopened, null, ShipmentActor.system());
        String link = trackingLinks.create(tenant.id(), opened, null, ShipmentActor.system()).orElseThrow().url();
        trackingLinks.create(tenant.id(), revoked, null, ShipmentActor.system());
        trackingLinks.revoke(tenant.id(), revoked, ShipmentActor.system());
        String path = link.substring(link.indexOf("/t/"));
        // a bot's fetch is no open; a person's is
        given().header("User-Agent", "Slackbot-LinkExpanding 1.0").get(path).then().statusCode(200);
        String shown = given().header("User-Agent", PortalClient.BROWSER).get(path).asString();
        Matcher css = Pattern.compile("href=\"(/t/[^\"]+/seen/[^\"]+\\.css)\"").matcher(shown);
        assertTrue(css.find());
        given().header("User-Agent", PortalClient.BROWSER).header("Sec-Fetch-Dest", "style").get(css.group(1));

        // every row says where its link stands
        String all = given().filter(staff).get("/app/shipments").then().statusCode(200).extract().asString();
        assertTrue(all.matches(
                "(?s).*data-reference=\"F-OPENED\".*?<td class=\"link-state\" data-label=\"Tracking link\">opened</td>.*"),
                all);
        assertTrue(all.matches(
                "(?s).*data-reference=\"F-UNOPENED\".*?<td class=\"link-state\" data-label=\"Tracking link\"><span class=\"muted\">Never opened</span>.*"));
        assertTrue(all.matches(
                "(?s).*data-reference=\"F-REVOKED\".*?<td class=\"link-state\" data-label=\"Tracking link\"><span class=\"muted\">No link yet</span>.*"));

        String noLink = given().filter(staff).get("/app/shipments?link=NO_LINK").then().statusCode(200).extract()
                .asString();
        assertEquals(List.of("F-REVOKED", "F-NONE"), references(noLink));
        String neverOpened = given().filter(staff).get("/app/shipments?link=never_opened").then().statusCode(200)
                .extract().asString();
        assertEquals(List.of("F-UNOPENED"), references(neverOpened));
        assertTrue(neverOpened.contains("<option value=\"NEVER_OPENED\" selected>"));
        // combined with the search and paged, the filter stays in the page links
        given().filter(staff).get("/app/shipments?link=NO_LINK&q=f-none").then().statusCode(200)
                .body(containsString("1 shipment · times in "));
        given().filter(staff).get("/app/shipments?link=NEVER_OPENED&q=f-none").then().statusCode(200)
                .body(containsString("with the tracking-link filter \"Never opened\""));
        for (int i = 0; i < 51; i++) {
            shipments.create(tenant.id(), new ShipmentInput("P-" + i, "Load", null, null, null, null),
                    ShipmentActor.system());
        }
        String first = given().filter(staff).get("/app/shipments?link=NO_LINK").then().statusCode(200).extract()
                .asString();
        assertTrue(first.contains("53 shipments"));
        assertTrue(first.contains("link=NO_LINK&amp;page=1") || first.contains("link=NO_LINK&page=1"), "paged");
        // a value the filter does not offer is refused, naming it, rather than shown as the whole list
        given().filter(staff).get("/app/shipments?link=bogus").then().statusCode(400)
                .body(containsString("must be one of NO_LINK, NEVER_OPENED"))
                .body(not(containsString("data-reference=")));
    }

    private static List<String> references(String page) {
        List<String> refs = new ArrayList<>();
        Matcher m = Pattern.compile("<tr data-reference=\"([^\"]+)\"").matcher(page);
        while (m.find()) {
            refs.add(m.group(1));
        }
        return refs;
    }

    /** Every text part of a mail, decoded. */
    private static void texts(Part part, List<String> out) throws Exception {
        if (part.isMimeType("text/*")) {
            out.add((String) part.getContent());
        } else if (part.isMimeType("multipart/*")) {
            Multipart multi = (Multipart) part.getContent();
            for (int i = 0; i < multi.getCount(); i++) {
                texts(multi.getBodyPart(i), out);
            }
        }
    }
}
