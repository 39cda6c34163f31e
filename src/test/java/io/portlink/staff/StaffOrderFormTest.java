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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.portlink.organization.Organization;
import io.portlink.purchasing.OrderForms;
import io.portlink.purchasing.Vendors;
import io.portlink.testing.Fixtures;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;

/**
 * The staff order form over HTTP, for what a browser test would not reach: hand-made forms, conventions, retries, the
 * bounded vendor list, closed orders, and the staff CSP. The clicks themselves are in
 * {@link StaffOrderFormBrowserTest}.
 */
@QuarkusTest
class StaffOrderFormTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Vendors vendors;

    @Inject
    OrderForms forms;

    @Inject
    io.portlink.purchasing.Orders orders;

    private static Response post(CookieFilter staff, String path, Map<String, List<String>> fields) {
        var request = given().filter(staff).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam(FORM_TOKEN, csrf(staff, "/app/orders/new"));
        for (var field : fields.entrySet()) {
            request = request.formParam(field.getKey(), field.getValue().toArray());
        }
        return request.post(path);
    }

    /** A complete one-line order for a new vendor, to change one field of. */
    private static Map<String, List<String>> order(String reference, String send) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("reference", List.of(reference));
        form.put("vendorId", List.of(""));
        form.put("vendorName", List.of("Form Vendor " + reference));
        form.put("vendorEmail", List.of(reference.toLowerCase() + "@vendor.example"));
        form.put("sku", List.of("BR-1"));
        form.put("description", List.of("Bracket"));
        form.put("quantity", List.of("2.5"));
        form.put("unit", List.of("m"));
        form.put("unitPrice", List.of("1234.5"));
        form.put("currency", List.of("EUR"));
        form.put("requestedDate", List.of("2027-01-20"));
        form.put("send", List.of(send));
        form.put("do", List.of("create"));
        return form;
    }

    private static List<String> problems(String page) {
        Matcher list = Pattern
                .compile("<div class=\"flash error\" role=\"alert\" id=\"errors\">.*?<ul>(.*?)</ul>", Pattern.DOTALL)
                .matcher(page);
        assertTrue(list.find(), "the page lists problems: " + page);
        return Pattern.compile("<li>(.*?)</li>").matcher(list.group(1)).results().map(m -> m.group(1)).toList();
    }

    @Test
    void everyProblemIsListedAtOnceByFieldAndLineAndNothingIsWritten() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("reference", List.of("not a reference!"));
        form.put("vendorId", List.of(""));
        form.put("vendorEmail", List.of("nobody"));
        form.put("sku", List.of("A-1", "", "", "W-2"));
        form.put("description", List.of("", "", "Washer", ""));
        form.put("quantity", List.of("1e3", "", "-4", "5"));
        form.put("unit", List.of("", "", "", ""));
        form.put("unitPrice", List.of("", "", "", "3"));
        form.put("currency", List.of("GBP", "GBP", "", ""));
        form.put("requestedDate", List.of("20/12/2027"));
        form.put("send", List.of("LINK_ONLY"));
        form.put("do", List.of("create"));

        String page = post(staff, "/app/orders/new", form).then().statusCode(422).extract().asString();
        List<String> problems = problems(page);
        assertEquals(7, problems.size(), "" + problems);
        assertTrue(problems.get(0).startsWith("Reference: must be 1 to 64 letters"), "" + problems);
        assertTrue(problems.contains("Vendor, name: is required"), "" + problems);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("Vendor, e-mail: must be an e-mail address")));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("Requested date:")), "" + problems);
        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.startsWith(
                                "Line 1, quantity: is in scientific notation; write the number in full: 1000")),
                "" + problems);
        // the blank second line is left out, and the third keeps its number
        assertTrue(problems.contains("Line 3, quantity: must be a positive number (got &quot;-4&quot;)"),
                "" + problems);
        assertTrue(problems.contains("Line 4, currency: is required when unitPrice is given"), "" + problems);
        // what was typed is still there, the wrong fields marked
        assertTrue(page.contains("value=\"not a reference!\""));
        assertTrue(page.contains("id=\"line-3-description\" name=\"description\" value=\"Washer\""));
        assertTrue(page.contains("id=\"line-1-quantity\" name=\"quantity\" value=\"1e3\""));
        assertTrue(page.contains("id=\"line-3-quantity\" name=\"quantity\" value=\"-4\" size=\"8\""
                + " aria-label=\"Line 3, quantity\" aria-invalid=\"true\""));
        assertTrue(page.contains("<option value=\"LINK_ONLY\" selected>"));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders?size=10").then()
                .body("items.size()", equalTo(0));

        // no vendor picked and none typed: said of the list the page shows, not of the folded-away new vendor's name
        form.put("vendorEmail", List.of(""));
        List<String> noVendor = problems(
                post(staff, "/app/orders/new", form).then().statusCode(422).extract().asString());
        assertTrue(noVendor.contains("Vendor: pick a vendor from the list, or add a new vendor"), "" + noVendor);
        assertTrue(noVendor.stream().noneMatch(p -> p.startsWith("Vendor, name")), "" + noVendor);
    }

    @Test
    void numberInputsAreReadWithTheirDecimalPointInACountryThatWritesAComma() {
        Fixtures.Tenant tenant = fixtures.tenant("DE");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String reference = uniqueReference();
        post(staff, "/app/orders/new", order(reference, "NONE")).then().statusCode(200)
                .body(containsString("Order " + reference + " created")).body(containsString("/v/pv_"));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference).then()
                .statusCode(200).body("lines[0].quantity", equalTo("2.5")).body("lines[0].unitPrice", equalTo("1234.5"))
                .body("requestedDate", equalTo("2027-01-20"));
    }

    @Test
    void theSameFormSentTwiceMakesOneOrderAndAReferenceInUseIsSaidOnTheForm() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String reference = uniqueReference();
        post(staff, "/app/orders/new", order(reference, "LINK_ONLY")).then().statusCode(303).header("Location",
                containsString("/app/orders/" + reference + "?done=created-sent"));
        // a reload or a second click: the order exists as typed, nothing is created or mailed twice
        post(staff, "/app/orders/new", order(reference, "LINK_ONLY")).then().statusCode(303).header("Location",
                containsString("?done=unchanged"));
        given().filter(staff).get("/app/orders/" + reference + "?done=unchanged").then().statusCode(200)
                .body(containsString("nothing was created twice"));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference).then()
                .body("mails.size()", equalTo(1));

        var other = order(reference, "NONE");
        other.put("quantity", List.of("3"));
        String page = post(staff, "/app/orders/new", other).then().statusCode(422).extract().asString();
        assertEquals(List.of("Reference: order " + reference
                + " already exists with other content; use a new reference (got &quot;" + reference + "&quot;)"),
                problems(page));
        assertTrue(page.contains("id=\"line-1-quantity\" name=\"quantity\" value=\"3\""));
    }

    @Test
    void aPickedVendorIsOneOfTheOrganisationsAndNotAlsoANewOne() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        Fixtures.Tenant other = fixtures.tenant("GB");
        String foreign = uniqueReference();
        createOrderWithLink(other.apiKey(), foreign, "foreign@vendor.example");
        long foreignVendor = forms.copy(other.id(), foreign).orElseThrow().vendorId();
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);

        var form = order(uniqueReference(), "NONE");
        form.put("vendorId", List.of(Long.toString(foreignVendor)));
        form.put("vendorName", List.of(""));
        form.put("vendorEmail", List.of(""));
        List<String> problems = problems(
                post(staff, "/app/orders/new", form).then().statusCode(422).extract().asString());
        assertEquals(1, problems.size(), "" + problems);
        assertTrue(problems.get(0).startsWith("Vendor: is not one of your vendors"), "" + problems);
        given().filter(staff).get("/app/orders/new").then().body(not("foreign@vendor.example"));

        String mine = uniqueReference();
        createOrderWithLink(tenant.apiKey(), mine, "mine@vendor.example");
        form.put("vendorId", List.of(Long.toString(forms.copy(tenant.id(), mine).orElseThrow().vendorId())));
        form.put("vendorEmail", List.of("someone@else.example"));
        problems = problems(post(staff, "/app/orders/new", form).then().statusCode(422).extract().asString());
        assertEquals(List.of("Vendor: pick a vendor from the list or fill in a new vendor, not both"), problems);

        form.put("vendorEmail", List.of(""));
        String reference = form.get("reference").get(0);
        post(staff, "/app/orders/new", form).then().statusCode(200);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference).then()
                .body("vendor.email", equalTo("mine@vendor.example"));
    }

    private static org.hamcrest.Matcher<String> not(String text) {
        return org.hamcrest.Matchers.not(containsString(text));
    }

    @Transactional
    void vendorsNamed(long organizationId, String prefix, int count) {
        Organization org = Organization.findById(organizationId);
        for (int i = 0; i < count; i++) {
            vendors.findOrCreate(org, new Vendors.Contact(String.format("%s %03d", prefix, i), null, null, null));
        }
    }

    @Test
    void theVendorListIsBoundedAndADuplicateStillShowsItsVendor() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String reference = uniqueReference();
        createOrderWithLink(tenant.apiKey(), reference, "last@vendor.example"); // "Vendor last@…" sorts last
        vendorsNamed(tenant.id(), "Acme", OrderForms.VENDOR_CHOICES + 5);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);

        String page = given().filter(staff).get("/app/orders/new").then().statusCode(200).extract().asString();
        assertEquals(OrderForms.VENDOR_CHOICES,
                Pattern.compile("<option value=\"\\d+\"").matcher(page).results().count());
        assertTrue(page.contains("id=\"more-vendors\""));
        assertFalse(page.contains("last@vendor.example"));

        page = given().filter(staff).get("/app/orders/new?from=" + reference).then().statusCode(200).extract()
                .asString();
        assertTrue(page.contains("selected>Vendor last@vendor.example (last@vendor.example)</option>"), page);
        // a copy of an order that is not there: a blank form that says why
        page = given().filter(staff).get("/app/orders/new?from=PO-NOPE-" + reference).then().statusCode(200).extract()
                .asString();
        assertTrue(page.contains("There is no order PO-NOPE-" + reference + " to copy"), page);
    }

    @Test
    void suggestedReferencesCountUpAndSkipWhatIsTaken() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String base = uniqueReference();
        createOrderWithLink(tenant.apiKey(), base + "-0099", "a@vendor.example");
        createOrderWithLink(tenant.apiKey(), base + "-0100", "a@vendor.example");
        assertEquals(base + "-0101", forms.suggestReference(tenant.id(), base + "-0099"));
        assertEquals(base + "-1000", forms.suggestReference(tenant.id(), base + "-999"));
        assertEquals("X.A-2", forms.suggestReference(tenant.id(), "X.A"));
    }

    @Test
    void aClosedOrderIsNotAmendedAndAHandMadeAmendmentNeverFails() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String reference = uniqueReference();
        createOrderWithLink(tenant.apiKey(), reference, "closed@vendor.example");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);

        // no revision in the form: said, nothing saved
        var amendment = new LinkedHashMap<String, List<String>>();
        amendment.put("sku", List.of("BOLT-8"));
        amendment.put("quantity", List.of("101"));
        amendment.put("do", List.of("save"));
        List<String> problems = problems(post(staff, "/app/orders/" + reference + "/amend", amendment).then()
                .statusCode(422).extract().asString());
        assertTrue(problems.get(0).startsWith("Revision: is missing from the form"), "" + problems);

        orders.cancel(tenant.id(), reference, version(tenant.id(), reference), Actor.system(), "no longer needed");
        given().filter(staff).get("/app/orders/" + reference + "/amend").then().statusCode(409)
                .body(containsString("a closed order cannot be amended"))
                .body(org.hamcrest.Matchers.not(containsString("value=\"save\"")))
                .body(containsString("id=\"duplicate\""));
        // a form opened before the cancel: said as a cancel meanwhile, what was typed kept, no save button offered
        amendment.put("revision", List.of("1"));
        String refused = post(staff, "/app/orders/" + reference + "/amend", amendment).then().statusCode(409).extract()
                .asString();
        assertTrue(refused.contains("While you were editing, " + reference + " became cancelled: a closed order"
                + " cannot be amended, and nothing was saved."), refused);
        assertTrue(refused.contains("value=\"101\""), "the typed quantity stays on screen");
        assertFalse(refused.contains("value=\"save\""), "no save button that could never work");
        given().filter(staff).get("/app/orders/" + reference).then().body(not("id=\"amend\""));
        given().filter(staff).get("/app/orders/NO-SUCH/amend").then().statusCode(404);
    }

    @Transactional
    long version(long organizationId, String reference) {
        return io.portlink.purchasing.PurchaseOrder.findByReference(organizationId, reference).orElseThrow().version;
    }

    @Test
    void theFormKeepsToTheStaffContentSecurityPolicy() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        var answer = given().filter(staff).get("/app/orders/new").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src")).extract();
        String csp = answer.header("Content-Security-Policy");
        assertFalse(csp.contains("unsafe-inline"), csp);
        String page = answer.asString();
        assertFalse(page.contains(" style="), "no inline style");
        assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)").matcher(page).find(), "no inline script");
        assertFalse(Pattern.compile("\\son[a-z]+=").matcher(page).find(), "no event handler attributes");
    }
}
