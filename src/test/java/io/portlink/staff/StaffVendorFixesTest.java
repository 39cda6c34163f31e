package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.postForm;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.portlink.organization.ApiKey;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.purchasing.Vendor;
import io.portlink.purchasing.VendorContact;
import io.portlink.purchasing.VendorScorecard;
import io.portlink.testing.Fixtures;
import io.portlink.testing.StaffClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * Vendor records as reviews found them: a merged address finds the kept vendor, wrong ids are not found, a merge into
 * itself and a merge on an out-of-date page are refused, badly encoded forms and unknown key scopes are refused.
 */
@QuarkusTest
class StaffVendorFixesTest {

    @jakarta.inject.Inject
    Fixtures fixtures;

    @Transactional
    long vendorOfOrder(long organizationId, String reference) {
        return PurchaseOrder.findByReference(organizationId, reference).orElseThrow().vendor.id;
    }

    @Transactional
    long vendorCount(long organizationId) {
        return Vendor.count("organization.id", organizationId);
    }

    @Transactional
    List<VendorContact> contacts(long vendorId) {
        return VendorContact.list("vendor.id = ?1 order by id", vendorId);
    }

    @Transactional
    long activeLinks(long vendorId) {
        return ((Number) Vendor.getEntityManager()
                .createNativeQuery("select count(*) from access_link where vendor_id = ?1 and revoked_at is null")
                .setParameter(1, vendorId).getSingleResult()).longValue();
    }

