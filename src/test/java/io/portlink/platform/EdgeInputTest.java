package io.portlink.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.StaffClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Issue 8, kind 5: edge input never answers 500. Each example the attack run found (a page number at the edge of an
 * int, a NUL in a form field, a quantity of 1E+2147483647, a form of 200,000 fields, a form without its fields) is a
 * 400, 413 or 422 that says what is wrong, and nothing changes. Run on H2 and on PostgreSQL, which refuses what H2
 * takes (a NUL in text, a negative OFFSET).
 */
@QuarkusTest
class EdgeInputTest {

    /** Values of a page number that are no page: the edge of an int, below zero, beyond a long, no number at all. */
    static final List<String> BAD_PAGES = List.of("2147483647", "-1", "-2147483648", "99999999999999999999", "abc",
            "1e3", "100001");
    /** Values of a number field that are no honest number. */
    static final List<String> BAD_NUMBERS = List.of("1E+2147483647", "1e-2147483647", "9".repeat(5000),
            "0." + "0".repeat(5000) + "1", "-99999999999999999999");

    @Inject
    Fixtures fixtures;

    Fixtures.Tenant tenant;
    String reference;
    CookieFilter admin;
    String csrf;

    @BeforeEach
    void tenantWithOneOrder() {
        tenant = fixtures.tenant("GB");
        reference = Fixtures.uniqueReference();
        Fixtures.createOrderWithLink(tenant.apiKey(), reference, "edge@vendor.example");
        admin = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        csrf = StaffClient.csrf(admin, "/app/admin");
    }

    private RequestSpecification staff() {
        return given().filter(admin).redirects().follow(false);
    }

    private RequestSpecification api() {
        return given().header("Authorization", "Bearer " + tenant.apiKey());
    }

    @Test
    void aPageNumberOutOfRangeOnEveryListIs400NamingIt() {
        for (String page : BAD_PAGES) {
            staff().get("/app/orders?page=" + page).then().statusCode(400).body(containsString("page"))
                    .body(containsString("0 to 100000"));
            staff().get("/app/links?page=" + page).then().statusCode(400).body(containsString("page"));
            api().get("/api/v1/purchase-orders?page=" + page).then().statusCode(422)
                    .contentType(containsString("problem+json"))
                    .body("errors[0].field", org.hamcrest.Matchers.is("page"));
            api().get("/api/v1/purchase-orders?size=" + page).then().statusCode(422).body("errors[0].field",
                    org.hamcrest.Matchers.is("size"));
        }
        // the last possible page is an empty page, not an error; and a wrong filter names the choices
        staff().get("/app/orders?page=100000").then().statusCode(200)
                .body(containsString("Page 100001 is past the last page, 1")).body(containsString("go to page 1"))
                .body(not(containsString("of 1</span>")));
        staff().get("/app/links?page=100000").then().statusCode(200);
        api().get("/api/v1/purchase-orders?page=100000&size=200").then().statusCode(200).body("items.size()",
                org.hamcrest.Matchers.is(0));
        api().get("/api/v1/purchase-orders?status=SHIPPED_TO_MARS").then().statusCode(422).body("detail",
                containsString("must be one of"));
    }

