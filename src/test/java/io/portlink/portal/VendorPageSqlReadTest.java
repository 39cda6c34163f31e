package io.portlink.portal;

import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.fulfilment.Fulfilments;
import io.portlink.fulfilment.OrderFulfilment;
import io.portlink.link.AccessLink;
import io.portlink.organization.Organization;
import io.portlink.platform.Tokens;
import io.portlink.purchasing.OrderStatus;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.purchasing.VendorDesk;
import io.portlink.purchasing.mail.PoDocuments;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.RoundTripProxy;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The vendor page read in plain SQL ({@link VendorPages#open}: {@code VendorDesk.read}, {@code Fulfilments.forVendor}
 * on a connection) shows exactly what the same page read through Hibernate entities shows ({@link VendorDesk#open},
 * {@link PoDocuments#buyerOf}, {@link Fulfilments#forVendor(long)}): the same page model, buyer and fulfilment for
 * orders in every state the page draws differently (statuses, prices or none, languages, revisions to acknowledge,
 * partial and full shipments, reconfirmation asked, cancelled with and without acknowledgement), and the link opens by
 * the same rule (revoked, expired and locked organisations are gone; unknown tokens, other scopes and other vendors'
 * orders are not found). H2 and PostgreSQL.
 */
@QuarkusTest
class VendorPageSqlReadTest {

    @Inject
    Fixtures fixtures;

    @Inject
    VendorPages pages;

    @Inject
    VendorDesk desk;

    @Inject
    PoDocuments documents;

    @Inject
    Fulfilments fulfilments;

    @Inject
    TestClock clock;

    @Inject
    DataSource dataSource;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("DE");
    }

    /** An order of a new vendor ({@code language} may be null), two lines, priced or not; its link path. */
    private String order(String reference, String language, boolean priced) {
        Map<String, Object> vendor = new HashMap<>(
                Map.of("name", "Sql Read & <Co>", "email", "sql-" + reference.toLowerCase() + "@vendor.example"));
        if (language != null) {
            vendor.put("language", language);
        }
        Map<String, Object> bolts = new HashMap<>(
                Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "100.5", "unit", "pcs"));
        Map<String, Object> racks = new HashMap<>(Map.of("sku", "PAL-1", "quantity", "8"));
        if (priced) {
            bolts.putAll(Map.of("unitPrice", "0.12", "currency", "EUR"));
            racks.putAll(Map.of("unitPrice", "1950.00", "currency", "GBP"));
        }
        Map<String, Object> body = Map.of("reference", reference, "vendor", vendor, "deliveryAddress",
                "1 Dock Road\nLondon", "requestedDate", "2026-07-01", "lines", List.of(bolts, racks));
        String url = Fixtures.post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
        return url.substring(url.indexOf("/v/"));
    }

    private void amend(String reference, String link) {
        Map<String, Object> body = Map.of("reference", reference, "vendor",
                Map.of("name", "Sql Read & <Co>", "email", "sql-" + reference.toLowerCase() + "@vendor.example"),
                "deliveryAddress", "2 Quay Street\nLondon", "requestedDate", "2026-07-03", "lines",
                List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "120", "unit", "pcs",
                        "unitPrice", "0.12", "currency", "EUR")));
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .header("If-Match", "\"1\"").body(body).put("/api/v1/purchase-orders/" + reference).then()
                .statusCode(200);
    }

    private void ship(String link, String reference, String bolts, String racks) {
        PortalClient vendor = new PortalClient(link);
        vendor.open("/orders/" + reference);
        Map<String, String> hidden = vendor.hidden("ship");
        given().redirects().follow(false).header("User-Agent", PortalClient.BROWSER)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("nonce", hidden.get("nonce"))
                .formParam("version", hidden.get("version")).formParam("line", "1", "2")
                .formParam("quantity", bolts, racks).formParam("carrier", "DHL").formParam("trackingNumber", "SQ1")
                .formParam("shipDate", LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString())
                .post(vendor.link() + "/orders/" + reference + "/ship").then().statusCode(303);
    }

    private static void change(String reference, long organizationId, Consumer<PurchaseOrder> change) {
        QuarkusTransaction.requiringNew().run(() -> change
                .accept(PurchaseOrder.<PurchaseOrder> findByReference(organizationId, reference).orElseThrow()));
    }

    private static String token(String link) {
        return link.substring("/v/".length());
    }

    /** The page through Hibernate entities, as it was read before the plain statements. */
    private VendorPages.Loaded entityRead(String token, String reference) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var access = desk.open(token, reference, false);
            if (access instanceof VendorDesk.Shown<VendorDesk.OrderPage> shown) {
                long id = shown.page().orderId();
                return new VendorPages.Loaded(access, documents.buyerOf(id), fulfilments.forVendor(id).orElseThrow());
            }
            return new VendorPages.Loaded(access, null, null);
        });
    }

    /** Both reads show the same (the forms' nonces are drawn afresh on every render: the same forms, each valid). */
    private void sameAsEntities(String link, String reference, String what) {
        VendorPages.Loaded sql = pages.open(token(link), reference, false);
        VendorPages.Loaded entities = entityRead(token(link), reference);
        var a = assertInstanceOf(VendorDesk.Shown.class, sql.access(), what);
        var b = assertInstanceOf(VendorDesk.Shown.class, entities.access(), what);
        VendorDesk.OrderPage p = (VendorDesk.OrderPage) a.page();
        VendorDesk.OrderPage q = (VendorDesk.OrderPage) b.page();
        for (RecordComponent c : VendorDesk.OrderPage.class.getRecordComponents()) {
            try {
                Object x = c.getAccessor().invoke(p);
                Object y = c.getAccessor().invoke(q);
                if (c.getName().equals("nonces")) {
                    assertEquals(((Map<?, ?>) y).keySet(), ((Map<?, ?>) x).keySet(), what + ": the forms");
                } else {
                    assertEquals(y, x, what + ": " + c.getName());
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        assertEquals(entities.buyer(), sql.buyer(), what + ": buyer");
        assertEquals(entities.fulfilment(), sql.fulfilment(), what + ": fulfilment");
    }

    @Test
    void showsWhatTheEntityReadShowsInEveryState() {
        List<Runnable> checks = new ArrayList<>();
        // as created: priced lines in two currencies, English; no prices, German; French; Spanish
        String[] languages = { null, "de", "fr", "es" };
        for (int i = 0; i < languages.length; i++) {
            String ref = uniqueReference();
            String link = order(ref, languages[i], i % 2 == 0);
            checks.add(() -> sameAsEntities(link, null, "fresh " + ref));
            checks.add(() -> sameAsEntities(link, ref, "by reference " + ref));
        }
        // amended after it was sent: the revision banner with its changes
        String amended = uniqueReference();
        String amendedLink = order(amended, "de", true);
        change(amended, tenant.id(), o -> o.notifiedAt = clock.instant());
        amend(amended, amendedLink);
        checks.add(() -> sameAsEntities(amendedLink, null, "amended"));
        // shipped in part, then in full
        String shipped = uniqueReference();
        String shippedLink = order(shipped, null, true);
        ship(shippedLink, shipped, "40", "0");
        checks.add(() -> sameAsEntities(shippedLink, null, "partly shipped"));
        String full = uniqueReference();
        String fullLink = order(full, "fr", false);
        ship(fullLink, full, "100.5", "8");
        checks.add(() -> sameAsEntities(fullLink, null, "fully shipped"));
        // confirmed with an expected date the buyer asks to reconfirm
        String reconfirm = uniqueReference();
        String reconfirmLink = order(reconfirm, null, true);
        change(reconfirm, tenant.id(), o -> {
            o.status = OrderStatus.ACKNOWLEDGED;
            o.expectedDate = LocalDate.of(2026, 8, 14);
            o.reconfirmAskedFor = o.expectedDate;
            o.carrier = "UPS";
            o.trackingNumber = "1Z";
            o.vendorNote = "Packed\non pallets";
        });
        checks.add(() -> sameAsEntities(reconfirmLink, null, "reconfirm asked"));
        // declined; cancelled before and after the vendor acknowledged it
        String declined = uniqueReference();
        String declinedLink = order(declined, "es", true);
        change(declined, tenant.id(), o -> {
            o.status = OrderStatus.DECLINED;
            o.declineReason = "No stock";
        });
        checks.add(() -> sameAsEntities(declinedLink, null, "declined"));
        String cancelled = uniqueReference();
        String cancelledLink = order(cancelled, null, false);
        change(cancelled, tenant.id(), o -> {
            o.status = OrderStatus.CANCELLED;
            o.cancelReason = "Project stopped";
            o.notifiedAt = clock.instant();
        });
        checks.add(() -> sameAsEntities(cancelledLink, null, "cancelled"));
        change(cancelled, tenant.id(), o -> o.cancelAcknowledgedAt = clock.instant());
        checks.add(() -> sameAsEntities(cancelledLink, null, "cancel acknowledged"));
        // another order of the same vendor, reached from the first order's link
        checks.forEach(Runnable::run);
    }

    @Test
    void revokedExpiredAndLockedLinksAreGoneUnknownOnesNotFound() {
        String ref = uniqueReference();
        String link = order(ref, null, true);
        String other = uniqueReference();
        order(other, null, true); // another vendor's order of the same organisation
        assertInstanceOf(VendorDesk.Shown.class, pages.open(token(link), ref, false).access());
        assertInstanceOf(VendorDesk.NotFound.class, pages.open(token(link), other, false).access(),
                "another vendor's order is not reachable");
        assertInstanceOf(VendorDesk.NotFound.class, pages.open(token(link), "PO-NOPE", false).access());
        assertInstanceOf(VendorDesk.NotFound.class, pages.open("pv_" + "A".repeat(43), null, false).access());
        assertInstanceOf(VendorDesk.NotFound.class, pages.open("pt_" + token(link).substring(3), null, false).access(),
                "a token of another prefix is unknown");
        assertInstanceOf(VendorDesk.NotFound.class, pages.open("not a token", null, false).access());

        // expired: by the injected clock
        long linkId = QuarkusTransaction.requiringNew()
                .call(() -> AccessLink.<AccessLink> find("tokenHash", Tokens.sha256(token(link))).firstResult().id);
        QuarkusTransaction.requiringNew().run(
                () -> AccessLink.<AccessLink> findById(linkId).expiresAt = clock.instant().plus(Duration.ofHours(1)));
        assertInstanceOf(VendorDesk.Shown.class, pages.open(token(link), null, false).access());
        clock.advance(Duration.ofHours(2));
        assertInstanceOf(VendorDesk.Gone.class, pages.open(token(link), null, false).access(), "expired");
        assertInstanceOf(VendorDesk.Gone.class, pages.open(token(link), ref, false).access(), "expired");
        QuarkusTransaction.requiringNew().run(() -> AccessLink.<AccessLink> findById(linkId).expiresAt = null);
        assertInstanceOf(VendorDesk.Shown.class, pages.open(token(link), null, false).access());

        // organisation locked
        fixtures.setStatus(tenant.id(), Organization.Status.LOCKED);
        try {
            assertInstanceOf(VendorDesk.Gone.class, pages.open(token(link), null, false).access(), "locked");
        } finally {
            fixtures.setStatus(tenant.id(), Organization.Status.ACTIVE);
        }
        assertInstanceOf(VendorDesk.Shown.class, pages.open(token(link), null, false).access());

        // revoked
        QuarkusTransaction.requiringNew()
                .run(() -> AccessLink.<AccessLink> findById(linkId).revokedAt = clock.instant());
        assertInstanceOf(VendorDesk.Gone.class, pages.open(token(link), null, false).access(), "revoked");
        assertInstanceOf(VendorDesk.Gone.class, pages.open(token(link), other, false).access(), "revoked");
    }

    @Test
    void aMachinesFetchIsCountedApartAPersonsNotAtAll() {
        String ref = uniqueReference();
        String link = order(ref, null, true);
        String hash = Tokens.sha256(token(link));
        pages.open(token(link), null, false);
        AccessLink before = QuarkusTransaction.requiringNew()
                .call(() -> AccessLink.<AccessLink> find("tokenHash", hash).firstResult());
        assertEquals(null, before.lastBotOpenAt, "a person's page fetch is no machine's");
        assertEquals(null, before.firstOpenedAt, "nor an open: only the page's stylesheet counts one");
        pages.open(token(link), null, true);
        AccessLink after = QuarkusTransaction.requiringNew()
                .call(() -> AccessLink.<AccessLink> find("tokenHash", hash).firstResult());
        assertNotNull(after.lastBotOpenAt, "a machine's fetch is counted");
        assertEquals(null, after.firstOpenedAt);
        assertFalse(after.lastBotOpenAt.isAfter(clock.instant()));
        assertTrue(pages.open(token(link), null, true).access() instanceof VendorDesk.Shown);
    }

    /** Whether the suite runs on PostgreSQL (where the page and its fulfilment share a round trip). */
    private static boolean postgres() {
        return "postgresql".equals(
                ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.db-kind", String.class).orElse(""));
    }

    /** A connection of its own to the suite's PostgreSQL database, through {@code proxy}. */
    private static Connection through(RoundTripProxy proxy) throws SQLException {
        var config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class)
                .replaceFirst("^jdbc:postgresql://[^/]+/", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/");
        return DriverManager.getConnection(url,
                config.getOptionalValue("quarkus.datasource.username", String.class).orElse(null),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(null));
    }

    @Test
    void onPostgresqlThePageAndItsFulfilmentComeInOneRoundTrip() throws Exception {
        Assumptions.assumeTrue(postgres(), "H2 runs the two statements one after the other");
        String ref = uniqueReference();
        String link = order(ref, null, true);
        ship(link, ref, "40", "2");
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        var hostAndPort = java.util.regex.Pattern.compile("^jdbc:postgresql://([^:/]+)(?::(\\d+))?/").matcher(url);
        assertTrue(hostAndPort.find(), url);
        try (RoundTripProxy proxy = new RoundTripProxy(hostAndPort.group(1),
                hostAndPort.group(2) == null ? 5432 : Integer.parseInt(hostAndPort.group(2)));
                Connection c = through(proxy)) {
            for (String reference : new String[] { null, ref }) {
                int before = proxy.turns();
                var read = desk.read(c, token(link), reference, Fulfilments.VENDOR_PAGE);
                assertEquals(1, proxy.turns() - before,
                        "the page and its fulfilment, one round trip (" + reference + ")");
                var shown = (VendorDesk.Shown<?>) read.page().access();
                long orderId = ((VendorDesk.OrderPage) shown.page()).orderId();
                OrderFulfilment fulfilment = Fulfilments
                        .forVendorPage(read.companion(), orderId, read.page().lines(), read.page().format())
                        .orElseThrow();
                assertEquals(fulfilments.forVendor(orderId).orElseThrow(), fulfilment);
                assertEquals(2, fulfilment.lines().stream().filter(l -> !l.shipped().equals("0")).count(),
                        "both lines shipped in part");
            }
        }
    }

    @Test
    void fulfilmentRowsReadForAnotherOrderAreNotShownAsThisOnes() throws Exception {
        // the order a reference reaches replaced between the page's statement and its fulfilment's: the rows say for
        // which order they were read, and the page reads its own order's by id instead
        String shipped = uniqueReference();
        String shippedLink = order(shipped, null, true);
        ship(shippedLink, shipped, "40", "0");
        String other = uniqueReference();
        String otherLink = order(other, null, true);
        try (Connection c = dataSource.getConnection()) {
            var shippedRead = desk.read(c, token(shippedLink), null, Fulfilments.VENDOR_PAGE);
            var otherRead = desk.read(c, token(otherLink), null, Fulfilments.VENDOR_PAGE);
            long shippedId = ((VendorDesk.OrderPage) ((VendorDesk.Shown<?>) shippedRead.page().access()).page())
                    .orderId();
            long otherId = ((VendorDesk.OrderPage) ((VendorDesk.Shown<?>) otherRead.page().access()).page()).orderId();
            var lines = otherRead.page().lines();
            var format = otherRead.page().format();
            assertTrue(Fulfilments.forVendorPage(shippedRead.companion(), otherId, lines, format).isEmpty(),
                    "another order's shipments");
            assertTrue(Fulfilments.forVendorPage(otherRead.companion(), shippedId, shippedRead.page().lines(),
                    shippedRead.page().format()).isEmpty(), "another order's lack of shipments");
            assertEquals(fulfilments.forVendor(otherId).orElseThrow(),
                    Fulfilments.forVendorPage(otherRead.companion(), otherId, lines, format).orElseThrow());
            // a reference no order of the link's vendor has: the page is not found, and its rows are of no order
            var none = desk.read(c, token(shippedLink), "NO-SUCH-" + other, Fulfilments.VENDOR_PAGE);
            assertInstanceOf(VendorDesk.NotFound.class, none.page().access());
            assertTrue(Fulfilments.forVendorPage(none.companion(), otherId, lines, format).isEmpty());
        }
    }
}
