package io.portlink.portal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.link.AccessLink;
import io.portlink.organization.Logos;
import io.portlink.organization.Organization;
import io.portlink.shipment.NoteScope;
import io.portlink.shipment.Pipelines;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentPhotos;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.PortalClient;
import io.portlink.testing.RawHttp;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The customer's tracking page {@code /t/{token}} over HTTP (H2 and PostgreSQL). */
@QuarkusTest
class TrackingPortalTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Pipelines pipelines;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentPhotos photos;

    @Inject
    TrackingLinks tracking;

    @Inject
    Timeline timeline;

    @Inject
    Logos logos;

    @Inject
    TestClock clock;

    final ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        tenant = fixtures.tenant("DE");
    }

    static ShipmentInput input(String reference, String title, String language) {
        return new ShipmentInput(reference, title,
                new ShipmentInput.CustomerInput("Jane Doe", "jane@customer.example", "+49 30 1234567", language),
                "Yokohama port", "Hauptstraße 1\nBerlin", null);
    }

    /** A shipment in transit with an ETA, a customer note, an internal note, a hero and two gallery photos. */
    record Setup(long shipment, long hero, long a, long b, String link) {
    }

    private Setup setup(String language) {
        long id = shipments
                .create(tenant.id(), input(Fixtures.uniqueReference(), "2019 Toyota Land Cruiser 300", language), anna)
                .id();
        shipments.changeStage(tenant.id(), id, "In transit", anna);
        shipments.setEstimatedArrival(tenant.id(), id, LocalDate.parse("2026-12-24"), anna);
        shipments.addNote(tenant.id(), id, NoteScope.CUSTOMER, "Loaded onto the vessel today", anna);
        shipments.addNote(tenant.id(), id, NoteScope.INTERNAL, "Staff only: check the invoice", anna);
        long hero = photos.add(tenant.id(), id, Images.of("png", 64, 48), "hero.png", anna).orElseThrow().photo().id();
        long a = photos.add(tenant.id(), id, Images.of("png", 32, 32), "a.png", anna).orElseThrow().photo().id();
        long b = photos.add(tenant.id(), id, Images.of("jpeg", 40, 20), "b.jpg", anna).orElseThrow().photo().id();
        photos.setHero(tenant.id(), id, hero, anna);
        String url = tracking.create(tenant.id(), id, null, anna).orElseThrow().url();
        return new Setup(id, hero, a, b, url.substring(url.indexOf("/t/")));
    }

    private static Response get(String path) {
        return given().header("User-Agent", PortalClient.BROWSER).redirects().follow(false).get(path);
    }

    @Inject
    io.portlink.link.OpenCounts openCounts;

    /** The link's row, once the repeat opens counted in memory are written. */
    private AccessLink link(String path) {
        openCounts.flush();
        String token = path.substring(path.lastIndexOf('/') + 1);
        return QuarkusTransaction.requiringNew().call(() -> AccessLink
                .<AccessLink> find("tokenHash", io.portlink.platform.Tokens.sha256(token)).firstResult());
    }

    private byte[] stored(long photoId) {
        return photos.content(tenant.id(), shipmentOf(photoId), photoId).orElseThrow().bytes();
    }

    private long shipmentOf(long photoId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> io.portlink.shipment.ShipmentPhoto.<io.portlink.shipment.ShipmentPhoto> findById(
                        photoId).shipment.id);
    }

    @Test
    void theOptionsChangeWhatTheSameUrlShows() {
        Setup s = setup("en");
        String page = get(s.link()).then().statusCode(200).extract().asString();
        assertTrue(page.contains("2019 Toyota Land Cruiser 300"));
        assertTrue(page.contains(tenant.name()));
        assertTrue(page.contains("id=\"tracker\""));
        assertTrue(page.contains("aria-current=\"step\""));
        assertTrue(page.contains("id=\"eta\""));
        assertTrue(page.contains("Loaded onto the vessel today"));
        assertTrue(page.contains(s.link() + "/hero"));
        assertFalse(page.contains("id=\"photos\"")); // nothing picked yet
        assertArrayEquals(stored(s.hero()), get(s.link() + "/hero").then().statusCode(200).extract().asByteArray());
        get(s.link() + "/photos/1").then().statusCode(404);

        assertTrue(tracking.setOptions(tenant.id(), s.shipment(), new TrackingLinks.Options(false, false, false, false),
                List.of(s.b(), s.a()), anna));
        page = get(s.link()).then().statusCode(200).extract().asString();
        assertTrue(page.contains("2019 Toyota Land Cruiser 300"));
        assertFalse(page.contains("id=\"tracker\""));
        assertFalse(page.contains("id=\"stage\""));
        assertFalse(page.contains("id=\"eta\""));
        assertFalse(page.contains("Loaded onto the vessel today"));
        assertFalse(page.contains("/hero"));
        assertTrue(page.contains(s.link() + "/photos/1"));
        assertTrue(page.contains(s.link() + "/photos/2"));
        get(s.link() + "/hero").then().statusCode(404);
        Response first = get(s.link() + "/photos/1");
        first.then().statusCode(200).contentType("image/jpeg");
        assertArrayEquals(stored(s.b()), first.asByteArray());
        assertArrayEquals(stored(s.a()), get(s.link() + "/photos/2").then().statusCode(200).extract().asByteArray());
        // the third photo (the hero) was not picked: not reachable through the token
        get(s.link() + "/photos/3").then().statusCode(404);
        get(s.link() + "/photos/0").then().statusCode(404);

        // a removed photo leaves the picks at once
        photos.remove(tenant.id(), s.shipment(), s.b(), anna);
        assertArrayEquals(stored(s.a()), get(s.link() + "/photos/1").then().statusCode(200).extract().asByteArray());
        get(s.link() + "/photos/2").then().statusCode(404);
    }

    @Test
    void linkPageHeadersAndNoThirdPartyRequest() {
        Setup s = setup("en");
        logos.upload(tenant.id(), Images.of("png", 50, 20));
        Response r = get(s.link());
        r.then().statusCode(200).header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY").header("X-Robots-Tag", "noindex, nofollow")
                .header("Content-Security-Policy", containsString("default-src 'self'"));
        String page = r.asString();
        assertFalse(page.contains("<script"));
        Matcher urls = Pattern.compile("(?:src|href|action)=\"([^\"]*)\"").matcher(page);
        int count = 0;
        while (urls.find()) {
            count++;
            assertTrue(urls.group(1).startsWith("/"), urls.group(1));
            assertFalse(urls.group(1).startsWith("//"), urls.group(1));
        }
        assertTrue(count >= 4);
        assertTrue(page.contains(s.link() + "/logo"));
        get(s.link() + "/logo").then().statusCode(200).contentType("image/png").header("Cache-Control", "no-store");
        get(s.link() + "/hero").then().statusCode(200).header("Cache-Control", "no-store").header("Content-Disposition",
                "inline; filename=\"photo.png\"");
    }

    /**
     * A pipeline in the organisation's own words is shown as written, never half translated; the freight default is
     * said in the customer's language; the last stage reached is shown as done, not in progress.
     */
    @Test
    void stageNamesAreNeverHalfTranslatedAndTheLastStageIsDone() {
        var vehicle = pipelines.create(tenant.id(), "Vehicle import", List.of(
                new Pipelines.StageInput("Purchased", "BOOKED"), new Pipelines.StageInput("On vessel", "IN_TRANSIT"),
                new Pipelines.StageInput("Arrived", "ARRIVED"), new Pipelines.StageInput("Delivered", "DELIVERED")));
        pipelines.setDefault(tenant.id(), vehicle.id());
        long id = shipments.create(tenant.id(), input(Fixtures.uniqueReference(), "Land Cruiser", "fr"), anna).id();
        shipments.changeStage(tenant.id(), id, "Arrived", anna);
        String url = tracking.create(tenant.id(), id, null, anna).orElseThrow().url();
        String path = url.substring(url.indexOf("/t/"));
        String page = get(path).then().statusCode(200).extract().asString();
        assertTrue(page.contains("Purchased") && page.contains("On vessel") && page.contains("Arrived"), page);
        assertFalse(page.contains("Arrivé") || page.contains("Livré"), page);
        assertTrue(page.contains("en cours"), page);

        shipments.changeStage(tenant.id(), id, "Delivered", anna);
        page = get(path).then().statusCode(200).extract().asString();
        assertTrue(page.contains("Delivered"), page);
        assertFalse(page.contains("en cours"), page);
        assertFalse(page.contains("class=\"step current\""), page);

        // the freight default, every stage standard: in the customer's language
        pipelines.setDefault(tenant.id(), pipelines.list(tenant.id()).stream().filter(p -> p.name().equals("Freight"))
                .findFirst().orElseThrow().id());
        Setup freight = setup("fr");
        String french = get(freight.link()).then().statusCode(200).extract().asString();
        assertTrue(french.contains("En transit") && french.contains("Livré"), french);
    }

    /** A browser or proxy that sends unreadable language preferences still gets the page, in its own language. */
    @Test
    void unreadableLanguagePreferencesAreIgnored() throws Exception {
        Setup s = setup("de");
        String path = s.link().substring(s.link().indexOf("/t/"));
        for (String header : List.of("de;q=2, fr;q=0.1", "de;q=abc", ",,,;;;")) {
            String response = RawHttp.get("127.0.0.1", path, "Accept-Language: " + header);
            assertTrue(response.startsWith("HTTP/1.1 200"), header + ": " + response.lines().findFirst().orElse(""));
            assertTrue(response.contains("lang=\"de\""), header);
            String login = RawHttp.get("127.0.0.1", "/app/login", "Accept-Language: " + header);
            assertTrue(login.startsWith("HTTP/1.1 200"), header + ": " + login.lines().findFirst().orElse(""));
        }
    }

    /** Spellings of the same path reach the same page: they must carry its headers (and the staff app's too). */
    @Test
    void otherSpellingsOfTheLinkPathCarryTheSameHeaders() throws Exception {
        Setup s = setup("en");
        String path = s.link().substring(s.link().indexOf("/t/"));
        String token = path.substring("/t/".length());
        for (String spelling : List.of("/" + path, "/." + path, "/x/.." + path, "/%74/" + token,
                "/%74/" + token + "/hero")) {
            String response = RawHttp.get("127.0.0.1", spelling).toLowerCase(java.util.Locale.ROOT);
            assertTrue(response.startsWith("http/1.1 200"), spelling + ": " + response.lines().findFirst().orElse(""));
            assertTrue(response.contains("cache-control: no-store"), spelling);
            assertTrue(response.contains("content-security-policy: default-src 'self'"), spelling);
            assertTrue(response.contains("x-frame-options: deny"), spelling);
            assertTrue(response.contains("referrer-policy: no-referrer"), spelling);
        }
        // another case is another address (404), but it still carries the token: nothing may keep or pass it on
        for (String spelling : List.of("/T/" + token, "/V/" + token)) {
            String response = RawHttp.get("127.0.0.1", spelling).toLowerCase(java.util.Locale.ROOT);
            assertTrue(response.startsWith("http/1.1 404"), spelling + ": " + response.lines().findFirst().orElse(""));
            assertTrue(response.contains("referrer-policy: no-referrer"), spelling);
            assertTrue(response.contains("cache-control: no-store"), spelling);
            assertTrue(response.contains("x-robots-tag: noindex"), spelling);
        }
        for (String spelling : List.of("//app/login", "/%61pp/login")) {
            String response = RawHttp.get("127.0.0.1", spelling).toLowerCase(java.util.Locale.ROOT);
            assertTrue(response.contains("x-frame-options: deny"), spelling);
            assertTrue(response.contains("cache-control: no-store"), spelling);
        }
        // path parameters: routing would drop them, so the page would be served without its headers; and the sign-in
        // redirect cannot keep them in a cookie (the request never got an answer). Refused at once, with no page.
        for (String spelling : List.of("/t;a=b/" + token, "/t/" + token + ";x", "/t;/" + token + "/hero",
                "/app/shipments;x", "/app/invite;x/abc", "/v;x/pv_x", "/d;x/pd_x")) {
            String response = RawHttp.get("127.0.0.1", spelling);
            assertTrue(response.startsWith("HTTP/1.1 400"), spelling + ": " + response.lines().findFirst().orElse(""));
            assertTrue(response.contains("semicolon"), spelling);
            assertFalse(response.contains("<html"), spelling);
        }
    }

    @Test
    void goneLinksShowTheNeutralPageAndMayAskForANewOne() {
        Setup s = setup("de");
        assertTrue(tracking.revoke(tenant.id(), s.shipment(), anna));
        PortalClient browser = new PortalClient(s.link());
        browser.fetch("").then().statusCode(410).body(containsString("id=\"link-unavailable\""))
                .body(not(containsString("Land Cruiser")))
                // the neutral page serves every kind of link: its footer names none
                .body(containsString("Secure link")).body(not(containsString("order link")));
        assertTrue(browser.offers("request-link"));
        get(s.link() + "/hero").then().statusCode(404);
        given().formParam("nonce", "forged").post(s.link() + "/request-link").then().statusCode(403);
        var hidden = browser.hidden("request-link");
        given().formParams(hidden).post(s.link() + "/request-link").then().statusCode(410)
                .body(containsString("id=\"asked\""));
        assertTrue(timeline.latest(Subject.shipment(tenant.id(), s.shipment()), false, 50).stream()
                .anyMatch(e -> e.kind().equals("TRACKING_LINK_REQUESTED")));
    }

    @Test
    void expiryByTheInjectedClock() {
        Setup s = setup("en");
        tracking.setExpiry(tenant.id(), s.shipment(), java.time.LocalDateTime.parse("2026-06-02T12:00"), anna);
        get(s.link()).then().statusCode(200);
        clock.set(Instant.parse("2026-06-02T09:59:59Z")); // Berlin summer time: UTC+2
        get(s.link()).then().statusCode(200);
        clock.advance(Duration.ofSeconds(1));
        get(s.link()).then().statusCode(410);
        get(s.link() + "/hero").then().statusCode(404);
    }

    @Test
    void lockdownAndUnlock() {
        Setup s = setup("en");
        tracking.setOptions(tenant.id(), s.shipment(), TrackingLinks.Options.DEFAULTS, List.of(s.a()), anna);
        fixtures.setStatus(tenant.id(), Organization.Status.LOCKED);
        try {
            get(s.link()).then().statusCode(410).body(not(containsString("Land Cruiser")));
            get(s.link() + "/photos/1").then().statusCode(404);
            get(s.link() + "/hero").then().statusCode(404);
            // a locked organisation's link is gone like any other: it may ask for a new one, and the request is
            // recorded (the page does not tell that the organisation is locked, nor lies that it asked)
            PortalClient browser = new PortalClient(s.link());
            browser.fetch("").then().statusCode(410);
            assertTrue(browser.offers("request-link"));
            given().formParams(browser.hidden("request-link")).post(s.link() + "/request-link").then().statusCode(410)
                    .body(containsString("id=\"asked\""));
            assertTrue(timeline.latest(Subject.shipment(tenant.id(), s.shipment()), false, 50).stream()
                    .anyMatch(e -> e.kind().equals("TRACKING_LINK_REQUESTED")));
        } finally {
            fixtures.setStatus(tenant.id(), Organization.Status.ACTIVE);
        }
        get(s.link()).then().statusCode(200).body(containsString("Land Cruiser"));
        get(s.link() + "/photos/1").then().statusCode(200);
    }

    @Test
    void deletingTheShipmentKillsTheLinkForGood() {
        Setup s = setup("en");
        assertTrue(shipments.delete(tenant.id(), s.shipment(), null, anna));
        String gone = get(s.link()).then().statusCode(410).body(not(containsString("Land Cruiser"))).extract()
                .asString();
        // gone for good: nothing to ask staff for
        assertFalse(gone.contains("request-link"));
        given().head(s.link()).then().statusCode(410);
        // even a link row left unrevoked (an older version's delete) does not open a deleted shipment's page
        QuarkusTransaction.requiringNew()
                .run(() -> AccessLink.update("revokedAt = null where id = ?1", link(s.link()).id));
        get(s.link()).then().statusCode(410);
        get(s.link() + "/hero").then().statusCode(404);
    }

    @Test
    void aTokenOfAnotherScopeIsUnknown() {
        Setup s = setup("en");
        String token = s.link().substring(3);
        get("/v/" + token).then().statusCode(404).body(containsString("id=\"link-unavailable\""));
        String vendorLink = Fixtures.createOrderWithLink(tenant.apiKey(), Fixtures.uniqueReference(),
                "v@vendor.example");
        get("/t/" + vendorLink.substring(3)).then().statusCode(404).body(containsString("id=\"link-unavailable\""));
        given().head("/t/" + vendorLink.substring(3)).then().statusCode(404);
        get("/t/pt_unknownunknownunknownunknown00").then().statusCode(404);
        get("/t/pt_unknown/hero").then().statusCode(404);
    }

    @Test
    void headAndBotsCountApartFromPeople() {
        Setup s = setup("en");
        given().head(s.link()).then().statusCode(200).body(emptyString());
        assertEquals(1, link(s.link()).botOpenCount);
        assertEquals(0, link(s.link()).openCount);
        given().header("User-Agent", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)").get(s.link()).then()
                .statusCode(200);
        assertEquals(2, link(s.link()).botOpenCount);
        // a scanner that only reads the HTML, whatever its agent, is no person
        new PortalClient(s.link()).fetch("").then().statusCode(200);
        assertEquals(0, link(s.link()).openCount);
        // a browser shows the page: it fetches the page's own stylesheet
        new PortalClient(s.link()).open("").then().statusCode(200);
        AccessLink opened = link(s.link());
        assertEquals(1, opened.openCount);
        assertEquals(2, opened.botOpenCount);
        var sheet = tracking.sheet(tenant.id(), s.shipment()).orElseThrow();
        assertEquals(1, sheet.link().openCount());
        assertEquals(2, sheet.link().botOpenCount());
        assertTrue(sheet.link().firstOpenedAt() != null);
    }

    @Test
    void germanCustomerOfAGermanOrganisation() {
        Setup s = setup("de");
        String page = get(s.link()).then().statusCode(200).extract().asString();
        assertTrue(page.contains("<html lang=\"de\">"));
        assertTrue(page.contains("Voraussichtliche Ankunft"));
        assertTrue(page.contains("24.12.2026"), page);
        assertTrue(page.contains("Unterwegs")); // the freight stage "In transit", in German
        assertTrue(page.contains("Gebucht"));
        assertTrue(page.contains("01.06.2026")); // the note's date
        assertTrue(page.contains("Privater Sendungslink"));
    }

    @Test
    void otherLanguagesAndTheOrganisationsAsFallback() {
        Setup fr = setup("fr");
        String page = get(fr.link()).then().statusCode(200).extract().asString();
        assertTrue(page.contains("<html lang=\"fr\">"));
        assertTrue(page.contains("Arrivée prévue"));
        assertTrue(page.contains("24 déc. 2026"), page); // French words, German organisation's calendar
        Setup es = setup("es");
        assertTrue(get(es.link()).asString().contains("Llegada prevista"));
        // no language given: the organisation's (German)
        Setup none = setup(null);
        assertTrue(get(none.link()).asString().contains("<html lang=\"de\">"));
        // ... unless the phone names one of ours: a French phone reads French, a Polish one the organisation's
        given().header("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5").get(none.link()).then().statusCode(200)
                .body(containsString("<html lang=\"fr\">"));
        given().header("Accept-Language", "pl-PL").get(none.link()).then().statusCode(200)
                .body(containsString("<html lang=\"de\">"));
        // a customer's own language stands whatever the phone says
        given().header("Accept-Language", "fr-FR").get(setup("en").link()).then().statusCode(200)
                .body(containsString("<html lang=\"en\">"));

        var us = fixtures.tenant("US");
        long id = shipments.create(us.id(), input(Fixtures.uniqueReference(), "Load 4471: 18 pallets", "en"), anna)
                .id();
        shipments.setEstimatedArrival(us.id(), id, LocalDate.parse("2026-12-24"), anna);
        String url = tracking.create(us.id(), id, null, anna).orElseThrow().url();
        String usPage = get(url.substring(url.indexOf("/t/"))).asString();
        assertTrue(usPage.contains("Dec 24, 2026"), usPage);
        assertTrue(usPage.contains("Load 4471: 18 pallets"));
        // a gone link's page follows the browser's language
        tracking.revoke(us.id(), id, anna);
        given().header("Accept-Language", "es-ES,es;q=0.9").get(url.substring(url.indexOf("/t/"))).then()
                .statusCode(410).body(containsString("lang=\"es\""));
    }

    @Test
    void gettingThePageChangesNoShipment() {
        Setup s = setup("en");
        long version = shipments.view(tenant.id(), s.shipment()).orElseThrow().version();
        int entries = timeline.latest(Subject.shipment(tenant.id(), s.shipment()), false, 200).size();
        new PortalClient(s.link()).open("").then().statusCode(200);
        given().head(s.link()).then().statusCode(200);
        get(s.link() + "/hero").then().statusCode(200);
        assertEquals(version, shipments.view(tenant.id(), s.shipment()).orElseThrow().version());
        assertEquals(entries, timeline.latest(Subject.shipment(tenant.id(), s.shipment()), false, 200).size());
    }
}