    @Test
    void aFilterValueAListDoesNotOfferIsRefusedNamingItOnEveryStaffList() {
        // before, each of these showed the whole list as if it were filtered; the order list now says what is wrong
        // above the list without that part of the filter, as it does for a wrong date
        staff().get("/app/orders?status=SHIPPED_TO_MARS").then().statusCode(400)
                .body(containsString("must be one of PENDING")).body(containsString("SHIPPED_TO_MARS"));
        staff().get("/app/orders?bucket=NOPE&sort=zzz").then().statusCode(400).body(containsString("NOPE"))
                .body(containsString("must be one of NEWEST"));
        staff().get("/app/orders/export?format=csv&rows=orders&status=NOPE").then().statusCode(400)
                .body(containsString("must be one of PENDING"));
        staff().get("/app/shipments?stage=Delivered").then().statusCode(400)
                .body(containsString("must be the id of a stage"));
        staff().get("/app/sales-orders?status=bogus").then().statusCode(400)
                .body(containsString("must be one of OPEN"));
        staff().get("/app/dropship-orders?status=NOPE").then().statusCode(400)
                .body(containsString("must be one of OPEN, PARTIALLY_SHIPPED, SHIPPED, CANCELLED"));
        // routed dropshipments are not the supplier's yet: not a status its list offers
        staff().get("/app/dropship-orders?status=routed").then().statusCode(400).body(containsString("must be one of"));
        staff().get("/app/dropship-orders?merchant=abc").then().statusCode(400)
                .body(containsString("must be the id of a merchant"));
        staff().get("/app/links?show=bogus").then().statusCode(400)
                .body(containsString("must be one of ALL, EXPIRING_SOON"));
        staff().get("/app/shipments/queue?bucket=bogus").then().statusCode(400)
                .body(containsString("must be one of LATE"));
        staff().get("/app/inventory?needsSync=maybe").then().statusCode(400).body(containsString("must be yes"));
        staff().get("/app/links?show=never_opened").then().statusCode(200);
        staff().get("/app/shipments/queue?bucket=delivered-today").then().statusCode(200);
        staff().get("/app/inventory?needsSync=yes").then().statusCode(200);
        // a search that only reads saves nothing to speak of
        api().get("/api/v1/purchase-orders?status=BOGUS&sort=Y").then().statusCode(422).body("detail",
                org.hamcrest.Matchers.startsWith("2 problems. First: "));
        // blank is no filter, and a choice in another case is still that choice
        staff().get("/app/orders?status=&bucket=").then().statusCode(200).body(containsString(reference));
        staff().get("/app/orders?status=notified").then().statusCode(200).body(not(containsString("must be one of")));
        staff().get("/app/sales-orders?status=open").then().statusCode(200);
        staff().get("/app/dropship-orders?status=shipped&merchant=").then().statusCode(200);
    }

    @Test
    void aNulInAFormFieldIsRefusedNamingTheFieldAndNothingIsStored() {
        staff().formParam("form-token", csrf).formParam("once", StaffClient.once(admin, "/app/admin"))
                .formParam("name", "key\0one").post("/app/admin/api-keys").then().statusCode(422)
                .body(containsString("name")).body(not(containsString("older page")));
        staff().formParam("form-token", csrf).formParam("email", "new\0@example.com")
                .formParam("displayName", "New\0Person").post("/app/admin/users/invite").then().statusCode(422)
                .body(containsString("must be one line"));
        staff().formParam("form-token", csrf).formParam("email", "new-" + reference.toLowerCase() + "@example.com")
                .formParam("displayName", "New\0Person").formParam("password", "a-long-enough-password")
                .post("/app/admin/users").then().statusCode(422).body(containsString("displayName"));
        staff().formParam("form-token", csrf).formParam("purchasingName", "Desk\0").formParam("purchasingEmail", "")
                .formParam("purchasingPhone", "").post("/app/admin/purchasing").then().statusCode(422);
        staff().formParam("form-token", csrf).formParam("name", "Vendor\0B").formParam("contact", "b@vendor.example")
                .post("/app/orders/" + reference + "/links").then().statusCode(422);
        // JSON strings and CSV cells
        api().contentType(ContentType.JSON).body(
                "{\"reference\":\"R-NUL\",\"vendor\":{\"name\":\"V\\u0000X\"},\"lines\":[{\"sku\":\"S\",\"quantity\":1}]}")
                .post("/api/v1/purchase-orders").then().statusCode(422)
                .body("errors[0].field", org.hamcrest.Matchers.is("vendor.name"));
        api().contentType("text/csv").body("reference,vendor_name,sku,quantity\nR-NUL2,V\0X,S,1\n")
                .post("/api/v1/purchase-orders/import").then().statusCode(422)
                .body("errors[0].column", org.hamcrest.Matchers.is("vendor_name"));

        String page = staff().get("/app/admin").asString();
        assertTrue(!page.contains("key\0one") && !page.contains("New\0Person") && !page.contains("new\0@"),
                "nothing with a NUL was stored");
        api().get("/api/v1/purchase-orders/R-NUL").then().statusCode(404);
    }