    private static String confirmVersion(String page, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"(\\d+)\"").matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }

    private static void merge(CookieFilter staff, long gone, long keep) {
        String confirm = given().filter(staff).get("/app/vendors/" + gone + "/merge?into=" + keep).then()
                .statusCode(200).extract().asString();
        postForm(staff, "/app/vendors/" + gone, "/app/vendors/" + gone + "/merge", "into", String.valueOf(keep),
                "version", confirmVersion(confirm, "version"), "intoVersion", confirmVersion(confirm, "intoVersion"))
                        .statusCode(303);
    }

    @Test
    void aMergedAddressFindsTheKeptVendorOnCreateAndImport() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String a = "a-" + tenant.id() + "@x.example";
        String b = "b-" + tenant.id() + "@x.example";
        String ra = uniqueReference();
        String rb = uniqueReference();
        createOrderWithLink(tenant.apiKey(), ra, a);
        createOrderWithLink(tenant.apiKey(), rb, b);
        long gone = vendorOfOrder(tenant.id(), ra);
        long keep = vendorOfOrder(tenant.id(), rb);
        merge(signIn(tenant.adminEmail(), Fixtures.PASSWORD), gone, keep);
        assertEquals(1, vendorCount(tenant.id()));

        String created = uniqueReference();
        createOrderWithLink(tenant.apiKey(), created, a);
        assertEquals(keep, vendorOfOrder(tenant.id(), created), "the merged address is the kept vendor's");
        String imported = uniqueReference();
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                .body("reference,vendor_name,vendor_email,sku,quantity\n" + imported + ",Someone," + a.toUpperCase()
                        + ",S,1\n")
                .post("/api/v1/purchase-orders/import?send=NONE").then().statusCode(200);
        assertEquals(keep, vendorOfOrder(tenant.id(), imported));
        assertEquals(1, vendorCount(tenant.id()), "no vendor was created again");
        // the vendor's order count leads to its orders
        given().filter(signIn(tenant.adminEmail(), Fixtures.PASSWORD)).get("/app/vendors/" + keep).then()
                .body(containsString("<a href=\"/app/orders?vendor=Vendor+b-" + tenant.id()
                        + "%40x.example\" id=\"vendor-order-list\">4 orders (4 open)</a>"));
    }

    @Test
    void wrongVendorOrContactIdsAreNotFoundAndChangeNothing() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        Fixtures.Tenant other = fixtures.tenant("GB");
        String theirs = uniqueReference();
        createOrderWithLink(other.apiKey(), theirs, "t-" + other.id() + "@x.example");
        long theirVendor = vendorOfOrder(other.id(), theirs);
        String r1 = uniqueReference();
        String r2 = uniqueReference();
        createOrderWithLink(tenant.apiKey(), r1, "one-" + tenant.id() + "@x.example");
        createOrderWithLink(tenant.apiKey(), r2, "two-" + tenant.id() + "@x.example");
        long one = vendorOfOrder(tenant.id(), r1);
        long two = vendorOfOrder(tenant.id(), r2);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        CookieFilter them = signIn(other.adminEmail(), Fixtures.PASSWORD);
        postForm(staff, "/app/vendors/" + two, "/app/vendors/" + two + "/contacts", "name", "Ann", "email",
                "ann@x.example", "role", "SALES").statusCode(303);
        postForm(them, "/app/vendors/" + theirVendor, "/app/vendors/" + theirVendor + "/contacts", "name", "Tom",
                "role", "SALES").statusCode(303);
        long twosContact = contacts(two).get(0).id;
        long theirContact = contacts(theirVendor).get(0).id;

        postForm(staff, "/app/vendors", "/app/vendors/" + theirVendor + "/revoke-links", "confirm", "yes")
                .statusCode(404);
        assertEquals(1, activeLinks(theirVendor), "their link still works");
        postForm(staff, "/app/vendors", "/app/vendors/" + one + "/contacts/" + twosContact + "/remove").statusCode(404);
        postForm(staff, "/app/vendors", "/app/vendors/" + one + "/contacts/" + theirContact + "/remove")
                .statusCode(404);
        postForm(staff, "/app/vendors", "/app/vendors/" + theirVendor + "/contacts/" + theirContact + "/remove")
                .statusCode(404);
        postForm(staff, "/app/vendors", "/app/vendors/" + one + "/contacts/" + twosContact, "name", "Spy", "role",
                "SALES", "version", "0").statusCode(404);
        assertEquals(1, contacts(two).size());
        assertEquals(1, contacts(theirVendor).size());
        assertEquals("Ann", contacts(two).get(0).name);
        // the right pair still works
        postForm(staff, "/app/vendors", "/app/vendors/" + two + "/contacts/" + twosContact + "/remove").statusCode(303);
        assertTrue(contacts(two).isEmpty());
    }

    @Test
    void aMergeIntoItselfShowsNoConfirmationAndAnOlderPageCannotMergeAgain() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ra = uniqueReference();
        String rb = uniqueReference();
        String rc = uniqueReference();
        String a = "a-" + tenant.id() + "@x.example";
        createOrderWithLink(tenant.apiKey(), ra, a);
        createOrderWithLink(tenant.apiKey(), rb, "b-" + tenant.id() + "@x.example");
        createOrderWithLink(tenant.apiKey(), rc, "c-" + tenant.id() + "@x.example");
        long va = vendorOfOrder(tenant.id(), ra);
        long vb = vendorOfOrder(tenant.id(), rb);
        long vc = vendorOfOrder(tenant.id(), rc);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);

        String self = postForm(staff, "/app/vendors/" + va, "/app/vendors/" + va + "/merge", "into", String.valueOf(va),
                "version", "0", "intoVersion", "0").statusCode(422).extract().asString();
        assertTrue(self.contains("cannot be merged into itself") || self.contains("is this vendor itself"), self);
        assertFalse(self.contains("Confirm the merge"), self);
        given().filter(staff).get("/app/vendors/" + va + "/merge?into=" + va).then().statusCode(422)
                .body(not(containsString("Confirm the merge"))).body(containsString("into itself"));

        // two confirmations drawn before either merge: the second is out of date once the first changed B
        String confirmA = given().filter(staff).get("/app/vendors/" + va + "/merge?into=" + vb).then().statusCode(200)
                .extract().asString();
        assertTrue(confirmA.contains("no contacts (it has none)"), confirmA);
        assertTrue(confirmA.contains("its own address, " + a + ", becomes a contact of"), confirmA);
        assertFalse(confirmA.contains("0 contacts, and"), confirmA);
        String confirmC = given().filter(staff).get("/app/vendors/" + vc + "/merge?into=" + vb).then().statusCode(200)
                .extract().asString();
        postForm(staff, "/app/vendors/" + va, "/app/vendors/" + va + "/merge", "into", String.valueOf(vb), "version",
                confirmVersion(confirmA, "version"), "intoVersion", confirmVersion(confirmA, "intoVersion"))
                        .statusCode(303);
        postForm(staff, "/app/vendors/" + vc, "/app/vendors/" + vc + "/merge", "into", String.valueOf(vb), "version",
                confirmVersion(confirmC, "version"), "intoVersion", confirmVersion(confirmC, "intoVersion"))
                        .statusCode(409).body(containsString("changed after you opened this page"));
        assertEquals(2, vendorCount(tenant.id()), "the second merge did not happen");
        // the removed vendor's address keeps its own language (the organisation's), not the kept vendor's
        assertEquals("en", contacts(vb).get(0).language);
    }

    @Test
    void badlyEncodedFormsAreA400PageNeverA500() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "enc-" + tenant.id() + "@x.example");
        long vendor = vendorOfOrder(tenant.id(), ref);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String token = StaffClient.csrf(staff, "/app/orders");
        for (String path : List.of("/app/orders/new", "/app/account/notifications", "/app/vendors/" + vendor)) {
            for (String body : List.of("garbage=%%%", "mode=%ZZ", "%",
                    StaffClient.FORM_TOKEN + "=" + token + "&x=%ZZ")) {
                given().filter(staff).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                        .body(body).post(path).then().statusCode(400).contentType(startsWith("text/html"))
                        .body(allOf(containsString("not properly encoded"), containsString("id=\"logout\"")));
            }
        }
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded").body("note=%ZZ")
                .post(link + "/orders/" + ref + "/note").then().statusCode(400)
                .body(containsString("not properly encoded")).body(not(containsString("Exception")));
    }

    @Test
    void confirmationTimesUnderAnHourAreMinutesAndBarsScaleFromZero() {
        assertEquals("1 min", VendorScorecard.Card.duration(1 / 60.0));
        assertEquals("45 min", VendorScorecard.Card.duration(0.75));
        assertEquals("< 1 min", VendorScorecard.Card.duration(0.001));
        assertEquals("6.0 h", VendorScorecard.Card.duration(6.0));
        var card = new VendorScorecard.Card(null, null, 2, 2, 0, 2, 1 / 60.0, 2 / 60.0, 0, 0);
        var bars = card.confirmation().bars();
        assertTrue(bars.get(0).width(300) < 20 && bars.get(1).width(300) < 20, "minutes are short bars on an hour");
        assertTrue(bars.get(0).width(300) < bars.get(1).width(300));
        var none = new VendorScorecard.Card(null, null, 2, 2, 0, 2, 0.0, 0.0, 0, 0);
        assertEquals(0, none.confirmation().bars().get(0).width(300), "no time, no bar");
        assertEquals(0, none.confirmation().bars().get(1).width(300));
    }

    @Test
    void aTooLongSearchOrANulIsAStyledPageNamingTheProblem() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).get("/app/orders?q=" + "x".repeat(5_000)).then().statusCode(400)
                .contentType(startsWith("text/html")).body(containsString("id=\"logout\""))
                .body(containsString("at most 100"));
        given().filter(staff).urlEncodingEnabled(false).get("/app/orders?q=%00").then().statusCode(400)
                .contentType(startsWith("text/html")).body(containsString("id=\"logout\""))
                .body(containsString("NUL character"));
        // the API keeps its plain refusal
        given().header("Authorization", "Bearer " + tenant.apiKey()).urlEncodingEnabled(false)
                .get("/api/v1/purchase-orders?q=%00").then().statusCode(400);
    }

    @Test
    void aNewVendorIsCreatedFromTheListValidatedAndMatchedAsImportsMatch() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String known = "known-" + tenant.id() + "@x.example";
        createOrderWithLink(tenant.apiKey(), ref, known);
        long knownId = vendorOfOrder(tenant.id(), ref);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).get("/app/vendors").then().body(containsString("href=\"/app/vendors/new\""));

        String refused = postForm(staff, "/app/vendors/new", "/app/vendors/new", "name", " ", "email", "not-mail",
                "language", "xx", "phone", "+44 20 7946 0000").statusCode(422).extract().asString();
        assertTrue(refused.contains("3 problems"), refused);
        assertTrue(refused.contains("value=\"not-mail\""), "what was typed stays");
        postForm(staff, "/app/vendors/new", "/app/vendors/new", "name", "Other name", "email", known.toUpperCase())
                .statusCode(409).body(containsString("/app/vendors/" + knownId));
        assertEquals(1, vendorCount(tenant.id()), "no second vendor for a known address");

        String location = postForm(staff, "/app/vendors/new", "/app/vendors/new", "name", "Fresh Supplies", "email",
                "fresh-" + tenant.id() + "@x.example", "language", "de").statusCode(303).extract().header("Location");
        assertTrue(location.contains("?done=created"), location);
        given().filter(staff).get(location).then().statusCode(200).body(containsString("Fresh Supplies"))
                .body(containsString("The vendor is created."));
        String next = uniqueReference();
        createOrderWithLink(tenant.apiKey(), next, "fresh-" + tenant.id() + "@x.example");
        assertTrue(location.contains("/app/vendors/" + vendorOfOrder(tenant.id(), next) + "?"), "orders find it");
        assertEquals(2, vendorCount(tenant.id()));
    }

    @Transactional
    List<Boolean> keyWrites(long organizationId) {
        return ApiKey.<ApiKey> list("organization.id = ?1 order by id", organizationId).stream().map(k -> k.canWrite)
                .toList();
    }

    @Test
    void onlyTheListedApiKeyScopesAreAccepted() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        List<Boolean> before = keyWrites(tenant.id());
        for (String scope : List.of("read", "", "ADMIN")) {
            postForm(staff, "/app/admin", "/app/admin/api-keys", "name", "Key " + scope, "scope", scope).statusCode(422)
                    .body(containsString("Scope"))
                    .body(containsString("must be READ (read only) or WRITE (read and write)"));
        }
        assertEquals(before, keyWrites(tenant.id()), "no key was created");
        postForm(staff, "/app/admin", "/app/admin/api-keys", "name", "Reader", "scope", "READ").statusCode(200);
        assertEquals(Boolean.FALSE, keyWrites(tenant.id()).get(keyWrites(tenant.id()).size() - 1));
    }
}
