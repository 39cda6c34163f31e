package io.portlink.purchasing;

import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * The order search through the API and the staff list: part of a reference, a line's SKU or description, a vendor, date
 * ranges, each alone and combined with one another and with status, bucket and paging; never another organisation's
 * order; what an empty list says.
 */
@QuarkusTest
class OrderSearchTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;
    Fixtures.Tenant other;
    String tag;
    String alpha;
    String beta;
    String gamma;
    String foreign;
    LocalDate firstDay;
    LocalDate laterDay;
    String gammaLink;

    @BeforeEach
    void orders() {
        tenant = fixtures.tenant("GB");
        other = fixtures.tenant("GB");
        tag = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        alpha = "PO-" + tag + "-ALPHA";
        beta = "PO-" + tag + "-BETA";
        gamma = "PO-" + tag + "-GAMMA";
        foreign = "PO-" + tag + "-ALPHA-X";
        ZoneId london = ZoneId.of("Europe/London");
        firstDay = LocalDate.ofInstant(clock.instant(), london);
        create(tenant, alpha, "Northwind Traders", "north@vendor.example", "2026-07-01", "BR-100" + tag,
                "Steel bracket");
        clock.advance(Duration.ofDays(3));
        laterDay = LocalDate.ofInstant(clock.instant(), london);
        create(tenant, beta, "Contoso Parts", "contoso@vendor.example", "2026-08-15", "HX-8" + tag, "Hex bolt M8");
        gammaLink = create(tenant, gamma, "Northwind Traders", "north@vendor.example", "2026-09-01", "WASH-1" + tag,
                "Washer 8 mm");
        // another organisation with the same words everywhere
        create(other, foreign, "Northwind Traders", "north@vendor.example", "2026-08-15", "BR-100" + tag,
                "Hex bolt M8");
    }

    /** Creates an order and answers its vendor link (path only). */
    static String create(Fixtures.Tenant tenant, String reference, String vendor, String email, String requested,
            String sku, String description) {
        String url = Fixtures
                .post(tenant.apiKey(), Map.of("reference", reference, "vendor", Map.of("name", vendor, "email", email),
                        "requestedDate", requested, "lines",
                        List.of(Map.of("sku", sku, "description", description, "quantity", "10", "unitPrice", "2.5",
                                "currency", "GBP"), Map.of("sku", "EXTRA-" + reference, "quantity", "1"))))
                .statusCode(201).extract().path("vendorLink.url");
        return url.substring(url.indexOf("/v/"));
    }

    /** The references the API lists for these parameters (name, value pairs), all pages of 200. */
    private List<String> found(Fixtures.Tenant who, String... parameters) {
        var request = given().header("Authorization", "Bearer " + who.apiKey()).queryParam("size", 200);
        for (int i = 0; i < parameters.length; i += 2) {
            request = request.queryParam(parameters[i], parameters[i + 1]);
        }
        return request.get("/api/v1/purchase-orders").then().statusCode(200).extract().jsonPath()
                .getList("items.reference", String.class);
    }

    @Test
    void partOfAReferenceInAnyCase() {
        assertEquals(List.of(alpha), found(tenant, "q", tag.toLowerCase() + "-alp"));
        assertEquals(List.of(beta), found(tenant, "q", "ref:" + tag + "-BET"));
        assertEquals(List.of(gamma, beta, alpha), found(tenant, "q", tag), "newest first, all three");
    }

    @Test
    void partOfALineSkuOrDescription() {
        assertEquals(List.of(alpha), found(tenant, "q", "br-100" + tag.toLowerCase()));
        assertEquals(List.of(beta), found(tenant, "q", "sku:HX-8" + tag));
        assertEquals(List.of(beta), found(tenant, "q", "\"hex bolt\""));
        assertEquals(List.of(), found(tenant, "q", "\"bolt hex\""), "a phrase keeps its order");
        assertEquals(List.of(gamma), found(tenant, "q", "desc:washer"));
        assertEquals(List.of(), found(tenant, "q", "desc:WASH-1" + tag), "desc: does not look at the SKU");
    }

    @Test
    void anImportedOrderIsFoundByPartOfALine() {
        String imported = "PO-" + tag + "-CSV";
        String csv = "reference,vendor_name,vendor_email,sku,description,quantity,unit,unit_price,currency\n" + imported
                + ",Fabrikam,orders@fabrikam.example,QZ-77" + tag + ",Copper flange 40 mm,3,pcs,1.5,GBP\n" + imported
                + ",Fabrikam,orders@fabrikam.example,QZ-78" + tag + ",Nylon gasket,4,pcs,0.5,GBP\n";
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8").body(csv)
                .post("/api/v1/purchase-orders/import?decimal=point").then().statusCode(200)
                .body("created", org.hamcrest.Matchers.equalTo(1));
        assertEquals(List.of(imported), found(tenant, "q", "sku:z-78" + tag.toLowerCase()), "part of its second SKU");
        assertEquals(List.of(imported), found(tenant, "q", "\"per flan\""), "part of a description");
        assertEquals(List.of(imported), found(tenant, "q", "gask " + tag), "a word of a line and of the reference");
        assertEquals(List.of(), found(other, "q", "sku:QZ-77" + tag), "not in another organisation");
    }

    @Test
    void vendorByPartOfItsName() {
        assertEquals(List.of(gamma, alpha), found(tenant, "vendor", "northw"));
        assertEquals(List.of(beta), found(tenant, "q", "vendor:contoso"));
        assertEquals(List.of(gamma, alpha), found(tenant, "q", "TRADERS"));
    }

    @Test
    void wordsAndFieldsCombineWithAnd() {
        assertEquals(List.of(alpha), found(tenant, "q", "northwind bracket"));
        assertEquals(List.of(gamma), found(tenant, "q", "sku:wash vendor:north"));
        assertEquals(List.of(alpha), found(tenant, "q", "bracket", "vendor", "Northwind"));
        assertEquals(List.of(), found(tenant, "q", "bracket", "vendor", "Contoso"));
        assertEquals(List.of(gamma, alpha), found(tenant, "q", tag, "vendor", "north", "status", "PENDING"));
        assertEquals(List.of(), found(tenant, "q", tag, "status", "DELIVERED"));
        assertEquals(List.of(alpha, beta, gamma), found(tenant, "q", tag, "sort", "REFERENCE"));
    }

    @Test
    void likeWildcardsAreLetters() {
        assertEquals(List.of(), found(tenant, "q", "%"));
        assertEquals(List.of(), found(tenant, "q", "_"));
        assertEquals(List.of(), found(tenant, "q", "!"));
    }

    @Test
    void dateRangesIncludeBothEnds() {
        assertEquals(List.of(beta), found(tenant, "requestedFrom", "2026-08-15", "requestedTo", "2026-08-15"));
        assertEquals(List.of(gamma, beta), found(tenant, "requestedFrom", "2026-08-01"));
        assertEquals(List.of(alpha), found(tenant, "requestedTo", "2026-07-31"));
        assertEquals(List.of(gamma, beta), found(tenant, "createdFrom", laterDay.toString()));
        assertEquals(List.of(alpha),
                found(tenant, "createdFrom", firstDay.toString(), "createdTo", laterDay.minusDays(1).toString()));
        assertEquals(List.of(gamma), found(tenant, "createdFrom", laterDay.toString(), "q", "north"));

        LocalDate expected = laterDay.plusDays(30);
        new PortalClient(gammaLink).act(gamma, "date", Map.of("date", expected.toString())).then().statusCode(303);
        assertEquals(List.of(gamma),
                found(tenant, "expectedFrom", expected.toString(), "expectedTo", expected.toString()));
        assertEquals(List.of(), found(tenant, "expectedTo", expected.minusDays(1).toString()));
        assertEquals(List.of(gamma), found(tenant, "expectedFrom", laterDay.toString(), "requestedFrom", "2026-09-01"));
        assertEquals(List.of(), found(tenant, "expectedFrom", laterDay.toString(), "requestedTo", "2026-08-31"));
    }

    @Test
    void anotherOrganisationsOrdersNeverAppear() {
        for (String[] search : List.of(new String[] { "q", tag }, new String[] { "q", "br-100" + tag },
                new String[] { "q", "hex bolt" }, new String[] { "vendor", "northwind" },
                new String[] { "requestedFrom", "2026-08-15", "requestedTo", "2026-08-15" })) {
            List<String> mine = found(tenant, search);
            assertFalse(mine.contains(foreign), String.join("=", search) + " lists " + mine);
            assertFalse(
                    found(other, search).stream().anyMatch(r -> r.startsWith("PO-" + tag + "-") && !r.equals(foreign)),
                    "the other organisation sees only its own");
        }
        assertEquals(List.of(foreign), found(other, "q", tag));
    }

    @Test
    void pagesOfASearch() {
        var first = given().header("Authorization", "Bearer " + tenant.apiKey()).queryParam("q", tag)
                .queryParam("size", 2).get("/api/v1/purchase-orders").then().statusCode(200).extract().jsonPath();
        assertEquals(3, first.getInt("total"));
        assertEquals(List.of(gamma, beta), first.getList("items.reference"));
        var second = given().header("Authorization", "Bearer " + tenant.apiKey()).queryParam("q", tag)
                .queryParam("size", 2).queryParam("page", 1).get("/api/v1/purchase-orders").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(alpha), second.getList("items.reference"));

        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).queryParam("q", tag).get("/app/orders").then().statusCode(200).extract()
                .asString();
        assertTrue(page.contains("3 orders"), "the count of the search");
        assertTrue(page.contains("data-reference=\"" + alpha + "\""));
    }

    @Test
    void wrongInputIsNamedEveryProblemAtOnce() {
        given().header("Authorization", "Bearer " + tenant.apiKey()).queryParam("createdFrom", "2026-13-01")
                .queryParam("requestedFrom", "2026-09-01").queryParam("requestedTo", "2026-08-01")
                .queryParam("q", "a b c d e f g h i").get("/api/v1/purchase-orders").then().statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.hasItems("createdFrom", "requestedTo", "q"));

        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).queryParam("createdFrom", "13/01/2026").queryParam("q", tag).get("/app/orders").then()
                .statusCode(400)
                .body(containsString(
                        "Created from: must be a date written YYYY-MM-DD, like 2026-03-31 (got &quot;13/01/2026&quot;)"))
                .body(containsString("value=\"13/01/2026\"")).body(containsString("data-reference=\"" + alpha + "\""));
    }

    @Test
    void anEmptyListSaysWhatToTry() {
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).queryParam("q", "zzqx").get("/app/orders").then().statusCode(200).body(containsString(
                "No order matches &#39;zzqx&#39; in reference, SKU, description or vendor." + " Try fewer letters."));
        given().filter(staff).queryParam("q", "zzqx").queryParam("createdFrom", "2026-01-01").get("/app/orders").then()
                .statusCode(200).body(containsString("Try fewer letters, or clear the dates."));
        given().filter(staff).queryParam("q", "sku:zzqx").get("/app/orders").then()
                .body(containsString("No order matches &#39;sku:zzqx&#39; in SKU."));
        given().filter(staff).queryParam("requestedFrom", "2030-01-01").get("/app/orders").then()
                .body(containsString("No order has its dates in these ranges. Try wider dates, or clear them."));
        String all = given().filter(staff).get("/app/orders").asString();
        assertFalse(all.contains("id=\"empty\""), "a list with orders says nothing of the kind");
        List<String> none = new ArrayList<>(found(tenant, "q", "zzqx"));
        assertTrue(none.isEmpty());
    }
}