    @Test
    void hugeOrScientificNumbersAre422InJsonCsvAndForms() {
        for (String n : BAD_NUMBERS) {
            String ref = Fixtures.uniqueReference();
            int json = api().contentType(ContentType.JSON)
                    .body("{\"reference\":\"" + ref
                            + "\",\"vendor\":{\"name\":\"V\"},\"lines\":[{\"sku\":\"S\",\"quantity\":" + n + "}]}")
                    .post("/api/v1/purchase-orders").then().extract().statusCode();
            assertTrue(json == 400 || json == 422, "JSON number " + abbreviated(n) + ": " + json);
            api().contentType(ContentType.JSON)
                    .body(Map.of("reference", ref, "vendor", Map.of("name", "V"), "lines",
                            List.of(Map.of("sku", "S", "quantity", n))))
                    .post("/api/v1/purchase-orders").then().statusCode(422)
                    .body("errors[0].field", org.hamcrest.Matchers.is("lines[0].quantity"));
            api().contentType("text/csv").body("reference,vendor_name,sku,quantity\n" + ref + ",V,S," + n + "\n")
                    .post("/api/v1/purchase-orders/import").then().statusCode(422)
                    .body("created", org.hamcrest.Matchers.is(0));
            api().get("/api/v1/purchase-orders/" + ref).then().statusCode(404);

            staff().formParam("form-token", csrf).formParam("pendingResponseHours", n).formParam("staleDays", n)
                    .post("/app/admin/settings").then().statusCode(422).body(containsString("pendingResponseHours"));
            staff().formParam("form-token", csrf).formParam("enabled", "true").formParam("remindAfterHours", n)
                    .formParam("reconfirmDaysBefore", "2").formParam("maxReminders", "3").post("/app/admin/reminders")
                    .then().statusCode(422);
            staff().formParam("form-token", csrf).formParam("name", "X").formParam("country", "GB")
                    .formParam("timeZone", "Europe/London").formParam("linkExpiryDays", n).post("/app/admin/profile")
                    .then().statusCode(422).body(containsString("linkExpiryDays"));
            staff().formParam("form-token", csrf).formParam("version", n).formParam("reason", "")
                    .post("/app/orders/" + reference + "/cancel").then().statusCode(422)
                    .body(containsString("version: must be a whole number"));
        }
        assertOrderStillPending();
    }

    @Test
    void aFormOfTwoHundredThousandFieldsIs413AndChangesNothing() {
        StringBuilder body = new StringBuilder("form-token=" + csrf + "&pendingResponseHours=1&staleDays=1");
        for (int i = 0; i < 200_000; i++) {
            body.append("&f").append(i).append("=1");
        }
        staff().contentType("application/x-www-form-urlencoded").body(body.toString()).post("/app/admin/settings")
                .then().statusCode(413).body(containsString("too many fields"));
        staff().get("/app/admin").then().statusCode(200).body(not(containsString("name=\"staleDays\" value=\"1\"")));
        // the vendor pages too: the same answer, before any rule runs
        String link = Fixtures.createOrderWithLink(tenant.apiKey(), Fixtures.uniqueReference(), "many@vendor.example");
        given().contentType("application/x-www-form-urlencoded").body(body.toString()).redirects().follow(false)
                .post(link + "/orders/" + reference + "/note").then().statusCode(413);
    }

    /**
     * Half of a UTF-16 surrogate pair in JSON ("\\ud800" alone) is no character: PostgreSQL would store it as "?",
     * changing the name unsaid (and merging the vendor with a real "N?"). Refused naming the field; a whole character
     * beyond U+FFFF (an emoji, "\\ud83d\\ude9a") is kept.
     */
    @Test
    void halfASurrogatePairIsRefusedNamingTheFieldAndAWholeOneIsKept() {
        String order = """
                {"reference":"%s","vendor":{"name":"%s","email":"half@vendor.example"},"deliveryAddress":"1 Road",
                 "requestedDate":"2030-01-01","lines":[{"sku":"A","description":"%s","quantity":"1","unit":"pcs",
                 "unitPrice":"1","currency":"GBP"}]}""";
        api().contentType("application/json").body(order.formatted(reference + "-H", "N\\ud800", "Bolt"))
                .post("/api/v1/purchase-orders").then().statusCode(422)
                .body("errors[0].field", containsString("vendor"))
                .body("errors[0].message", containsString("half of a character"));
        api().contentType("application/json").body(order.formatted(reference + "-I", "North", "Bolt \\udc00x"))
                .post("/api/v1/purchase-orders").then().statusCode(422)
                .body("errors[0].message", containsString("half of a character"));
        api().get("/api/v1/purchase-orders/" + reference + "-H").then().statusCode(404);
        api().contentType("application/json").body(order.formatted(reference + "-J", "Truck \\ud83d\\ude9a", "Bolt"))
                .post("/api/v1/purchase-orders").then().statusCode(201);
    }

