package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.FORM_TOKEN;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.portlink.purchasing.PurchaseOrder;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;

/**
 * The staff order form and cancel as reviews found them: an amendment saved over a colleague's keeps the colleague's
 * changes, a full form fits the body limits, only a save button saves, a second cancel is answered as done, the
 * timeline says how an order was made, and the new-order form's reference, vendor fields and date.
 */
@QuarkusTest
class StaffOrderFormReviewTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    private static Response post(CookieFilter staff, String path, Map<String, List<String>> fields) {
        var request = given().filter(staff).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam(FORM_TOKEN, csrf(staff, "/app/orders/new"));
        for (var field : fields.entrySet()) {
            request = request.formParam(field.getKey(), field.getValue().toArray());
        }
        return request.post(path);
    }

    private static Map<String, List<String>> order(String reference, String send, String... quantities) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("reference", List.of(reference));
        form.put("vendorId", List.of(""));
        form.put("vendorName", List.of("Review Vendor " + reference));
        form.put("vendorEmail", List.of(reference.toLowerCase() + "@vendor.example"));
        List<String> sku = new ArrayList<>();
        for (int i = 1; i <= quantities.length; i++) {
            sku.add("SKU-" + i);
        }
        form.put("sku", sku);
        form.put("description", Collections.nCopies(quantities.length, "Part"));
        form.put("quantity", List.of(quantities));
        form.put("unit", Collections.nCopies(quantities.length, "pcs"));
        form.put("unitPrice", Collections.nCopies(quantities.length, "2"));
        form.put("currency", Collections.nCopies(quantities.length, "GBP"));
        form.put("requestedDate", List.of("2027-01-20"));
        form.put("send", List.of(send));
        form.put("do", List.of("create"));
        return form;
    }

    private static String html(String text) {
        return text.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    /** The fields a browser would post from the page's order form (inputs, textareas, selected options). */
    private static Map<String, List<String>> fieldsOf(String page) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        Matcher input = Pattern.compile("<input ([^>]*)>").matcher(page);
        while (input.find()) {
            Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(input.group(1));
            Matcher value = Pattern.compile("value=\"([^\"]*)\"").matcher(input.group(1));
            if (name.find() && !name.group(1).equals(FORM_TOKEN)) {
                fields.computeIfAbsent(name.group(1), k -> new ArrayList<>())
                        .add(value.find() ? html(value.group(1)) : "");
            }
        }
        Matcher area = Pattern.compile("<textarea [^>]*name=\"([^\"]*)\"[^>]*>(.*?)</textarea>", Pattern.DOTALL)
                .matcher(page);
        while (area.find()) {
            fields.computeIfAbsent(area.group(1), k -> new ArrayList<>()).add(html(area.group(2)));
        }
        Matcher select = Pattern.compile("<select [^>]*name=\"([^\"]*)\"[^>]*>(.*?)</select>", Pattern.DOTALL)
                .matcher(page);
        while (select.find()) {
            Matcher chosen = Pattern.compile("<option value=\"([^\"]*)\" selected>").matcher(select.group(2));
            fields.computeIfAbsent(select.group(1), k -> new ArrayList<>()).add(chosen.find() ? chosen.group(1) : "");
        }
        return fields;
    }

    private static List<String> quantities(String apiKey, String reference) {
        return given().header("Authorization", "Bearer " + apiKey).get("/api/v1/purchase-orders/" + reference).then()
                .statusCode(200).extract().path("lines.quantity");
    }

    @Test
    void anAmendmentSavedOverAColleaguesKeepsTheirChangesAndMarksWhatBothChanged() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter a = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        CookieFilter b = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String reference = uniqueReference();
        post(a, "/app/orders/new", order(reference, "NONE", "500", "10", "20")).then().statusCode(200);

        // two tabs open the amendment of revision 1
        var tabA = fieldsOf(given().filter(a).get("/app/orders/" + reference + "/amend").then().statusCode(200)
                .extract().asString());
        var tabB = fieldsOf(given().filter(b).get("/app/orders/" + reference + "/amend").then().statusCode(200)
                .extract().asString());
        assertEquals(List.of("500", "10", "20"), tabB.get("quantity"));

        tabA.put("quantity", List.of("600", "10", "20"));
        tabA.put("unitPrice", List.of("2", "2", "3"));
        tabA.put("do", List.of("save"));
        post(a, "/app/orders/" + reference + "/amend", tabA).then().statusCode(303);

        tabB.put("quantity", List.of("500", "10", "700"));
        tabB.put("unitPrice", List.of("2", "2", "4"));
        tabB.put("do", List.of("save"));
        String stale = post(b, "/app/orders/" + reference + "/amend", tabB).then().statusCode(409).extract().asString();
        // the form now shows A's line 1 and B's own line 3; both changed line 3's price: B's value, marked
        var again = fieldsOf(stale);
        assertEquals(List.of("600", "10", "700"), again.get("quantity"), stale);
        assertEquals(List.of("2", "2", "4"), again.get("unitPrice"));
        assertEquals(List.of("2"), again.get("revision"), "the next save is over revision 2");
        assertTrue(stale.contains("Line 1, quantity: &quot;500&quot; → &quot;600&quot;"), stale);
        assertTrue(stale.contains("Line 3, unit price: you typed &quot;4&quot;, they saved &quot;3&quot;"), stale);
        assertTrue(stale.contains("id=\"line-3-unitPrice\" name=\"unitPrice\" value=\"4\" size=\"10\""
                + " aria-label=\"Line 3, unit price\" aria-invalid=\"true\""), stale);
        assertEquals(List.of("600", "10", "20"), quantities(tenant.apiKey(), reference), "nothing of B saved yet");

        // saving again no longer reverts A's change
        again.put("do", List.of("save"));
        post(b, "/app/orders/" + reference + "/amend", again).then().statusCode(303);
        assertEquals(List.of("600", "10", "700"), quantities(tenant.apiKey(), reference));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference).then()
                .body("lines[2].unitPrice", equalTo("4")).body("revision", equalTo(3));
    }

    @Test
    void aFullFormOfTheMostLinesStillComesBackWithEverythingTyped() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String[] quantities = new String[StaffOrderForm.MAX_LINES];
        java.util.Arrays.fill(quantities, "3");
        var form = order(uniqueReference(), "NONE", quantities);
        form.put("do", List.of("add"));
        var answer = post(staff, "/app/orders/new", form);
        String page = answer.asString();
        assertEquals(422, answer.statusCode(), page);
        assertTrue(page.contains("The form holds at most 100 lines"), "said, not a 413");
        assertTrue(page.contains("id=\"line-100-sku\" name=\"sku\" value=\"SKU-100\""), "what was typed is kept");
        assertFalse(page.contains("id=\"line-101-sku\""));

        // a full amendment (8 fields a line) fits too
        String reference = uniqueReference();
        post(staff, "/app/orders/new", order(reference, "NONE", quantities)).then().statusCode(200);
        var amend = fieldsOf(given().filter(staff).get("/app/orders/" + reference + "/amend").then().statusCode(200)
                .extract().asString());
        assertEquals(StaffOrderForm.MAX_LINES, amend.get("origin").size());
        amend.put("do", List.of("add"));
        var again = post(staff, "/app/orders/" + reference + "/amend", amend);
        assertEquals(422, again.statusCode(), again.asString());
        amend.put("do", List.of("save"));
        post(staff, "/app/orders/" + reference + "/amend", amend).then().statusCode(303).header("Location",
                containsString("done=amend-unchanged"));
    }

    @Test
    void onlyASaveButtonSavesAnythingElseShowsTheFormAgain() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        for (String action : new String[] { "remove--1", "remove-99999", "REMOVE-1", "garbage", "", "create " }) {
            String reference = uniqueReference();
            var form = order(reference, "PO_AND_LINK", "1", "2");
            form.put("do", List.of(action));
            String page = post(staff, "/app/orders/new", form).then().statusCode(200).extract().asString();
            assertTrue(page.contains("id=\"line-2-quantity\" name=\"quantity\" value=\"2\""), action);
            given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference)
                    .then().statusCode(404);
        }
        String reference = uniqueReference();
        var form = order(reference, "NONE", "1");
        form.remove("do");
        post(staff, "/app/orders/new", form).then().statusCode(200).body(containsString("id=\"order-form\""));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference).then()
                .statusCode(404);
    }

    private static String version(String page) {
        Matcher m = Pattern.compile("name=\"version\" value=\"(\\d+)\"").matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }

    /**
     * The vendor writes a note while staff type a cancel reason: the cancel is refused (staff decide on the order as it
     * is now), and the page opens the cancel form again with the reason typed and the order's new state, so a second
     * click cancels.
     */
    @Test
    void aCancelOverTakenByTheVendorKeepsTheReasonAndCancelsOnTheNextClick() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String reference = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), reference, "slow@vendor.example");
        String version = version(given().filter(staff).get("/app/orders/" + reference).then().extract().asString());
        assertEquals(303, new io.portlink.testing.PortalClient(link)
                .act(reference, "note", Map.of("note", "Can we ship next week?")).statusCode());

        String refused = io.portlink.testing.StaffClient.postForm(staff, "/app/orders/" + reference,
                "/app/orders/" + reference + "/cancel", "version", version, "reason", "found a faster supplier")
                .statusCode(409).extract().asString();
        assertTrue(refused.contains("The order changed while you were cancelling it; nothing was cancelled."), refused);
        assertTrue(refused.contains("value=\"found a faster supplier\""), "the reason typed is kept");
        assertTrue(refused.contains("Can we ship next week?"), "the vendor's note is on the page");
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference).then()
                .body("status", org.hamcrest.Matchers.not(equalTo("CANCELLED")));

        io.portlink.testing.StaffClient
                .postForm(staff, "/app/orders/" + reference, "/app/orders/" + reference + "/cancel", "version",
                        version(refused), "reason", "found a faster supplier")
                .statusCode(303).header("Location", containsString("done=cancelled"));
    }

    @Test
    void aSecondCancelIsDoneOnceAndAnotherReasonIsToldWhenWhoAndWhy() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String reference = uniqueReference();
        createOrderWithLink(tenant.apiKey(), reference, "cancel@vendor.example");
        String version = version(given().filter(staff).get("/app/orders/" + reference).then().extract().asString());

        io.portlink.testing.StaffClient.postForm(staff, "/app/orders/" + reference,
                "/app/orders/" + reference + "/cancel", "version", version, "reason", "ordered twice").statusCode(303)
                .header("Location", containsString("done=cancelled"));
        // the double click: the same form again
        io.portlink.testing.StaffClient
                .postForm(staff, "/app/orders/" + reference, "/app/orders/" + reference + "/cancel", "version", version,
                        "reason", "ordered twice")
                .statusCode(303).header("Location", containsString("done=already-cancelled"));
        given().filter(staff).get("/app/orders/" + reference + "?done=already-cancelled").then().statusCode(200)
                .body(containsString("already cancelled with this reason"));
        List<String> types = given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders/" + reference).then().extract().path("timeline.type");
        assertEquals(1, types.stream().filter("CANCELLED"::equals).count(), "" + types);

        String other = io.portlink.testing.StaffClient.postForm(staff, "/app/orders/" + reference,
                "/app/orders/" + reference + "/cancel", "version", version, "reason", "vendor too slow").statusCode(409)
                .extract().asString();
        assertTrue(other.contains("is already cancelled (on "), other);
        assertFalse(other.contains(" UTC by "), "the organisation's date and time, as its pages write them: " + other);
        assertTrue(other.contains(" by " + tenant.adminEmail() + ", reason: ordered twice); nothing was changed"),
                other);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference).then()
                .body("cancelReason", equalTo("ordered twice"));
    }

    @Test
    void theTimelineSaysAnOrderWrittenInTheFormWasCreatedAndAnImportedOneImported() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String typed = uniqueReference();
        post(staff, "/app/orders/new", order(typed, "NONE", "1")).then().statusCode(200);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + typed).then()
                .body("timeline.type", org.hamcrest.Matchers.hasItem("CREATED"))
                .body("timeline.type", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("IMPORTED")));
        given().filter(staff).get("/app/orders/" + typed).then()
                .body(containsString("<strong>created</strong> by " + tenant.adminEmail()))
                .body(org.hamcrest.Matchers.not(containsString("<strong>imported</strong>")));

        String sent = uniqueReference();
        createOrderWithLink(tenant.apiKey(), sent, "api@vendor.example");
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + sent).then()
                .body("timeline.type", org.hamcrest.Matchers.hasItem("IMPORTED"));
    }

    @Test
    void theNewOrderFormProposesAReferenceFoldsTheNewVendorAndRefusesAPastDate() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String first = given().filter(staff).get("/app/orders/new").then().statusCode(200).extract().asString();
        assertTrue(first.contains("id=\"reference\" name=\"reference\" value=\"PO-0001\""), first);
        assertTrue(first.contains("<details class=\"new-vendor\" id=\"new-vendor-details\">"), "closed");
        assertTrue(first.contains("<summary id=\"add-new-vendor\">Add a new vendor instead</summary>"));

        String base = "RV" + tenant.id() + "-0041";
        post(staff, "/app/orders/new", order(base, "NONE", "1")).then().statusCode(200);
        String next = given().filter(staff).get("/app/orders/new").then().extract().asString();
        assertTrue(next.contains("name=\"reference\" value=\"RV" + tenant.id() + "-0042\""), "the next free one");

        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        var past = order(uniqueReference(), "NONE", "1");
        past.put("requestedDate", List.of(today.minusDays(1).toString()));
        String refused = post(staff, "/app/orders/new", past).then().statusCode(422).extract().asString();
        String written = io.portlink.platform.Locales.Format.of("GB", "Europe/London", "en").date(today);
        assertTrue(refused.contains("Requested date: is in the past; choose today (" + written + ") or a later date"),
                refused);
        assertTrue(refused.contains("<details class=\"new-vendor\" id=\"new-vendor-details\" open>"),
                "what was typed in it shows");
        var todays = order(uniqueReference(), "NONE", "1");
        todays.put("requestedDate", List.of(today.toString()));
        post(staff, "/app/orders/new", todays).then().statusCode(200);

        // an amendment may keep a date that has passed, not set another past one
        setRequestedDate(tenant.id(), base, today.minusDays(10));
        var amend = fieldsOf(given().filter(staff).get("/app/orders/" + base + "/amend").then().extract().asString());
        assertEquals(List.of(today.minusDays(10).toString()), amend.get("requestedDate"));
        amend.put("do", List.of("save"));
        amend.put("quantity", List.of("5"));
        post(staff, "/app/orders/" + base + "/amend", amend).then().statusCode(303);
        amend = fieldsOf(given().filter(staff).get("/app/orders/" + base + "/amend").then().extract().asString());
        amend.put("do", List.of("save"));
        amend.put("requestedDate", List.of(today.minusDays(2).toString()));
        String page = post(staff, "/app/orders/" + base + "/amend", amend).then().statusCode(422).extract().asString();
        assertTrue(page.contains("Requested date: is in the past"), page);
        assertFalse(page.contains("id=\"stale\""));
    }

    @Transactional
    void setRequestedDate(long organizationId, String reference, LocalDate date) {
        PurchaseOrder.findByReference(organizationId, reference).orElseThrow().requestedDate = date;
    }
}
