package io.portlink.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.organization.Organization;
import io.portlink.organization.StaffUser;
import io.portlink.purchasing.OrderStatus;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The vendor's order page byte for byte: orders in every state the page draws differently (the four languages, prices
 * in two currencies or none, one and several lines, a revision to acknowledge, partial and full shipments,
 * reconfirmation asked with a buyer to deal with, declined and cancelled (with the organisation's purchasing desk as
 * the buyer) before and after the vendor acknowledged it, a saved action's message and a lost race's error), on the
 * link's landing page, on an order's own page ({@code /v/{token}/orders/{reference}}) and on the vendor's order list,
 * are rendered over HTTP and compared (with their type and privacy headers), after the token, every render's nonces
 * (the forms' and the stylesheet's), the organisation's generated name and its admin's address are replaced by
 * placeholders, with the pages kept in {@code src/test/resources/vendor-pages/}. The clock is fixed, so dates and date
 * limits are the same on every run. Any change to what a vendor receives fails here, so a change made for speed shows
 * it changed nothing. {@code -Dvendor.pages.write=true} writes the files anew (only when the page is meant to change;
 * review the diff).
 */
@QuarkusTest
class VendorPageBytesTest {

    private static final Path DIR = Path.of("src/test/resources/vendor-pages");

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        clock.set(Instant.parse("2026-06-10T09:00:00Z"));
        tenant = fixtures.tenant("DE");
    }

    @Test
    void aNewOrderInEachLanguageWithAndWithoutPrices() throws IOException {
        String[] languages = { "en", "de", "fr", "es" };
        for (int i = 0; i < languages.length; i++) {
            String ref = "PO-NEW-" + languages[i].toUpperCase();
            String link = order(ref, languages[i], i % 2 == 0, 2);
            same("new-" + languages[i], link, "");
            same("new-by-reference-" + languages[i], link, "/orders/" + ref);
        }
        same("new-list-es", order("PO-LIST-ES", "es", true, 1), "/orders");
    }

    @Test
    void oneLineAndSeveralLinesAndTheSavedMessages() throws IOException {
        String one = order("PO-ONE", "en", true, 1);
        same("one-line-en", one, "");
        String several = order("PO-SEVERAL", "de", true, 3);
        same("several-lines-de", several, "");
        same("saved-confirm-de", several, "/orders/PO-SEVERAL?saved=CONFIRM");
        same("saved-revision-de", several, "/orders/PO-SEVERAL?saved=ACK_REVISION");
        same("changed-meanwhile-de", several, "/orders/PO-SEVERAL?saved=CHANGED");
        same("list-en", one, "/orders");
    }

    @Test
    void aRevisionToAcknowledge() throws IOException {
        for (String language : List.of("en", "fr")) {
            String ref = "PO-AMENDED-" + language.toUpperCase();
            String link = order(ref, language, true, 2);
            change(ref, o -> o.notifiedAt = clock.instant());
            amend(ref, language);
            same("amended-" + language, link, "");
        }
    }

    @Test
    void shippedInPartThenInFull() throws IOException {
        for (String language : List.of("en", "es")) {
            String ref = "PO-SHIP-" + language.toUpperCase();
            String link = order(ref, language, language.equals("en"), 2);
            ship(link, ref, "40", "0", "DHL");
            same("partly-shipped-" + language, link, "");
            ship(link, ref, "60.5", "8", null);
            same("fully-shipped-" + language, link, "");
        }
        String ref = "PO-SHIP-FR";
        String link = order(ref, "fr", false, 2);
        ship(link, ref, "100.5", "8", "UPS");
        same("fully-shipped-at-once-fr", link, "");
        change(ref, o -> o.status = OrderStatus.DELIVERED);
        same("delivered-fr", link, "");
    }

    @Test
    void confirmedReconfirmAskedAndInProgress() throws IOException {
        for (String language : List.of("en", "de")) {
            String ref = "PO-RECONFIRM-" + language.toUpperCase();
            String link = order(ref, language, true, 2);
            change(ref, o -> {
                o.status = OrderStatus.ACKNOWLEDGED;
                o.expectedDate = LocalDate.of(2026, 8, 14);
                o.reconfirmAskedFor = o.expectedDate;
                o.carrier = "UPS";
                o.trackingNumber = "1Z";
                o.vendorNote = "Packed\non pallets <fragile> & \"dry\"";
                o.buyer = StaffUser.findByEmail(tenant.id(), tenant.adminEmail()).orElseThrow();
            });
            same("reconfirm-" + language, link, "");
            change(ref, o -> {
                o.status = OrderStatus.PREPARING;
                o.reconfirmAskedFor = null;
            });
            same("preparing-" + language, link, "");
        }
    }

    @Test
    void declinedAndCancelledWithThePurchasingDesk() throws IOException {
        QuarkusTransaction.requiringNew().run(() -> {
            Organization org = Organization.findById(tenant.id());
            org.purchasingName = "Purchasing & <Desk>";
            org.purchasingEmail = "desk@buyer.example";
            org.purchasingPhone = "+49 30 1234";
        });
        for (String language : List.of("es", "en")) {
            String declined = "PO-DECLINED-" + language.toUpperCase();
            String declinedLink = order(declined, language, true, 2);
            change(declined, o -> {
                o.status = OrderStatus.DECLINED;
                o.declineReason = "No stock <until> July & later";
            });
            same("declined-" + language, declinedLink, "");
        }
        for (String language : List.of("en", "de")) {
            String cancelled = "PO-CANCELLED-" + language.toUpperCase();
            String cancelledLink = order(cancelled, language, false, 2);
            change(cancelled, o -> {
                o.status = OrderStatus.CANCELLED;
                o.cancelReason = "Project stopped\n(for now)";
                o.notifiedAt = clock.instant();
            });
            same("cancelled-" + language, cancelledLink, "");
            change(cancelled, o -> o.cancelAcknowledgedAt = clock.instant());
            same("cancel-acknowledged-" + language, cancelledLink, "");
        }
    }

    /** An order of a new vendor in {@code language}, {@code lines} lines (1 to 3), priced or not; its link path. */
    private String order(String reference, String language, boolean priced, int lines) {
        Map<String, Object> vendor = new HashMap<>(Map.of("name", "Bytes & <Co>", "email",
                "bytes-" + reference.toLowerCase() + "@vendor.example", "language", language));
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> bolts = new HashMap<>(Map.of("sku", "BOLT-8", "description", "Hex bolt M8 \"zinc\" <A2>",
                "quantity", "100.5", "unit", "pcs"));
        Map<String, Object> racks = new HashMap<>(Map.of("sku", "PAL-1", "quantity", "8"));
        Map<String, Object> glue = new HashMap<>(
                Map.of("description", "Glue, 2-part", "quantity", "1250", "unit", "ml"));
        if (priced) {
            bolts.putAll(Map.of("unitPrice", "0.12", "currency", "EUR"));
            racks.putAll(Map.of("unitPrice", "1950.00", "currency", "GBP"));
            glue.putAll(Map.of("unitPrice", "0.031", "currency", "EUR"));
        }
        rows.add(bolts);
        if (lines > 1) {
            rows.add(racks);
        }
        if (lines > 2) {
            rows.add(glue);
        }
        Map<String, Object> body = Map.of("reference", reference, "vendor", vendor, "deliveryAddress",
                "1 Dock Road\nLondon", "requestedDate", "2026-07-01", "lines", rows);
        String url = Fixtures.post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
        return url.substring(url.indexOf("/v/"));
    }

    private void amend(String reference, String language) {
        Map<String, Object> body = Map.of("reference", reference, "vendor",
                Map.of("name", "Bytes & <Co>", "email", "bytes-" + reference.toLowerCase() + "@vendor.example",
                        "language", language),
                "deliveryAddress", "2 Quay Street\nLondon", "requestedDate", "2026-07-03", "lines",
                List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "120", "unit", "pcs",
                        "unitPrice", "0.12", "currency", "EUR")));
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .header("If-Match", "\"1\"").body(body).put("/api/v1/purchase-orders/" + reference).then()
                .statusCode(200);
    }

    private void ship(String link, String reference, String bolts, String racks, String carrier) {
        PortalClient vendor = new PortalClient(link);
        vendor.open("/orders/" + reference);
        Map<String, String> hidden = vendor.hidden("ship");
        var request = given().redirects().follow(false).header("User-Agent", PortalClient.BROWSER)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("nonce", hidden.get("nonce"))
                .formParam("version", hidden.get("version")).formParam("line", "1", "2")
                .formParam("quantity", bolts, racks).formParam("trackingNumber", "SQ" + bolts)
                .formParam("shipDate", "2026-06-09").formParam("expectedDelivery", "2026-06-20");
        if (carrier != null) {
            request.formParam("carrier", carrier);
        }
        request.post(vendor.link() + "/orders/" + reference + "/ship").then().statusCode(303);
    }

    private void change(String reference, Consumer<PurchaseOrder> change) {
        QuarkusTransaction.requiringNew().run(() -> change
                .accept(PurchaseOrder.<PurchaseOrder> findByReference(tenant.id(), reference).orElseThrow()));
    }

    /** The page of {@code link + path}, its variable parts replaced, equals the stored page {@code name}. */
    private void same(String name, String link, String path) throws IOException {
        var response = given().header("User-Agent", PortalClient.BROWSER).get(link + path).then().statusCode(200)
                .extract();
        // the headers that keep the page private, and its type, whichever way it is rendered
        assertEquals("text/html;charset=UTF-8", response.header("Content-Type"), name);
        assertEquals("no-referrer", response.header("Referrer-Policy"), name);
        assertEquals("no-store", response.header("Cache-Control"), name);
        assertTrue(response.header("X-Robots-Tag").contains("noindex"), name);
        assertTrue(response.header("Content-Security-Policy").contains("frame-ancestors 'none'"), name);
        String body = response.asString();
        String token = link.substring("/v/".length());
        String page = body.replace(token, "{token}").replace(tenant.name(), "{organization}")
                .replace(tenant.adminEmail(), "{admin}")
                .replaceAll("/seen/[A-Za-z0-9_-]{22}\\.css", "/seen/{nonce}.css")
                .replaceAll("name=\"nonce\" value=\"[^\"]+\"", "name=\"nonce\" value=\"{nonce}\"");
        assertTrue(page.contains("/seen/{nonce}.css"), page);
        Path file = DIR.resolve(name + ".html");
        if (Boolean.getBoolean("vendor.pages.write")) {
            Files.createDirectories(DIR);
            Files.writeString(file, page, StandardCharsets.UTF_8);
            return;
        }
        try (InputStream in = getClass().getResourceAsStream("/vendor-pages/" + name + ".html")) {
            assertTrue(in != null, "no stored page " + file + " (write it with -Dvendor.pages.write=true)");
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), page, name);
        }
    }
}
