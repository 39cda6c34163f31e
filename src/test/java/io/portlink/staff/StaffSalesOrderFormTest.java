package io.portlink.staff;

import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * A sales order typed in on the staff page (an order taken by phone): created with the API's rules and the
 * organisation's decimal mark, empty lines left out, every problem named by the label on the page with what was typed
 * kept, the same order sent twice created once, a taken reference refused without saving, and more lines on request.
 */
@QuarkusTest
class StaffSalesOrderFormTest {

    @Inject
    Fixtures fixtures;

    /** The form as a browser sends it: every field of every line row, in order, empty ones too. */
    private static RequestSpecification form(CookieFilter staff, String reference, String name, String address,
            List<String> skus, List<String> quantities, List<String> prices) {
        var request = given().filter(staff).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("form-token", csrf(staff, "/app/sales-orders/new")).formParam("reference", reference)
                .formParam("name", name).formParam("company", "").formParam("address", address)
                .formParam("phone", "+49 30 1234567").formParam("shippingMethod", "").formParam("internalNote", "");
        for (int i = 0; i < skus.size(); i++) {
            request = request.formParam("sku", skus.get(i)).formParam("description", "")
                    .formParam("quantity", quantities.get(i)).formParam("unitPrice", prices.get(i));
        }
        return request;
    }

    private static ValidatableResponse create(CookieFilter staff, String reference, String name, String address,
            List<String> skus, List<String> quantities, List<String> prices) {
        return form(staff, reference, name, address, skus, quantities, prices).formParam("do", "save")
                .post("/app/sales-orders/new").then();
    }

    @Test
    void anOrderTypedInIsCreatedWithTheOrganisationsDecimalMarkAndOnlyOnce() {
        Fixtures.Tenant de = fixtures.tenant("DE");
        CookieFilter staff = signIn(de.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).get("/app/sales-orders").then().statusCode(200)
                .body(containsString("href=\"/app/sales-orders/new\""));
        String empty = given().filter(staff).get("/app/sales-orders/new").then().statusCode(200).extract().asString();
        assertEquals(5, Pattern.compile("class=\"line-row\"").matcher(empty).results().count());
        assertTrue(empty.contains("e.g. 4,50"), "the price is asked as the organisation writes it");

        String ref = "SO-PHONE-" + de.id();
        List<String> skus = List.of("MUG-1", "", "CUP-2", "", "");
        List<String> quantities = List.of("2", "", "1", "", "");
        List<String> prices = List.of("4,50", "", "", "", "");
        create(staff, ref, "Jana Kunde", "Hauptstraße 1\n10115 Berlin", skus, quantities, prices).statusCode(303)
                .header("Location", containsString("/app/sales-orders/" + ref + "?done=created"));
        given().filter(staff).get("/app/sales-orders/" + ref + "?done=created").then().statusCode(200)
                .body(containsString("The sales order is created."));
        given().header("Authorization", "Bearer " + de.apiKey()).get("/api/v1/sales-orders/" + ref).then()
                .statusCode(200).body("channel", equalTo("STAFF")).body("shipToName", equalTo("Jana Kunde"))
                .body("shipToAddress", equalTo("Hauptstraße 1\n10115 Berlin")).body("lines", hasSize(2))
                .body("lines[0].sku", equalTo("MUG-1")).body("lines[0].quantity", equalTo(2))
                .body("lines[0].unitPrice", org.hamcrest.Matchers.hasToString("4.5"))
                .body("lines[1].sku", equalTo("CUP-2"));

        // a double click or a reload: the same order is not made twice
        create(staff, ref, "Jana Kunde", "Hauptstraße 1\n10115 Berlin", skus, quantities, prices).statusCode(303)
                .header("Location", containsString("?done=unchanged"));
        given().header("Authorization", "Bearer " + de.apiKey()).get("/api/v1/sales-orders?q=" + ref).then()
                .body("items", hasSize(1));
        // the same reference with other lines: refused, nothing saved, the typing kept
        String taken = create(staff, ref, "Jana Kunde", "Hauptstraße 1\n10115 Berlin", List.of("MUG-1"), List.of("3"),
                List.of("")).statusCode(409).extract().asString();
        assertTrue(taken.contains("sales order " + ref + " already exists with other content; nothing was saved"),
                taken);
        assertTrue(taken.contains("value=\"3\""), taken);
        given().header("Authorization", "Bearer " + de.apiKey()).get("/api/v1/sales-orders/" + ref).then()
                .body("lines[0].quantity", equalTo(2));
    }

    @Test
    void everyProblemIsNamedByItsLineOnThePageAndWhatWasTypedStays() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        String ref = "SO-BAD-" + gb.id();
        String page = create(staff, ref, " ", "", List.of("MUG-1", "", "", "CUP-2"), List.of("2", "", "", "1,5"),
                List.of("", "", "", "abc")).statusCode(422).extract().asString();
        assertTrue(page.contains("Nothing was saved. Please fix these 4 problems"), page);
        assertTrue(page.contains("Ship-to, name: is required"), page);
        assertTrue(page.contains("Ship-to, address: is required"), page);
        // the fourth row on the page, though only the second line sent
        assertTrue(page.contains("Line 4, quantity: must be a whole number of units"), page);
        assertTrue(page.contains("Line 4, unit price:"), page);
        assertTrue(page.contains("value=\"1,5\"") && page.contains("value=\"abc\"") && page.contains("value=\"CUP-2\""),
                "what was typed stays");
        given().header("Authorization", "Bearer " + gb.apiKey()).get("/api/v1/sales-orders/" + ref).then()
                .statusCode(404);

        // no line at all
        String none = create(staff, ref, "Sam", "1 High St", List.of("", ""), List.of("", ""), List.of("", ""))
                .statusCode(422).extract().asString();
        assertTrue(none.contains("Lines: must contain at least one line"), none);
    }

    @Test
    void moreLinesKeepsWhatWasTypedAndAFormWhoseLinesDoNotPairIsRefused() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        String more = form(staff, "SO-MORE", "Sam", "1 High St", List.of("A", "", "", "", ""),
                List.of("7", "", "", "", ""), List.of("", "", "", "", "")).formParam("do", "more")
                        .post("/app/sales-orders/new").then().statusCode(200).extract().asString();
        assertEquals(10, Pattern.compile("class=\"line-row\"").matcher(more).results().count());
        assertTrue(more.contains("id=\"line-1-quantity\" name=\"quantity\" value=\"7\""), more);
        assertTrue(more.contains("value=\"SO-MORE\""), more);

        String refused = given().filter(staff).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("form-token", csrf(staff, "/app/sales-orders/new")).formParam("reference", "SO-ODD")
                .formParam("name", "Sam").formParam("address", "1 High St").formParam("sku", "A", "B")
                .formParam("quantity", "1").formParam("description", "", "").formParam("unitPrice", "", "")
                .formParam("do", "save").post("/app/sales-orders/new").then().statusCode(422).extract().asString();
        assertTrue(refused.contains("could not be read"), refused);
        given().header("Authorization", "Bearer " + gb.apiKey()).get("/api/v1/sales-orders/SO-ODD").then()
                .statusCode(404);
    }
}