    /** A multipart body cut off before its closing boundary: read by the framework before any endpoint runs. */
    @Test
    void aCutOffMultipartBodyIs400AndChangesNothing() {
        byte[] cut = "--zz\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhal"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String link = Fixtures.createOrderWithLink(tenant.apiKey(), reference + "-M", "cut@vendor.example");
        for (String path : List.of(link + "/orders/" + reference + "-M/note", link + "/request-link",
                "/t/pt_x/request-link")) {
            given().contentType("multipart/form-data; boundary=zz").body(cut).redirects().follow(false).post(path)
                    .then().statusCode(400).body(containsString("could not be read")).body(not(containsString("at ")));
        }
        api().contentType("multipart/form-data; boundary=zz").body(cut).post("/api/v1/shipments/SH-NONE/photos").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("closing boundary"));
    }

    @Test
    void formsWithoutTheirFieldsAnswerWhatIsMissingAndChangeNothing() {
        String order = "/app/orders/" + reference;
        Map<String, String> missing = Map.ofEntries(Map.entry(order + "/cancel", "version"),
                Map.entry(order + "/mark-sent", "how"), Map.entry(order + "/links/1/expiry", "expires"),
                Map.entry("/app/links/send", "token, reference"), Map.entry("/app/import/send", "action"),
                Map.entry("/app/admin/purchasing", "Purchasing name, purchasing email, purchasing phone"),
                Map.entry("/app/admin/users/1/role", "role"), Map.entry("/app/admin/users/1/enabled", "enabled"));
        for (var route : missing.entrySet()) {
            int status = staff().formParam("form-token", csrf).post(route.getKey()).then()
                    .body(containsString(route.getValue())).body(containsString("missing")).extract().statusCode();
            assertTrue(status == 400 || status == 422, route.getKey() + " answered " + status);
        }
        // the forms whose rules already require their fields say which
        for (String route : List.of("/app/admin/users", "/app/admin/users/invite", "/app/admin/settings",
                "/app/admin/reminders", "/app/admin/profile", "/app/admin/api-keys", "/app/admin/users/1/password",
                order + "/links")) {
            int status = staff().formParam("form-token", csrf).post(route).then().extract().statusCode();
            assertTrue(status == 400 || status == 422 || status == 404, route + " answered " + status);
        }
        assertOrderStillPending();
        staff().get(order).then().statusCode(200).body(not(containsString("marked as sent")));
    }

    private void assertOrderStillPending() {
        String status = api().get("/api/v1/purchase-orders/" + reference).then().statusCode(200).extract()
                .path("status");
        assertEquals("PENDING", status, "nothing changed the order");
    }

    private static String abbreviated(String n) {
        return n.length() > 20 ? n.substring(0, 20) + "…" : n;
    }

    /**
     * The error page of an address that is no page ({@code /v} without its slash, {@code /robots.txt}) carries a CSP
     * and is not framed, as every page is.
     */
    @Test
    void errorPagesOfOtherAddressesCarryTheSecurityHeaders() {
        for (String path : List.of("/v", "/robots.txt")) {
            var page = given().redirects().follow(false).get(path);
            assertEquals(404, page.statusCode(), path);
            assertEquals("DENY", page.header("X-Frame-Options"), path);
            assertTrue(page.header("Content-Security-Policy").contains("frame-ancestors 'none'"), path);
        }
    }
}
