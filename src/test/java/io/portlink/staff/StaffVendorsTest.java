package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.postForm;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.purchasing.OrderEvent;
import io.portlink.purchasing.OrderStatus;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.purchasing.Vendor;
import io.portlink.purchasing.VendorContact;
import io.portlink.purchasing.VendorRecords;
import io.portlink.purchasing.VendorScorecard;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.portlink.timeline.TimelineEntry;
import io.portlink.timeline.Visibility;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;

/**
 * The staff's vendor pages: the list, one vendor, editing it (all problems at once, two editors), its contacts, a link
 * e-mailed to a chosen contact, merging two duplicates, and the scorecard's numbers and bars.
 */
@QuarkusTest
class StaffVendorsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    EntityManager em;

    @Inject
    TestClock clock;

    @Inject
    OutboxDelivery delivery;

    @Inject
    VendorScorecard scorecards;

    @Transactional
    long vendorId(long organizationId, String email) {
        return Vendor.<Vendor> find("organization.id = ?1 and email = ?2", organizationId, email).firstResult().id;
    }

    @Transactional
    Vendor vendor(long id) {
        return Vendor.findById(id);
    }

    @Transactional
    List<VendorContact> contacts(long vendorId) {
        return VendorContact.list("vendor.id = ?1 order by id", vendorId);
    }

    @Transactional
    long vendorOfOrder(long organizationId, String reference) {
        return PurchaseOrder.findByReference(organizationId, reference).orElseThrow().vendor.id;
    }

    @Transactional
    long linksOfVendor(long vendorId) {
        return ((Number) em.createNativeQuery("select count(*) from access_link where vendor_id = ?1")
                .setParameter(1, vendorId).getSingleResult()).longValue();
    }

    private static String version(String page, String formId) {
        Matcher m = Pattern.compile("id=\"" + formId + "\"[^>]*>.*?name=\"version\" value=\"(\\d+)\"", Pattern.DOTALL)
                .matcher(page);
        assertTrue(m.find(), "the form " + formId + " carries its version");
        return m.group(1);
    }

    private static void importVendors(String apiKey, String csv) {
        given().header("Authorization", "Bearer " + apiKey).contentType("text/csv; charset=UTF-8").body(csv)
                .post("/api/v1/purchase-orders/import?send=NONE").then().statusCode(200);
    }

    @Test
    void theListIsPagedAndFindsVendorsByTheStartOfTheirNameOrEmail() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        StringBuilder csv = new StringBuilder("reference,vendor_name,vendor_email,sku,quantity\n");
        for (int i = 0; i < 53; i++) {
            csv.append(uniqueReference()).append(",Vendor ").append(String.format("%02d", i)).append(",v").append(i)
                    .append("@list.example,S,1\n");
        }
        csv.append(uniqueReference()).append(",Zeta Castings,orders@zeta.example,S,1\n");
        importVendors(tenant.apiKey(), csv.toString());
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);

        String first = given().filter(staff).get("/app/vendors").then().statusCode(200).extract().asString();
        assertEquals(50, count(first, "data-vendor-id="), "50 a page");
        assertTrue(first.contains("Vendor 00") && first.contains("href=\"/app/vendors?q=&page=1\""));
        assertTrue(first.contains("<a href=\"/app/vendors\">Vendors</a>"), "the navigation leads here");
        String second = given().filter(staff).get("/app/vendors?page=1").then().statusCode(200).extract().asString();
        assertEquals(4, count(second, "data-vendor-id="));
        assertTrue(second.contains("Zeta Castings"));
        given().filter(staff).get("/app/vendors?page=-1").then().statusCode(400).body(containsString("page"));

        given().filter(staff).get("/app/vendors?q=ZETA").then().statusCode(200).body(containsString("Zeta Castings"))
                .body(not(containsString("Vendor 01")));
        given().filter(staff).get("/app/vendors?q=orders@zeta").then().body(containsString("Zeta Castings"));
        given().filter(staff).get("/app/vendors?q=v12@").then().body(containsString("Vendor 12"))
                .body(not(containsString("Zeta")));
        given().filter(staff).get("/app/vendors?q=nobody").then().statusCode(200)
                .body(containsString("No vendor's name or e-mail starts with"));
        // the list is the organisation's own
        Fixtures.Tenant other = fixtures.tenant("GB");
        given().filter(signIn(other.adminEmail(), Fixtures.PASSWORD)).get("/app/vendors?q=zeta").then()
                .body(not(containsString("Zeta Castings")));
    }

    private static int count(String page, String needle) {
        return page.split(Pattern.quote(needle), -1).length - 1;
    }

    @Test
    void anotherOrganisationsVendorIsNotFoundOnEveryRoute() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        Fixtures.Tenant other = fixtures.tenant("GB");
        String ref = uniqueReference();
        createOrderWithLink(other.apiKey(), ref, "theirs-" + other.id() + "@vendor.example");
        long theirs = vendorOfOrder(other.id(), ref);
        String mine = uniqueReference();
        createOrderWithLink(tenant.apiKey(), mine, "mine-" + tenant.id() + "@vendor.example");
        long own = vendorOfOrder(tenant.id(), mine);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);

        given().filter(staff).get("/app/vendors/" + theirs).then().statusCode(404);
        given().filter(staff).get("/app/vendors/" + theirs + "/merge").then().statusCode(404);
        given().filter(staff).get("/app/vendors/" + own + "/merge?into=" + theirs).then().statusCode(404);
        postForm(staff, "/app/vendors", "/app/vendors/" + theirs, "name", "Mine now", "version", "0").statusCode(404);
        postForm(staff, "/app/vendors", "/app/vendors/" + theirs + "/contacts", "name", "Spy", "role", "SALES")
                .statusCode(404);
        postForm(staff, "/app/vendors", "/app/vendors/" + own + "/merge", "into", String.valueOf(theirs), "version",
                "0", "intoVersion", "0").statusCode(404);
        postForm(staff, "/app/vendors", "/app/vendors/" + theirs + "/merge", "into", String.valueOf(own), "version",
                "0", "intoVersion", "0").statusCode(404);
        assertEquals("Vendor theirs-" + other.id() + "@vendor.example", vendor(theirs).name, "nothing changed");
        assertTrue(contacts(theirs).isEmpty());
        assertEquals(1, linksOfVendor(theirs));
    }

    @Test
    void anEditListsEveryProblemKeepsWhatWasTypedAndTwoEditorsNeverSeeAnErrorPage() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String email = "edit-" + tenant.id() + "@vendor.example";
        createOrderWithLink(tenant.apiKey(), ref, email);
        long id = vendorOfOrder(tenant.id(), ref);
        String path = "/app/vendors/" + id;
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get(path).then().statusCode(200).extract().asString();
        String seen = version(page, "vendor-form");

        String refused = postForm(staff, path, path, "name", " ", "email", "not-an-address", "phone", "call me",
                "language", "xx", "version", seen).statusCode(422).extract().asString();
        assertTrue(refused.contains("Please fix 4 problems; nothing was saved"), refused);
        assertTrue(refused.contains("Name: is required"), refused);
        assertTrue(refused.contains("E-mail: must be an e-mail address"));
        assertTrue(refused.contains("Phone: must be a phone number"));
        assertTrue(refused.contains("Language: must be one of en, de, fr, es"));
        assertTrue(refused.contains("value=\"not-an-address\"") && refused.contains("value=\"call me\""),
                "what was typed stays in the form");
        assertEquals(email, vendor(id).email, "nothing was saved");

        // two clerks opened the same vendor: the first saves, the second is told, never an error page
        CookieFilter colleague = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        postForm(staff, path, path, "name", "Northwind Ltd", "email", email, "phone", "+44 20 7946 0999", "language",
                "de", "version", seen).statusCode(303).header("Location", containsString(path + "?done=saved"));
        String second = postForm(colleague, path, path, "name", "Northwind Trading", "email", email, "phone", "",
                "language", "", "version", seen).statusCode(409).extract().asString();
        assertTrue(second.contains("Someone else changed this vendor while you were editing it"), second);
        assertTrue(second.contains("value=\"Northwind Trading\""), "the second clerk's typing is kept");
        Vendor saved = vendor(id);
        assertEquals("Northwind Ltd", saved.name);
        assertEquals("+44 20 7946 0999", saved.phone);
        assertEquals("de", saved.language);
        given().filter(staff).get(path + "?done=saved").then().body(containsString("The vendor is saved."))
                .body(containsString("Northwind Ltd"));
    }

    /** The option a browser submits for the select {@code id}: the one marked selected, else the first. */
    private static String selected(String page, String id) {
        Matcher select = Pattern.compile("<select id=\"" + id + "\"[^>]*>(.*?)</select>", Pattern.DOTALL).matcher(page);
        assertTrue(select.find(), "the page has the select " + id);
        Matcher chosen = Pattern.compile("<option value=\"([^\"]*)\"\\s*selected").matcher(select.group(1));
        if (chosen.find()) {
            return chosen.group(1);
        }
        Matcher first = Pattern.compile("<option value=\"([^\"]*)\"").matcher(select.group(1));
        assertTrue(first.find());
        return first.group(1);
    }

    /**
     * An import may give a vendor any language (ar, fr-BE), while the pages are written in four: the vendor's form
     * offers the stored one, selected, so saving a new phone keeps the vendor's language instead of replacing it by the
     * organisation's without a word.
     */
    @Test
    void aLanguageThePagesAreNotWrittenInIsOfferedAndKeptByAnUnrelatedEdit() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String email = "souk-" + tenant.id() + "@vendor.example";
        importVendors(tenant.apiKey(), "reference,vendor_name,vendor_email,vendor_language,sku,quantity\n" + ref
                + ",Souk Trading," + email + ",ar,A,1\n");
        long id = vendorOfOrder(tenant.id(), ref);
        String path = "/app/vendors/" + id;
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get(path).then().statusCode(200).extract().asString();
        assertEquals("ar", selected(page, "language"), "the stored language is offered and selected");

        postForm(staff, path, path, "name", "Souk Trading", "email", email, "phone", "+44 20 7946 0111", "language",
                selected(page, "language"), "version", version(page, "vendor-form")).statusCode(303);
        Vendor saved = vendor(id);
        assertEquals("+44 20 7946 0111", saved.phone);
        assertEquals("ar", saved.language, "the edit kept the vendor's language");
        assertEquals("ar", selected(given().filter(staff).get(path).asString(), "language"));
    }

    /**
     * Taking away a vendor's address and giving it another vendor's name: an order naming only that name went to the
     * other vendor (the one of that name, with an address) and would go to this one from then on, so it is refused as a
     * name taken, with nothing saved.
     */
    @Test
    void aRenameWithoutAddressOntoAnotherVendorsNameIsRefused() {
        TwoVendors two = twoVendors();
        String secondName = vendor(two.second()).name;
        String path = "/app/vendors/" + two.first();
        String seen = version(given().filter(two.staff()).get(path).asString(), "vendor-form");
        String page = postForm(two.staff(), path, path, "name", secondName, "email", "", "version", seen)
                .statusCode(409).extract().asString();
        assertTrue(page.contains("is already the name of another vendor, " + secondName), page);
        assertEquals("first-" + two.tenant().id() + "@vendor.example", vendor(two.first()).email, "nothing was saved");
    }

    /** Two vendors of one organisation, each with an address (first-, second-), and its admin signed in. */
    private record TwoVendors(Fixtures.Tenant tenant, long first, long second, CookieFilter staff) {
    }

    private TwoVendors twoVendors() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String a = uniqueReference();
        String b = uniqueReference();
        createOrderWithLink(tenant.apiKey(), a, "first-" + tenant.id() + "@vendor.example");
        createOrderWithLink(tenant.apiKey(), b, "second-" + tenant.id() + "@vendor.example");
        return new TwoVendors(tenant, vendorOfOrder(tenant.id(), a), vendorOfOrder(tenant.id(), b),
                signIn(tenant.adminEmail(), Fixtures.PASSWORD));
    }

    @Test
    void aRenameOntoAnotherVendorsEmailSaysSoAndOffersTheMerge() {
        TwoVendors two = twoVendors();
        Fixtures.Tenant tenant = two.tenant();
        long first = two.first();
        long second = two.second();
        CookieFilter staff = two.staff();
        String path = "/app/vendors/" + first;
        String seen = version(given().filter(staff).get(path).asString(), "vendor-form");
        String page = postForm(staff, path, path, "name", "First", "email", "SECOND-" + tenant.id() + "@vendor.example",
                "version", seen).statusCode(409).extract().asString();
        assertTrue(page.contains("is already the e-mail of another vendor, Vendor second-" + tenant.id()), page);
        assertTrue(page.contains("href=\"/app/vendors/" + first + "/merge?into=" + second + "\""), "offers the merge");
        assertEquals("first-" + tenant.id() + "@vendor.example", vendor(first).email);
    }

    @Test
    void contactsAreAddedEditedAndRemoved() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        createOrderWithLink(tenant.apiKey(), ref, "contacts-" + tenant.id() + "@vendor.example");
        long id = vendorOfOrder(tenant.id(), ref);
        String path = "/app/vendors/" + id;
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).get(path).then().body(containsString("No contacts besides the vendor's own address"));

        String refused = postForm(staff, path, path + "/contacts", "name", "", "email", "ann@", "role", "boss",
                "language", "").statusCode(422).extract().asString();
        assertTrue(refused.contains("Please fix 3 problems"), refused);
        assertTrue(refused.contains("Role: must be one of sales, logistics, accounts, other"));
        assertTrue(refused.contains("value=\"ann@\""));
        assertTrue(contacts(id).isEmpty());

        postForm(staff, path, path + "/contacts", "name", "Ann Lee", "email", "Ann@Vendor.example", "phone",
                "+44 20 7946 0100", "role", "LOGISTICS", "language", "de").statusCode(303);
        postForm(staff, path, path + "/contacts", "name", "Bo Accounts", "role", "ACCOUNTS").statusCode(303);
        List<VendorContact> saved = contacts(id);
        assertEquals(2, saved.size());
        VendorContact ann = saved.get(0);
        assertEquals("ann@vendor.example", ann.email);
        assertEquals("de", ann.language);
        String page = given().filter(staff).get(path).asString();
        assertTrue(page.contains("value=\"Ann Lee\"") && page.contains("value=\"Bo Accounts\""));

        String contactPath = path + "/contacts/" + ann.id;
        String seen = version(page, "contact-" + ann.id);
        postForm(staff, path, contactPath, "name", "Ann Lee-Smith", "email", "ann@vendor.example", "role", "SALES",
                "language", "fr", "version", seen).statusCode(303);
        assertEquals("Ann Lee-Smith", contacts(id).get(0).name);
        assertEquals("SALES", contacts(id).get(0).role.name());
        String stale = postForm(staff, path, contactPath, "name", "Ann Old", "role", "SALES", "version", seen)
                .statusCode(409).extract().asString();
        assertTrue(stale.contains("Someone else changed this contact"));
        assertTrue(stale.contains("value=\"Ann Old\""));

        postForm(staff, path, contactPath + "/remove").statusCode(303);
        // a second click: that contact is no more, said plainly, and nothing else changes
        postForm(staff, path, contactPath + "/remove").statusCode(404)
                .body(containsString("This vendor has no such contact"));
        assertEquals(List.of("Bo Accounts"), contacts(id).stream().map(c -> c.name).toList());
    }

    @Test
    void aLinkGoesToTheChosenContactsAddressInTheirLanguage() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String vendorEmail = "default-" + tenant.id() + "@vendor.example";
        String logistics = "logistics-" + tenant.id() + "@vendor.example";
        String accounts = "accounts-" + tenant.id() + "@vendor.example";
        createOrderWithLink(tenant.apiKey(), ref, vendorEmail);
        long id = vendorOfOrder(tenant.id(), ref);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String vendorPath = "/app/vendors/" + id;
        postForm(staff, vendorPath, vendorPath + "/contacts", "name", "Lena Lager", "email", logistics, "role",
                "LOGISTICS", "language", "de").statusCode(303);
        postForm(staff, vendorPath, vendorPath + "/contacts", "name", "Carl Count", "email", accounts, "role",
                "ACCOUNTS").statusCode(303);
        long lena = contacts(id).get(0).id;
        long carl = contacts(id).get(1).id;
        fixtures.settleOutbox();
        GreenMail smtp = Smtp.fresh();

        String orderPath = "/app/orders/" + ref;
        String order = given().filter(staff).get(orderPath).asString();
        assertTrue(order.contains("Lena Lager (Logistics), " + logistics), "the order offers the vendor's contacts");
        postForm(staff, orderPath, orderPath + "/resend", "contactId", String.valueOf(lena), "from", "order")
                .statusCode(303).header("Location", containsString(orderPath));
        String shown = postForm(staff, orderPath, orderPath + "/links", "contactId", String.valueOf(carl), "email",
                "yes").statusCode(200).extract().asString();
        assertTrue(shown.contains("queued for e-mail to " + accounts), shown);
        // a link beside the others: the vendor's own link still works, and the page says so
        assertTrue(shown.contains("The order's other links keep working."), shown);
        assertFalse(shown.contains("The old link no longer works"), shown);
        Smtp.deliver(delivery, clock);
        while (delivery.deliverDue() > 0) {
            // the second mail
        }

        var toLena = Smtp.mailsTo(smtp, logistics);
        assertEquals(1, toLena.length, "the chosen contact gets the link");
        assertTrue(toLena[0].getSubject().contains(ref));
        assertTrue(toLena[0].getSubject().startsWith("Bestellung"), "in her language: " + toLena[0].getSubject());
        assertEquals(1, Smtp.mailsTo(smtp, accounts).length);
        assertEquals(0, Smtp.mailsTo(smtp, vendorEmail).length, "not the vendor's default address");
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("timeline.detail", hasItem(containsString("for Lena Lager")));

        // regenerating Lena's link and e-mailing it sends it to her again, not to the vendor's address
        int lenaLink = given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders/" + ref).then().extract()
                .path("links.find { it.recipientContact == '" + logistics + "' && it.active }.id");
        String regenerated = postForm(staff, orderPath, orderPath + "/links/" + lenaLink + "/regenerate", "send",
                "LINK_ONLY", "confirm", "yes").statusCode(200).extract().asString();
        assertTrue(regenerated.contains("queued for e-mail to " + logistics), regenerated);
        assertTrue(regenerated.contains("The old link no longer works."), regenerated);
        Smtp.deliver(delivery, clock);
        assertEquals(2, Smtp.mailsTo(smtp, logistics).length);
        assertEquals(0, Smtp.mailsTo(smtp, vendorEmail).length);

        // the default stays as it was: no contact chosen, the vendor's own address
        postForm(staff, orderPath, orderPath + "/resend", "from", "order").statusCode(303);
        Smtp.deliver(delivery, clock);
        assertEquals(1, Smtp.mailsTo(smtp, vendorEmail).length);

        // someone else's contact is refused by name, nothing is sent
        Fixtures.Tenant other = fixtures.tenant("GB");
        String theirs = uniqueReference();
        createOrderWithLink(other.apiKey(), theirs, "x-" + other.id() + "@vendor.example");
        String refused = postForm(staff, orderPath, orderPath + "/resend", "contactId", "999999999", "from", "order")
                .statusCode(422).extract().asString();
        assertTrue(refused.contains("is not a contact of"), refused);
    }

    @Test
    void aLinkAddedToAnOrderCancelledMeanwhileSaysTheOrderIsCancelled() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        createOrderWithLink(tenant.apiKey(), ref, "late-" + tenant.id() + "@vendor.example");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String orderPath = "/app/orders/" + ref;
        String open = postForm(staff, orderPath, orderPath + "/links", "name", "Ann Open", "contact",
                "ann@vendor.example").statusCode(200).extract().asString();
        assertFalse(open.contains("The order is"), "an open order's link needs no word");

        // a colleague cancels while this page is open; the link made from it says what the vendor will see
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                .body(Map.of("reason", "Ordered twice")).post("/api/v1/purchase-orders/" + ref + "/cancel").then()
                .statusCode(200);
        String shown = postForm(staff, orderPath, orderPath + "/links", "name", "Bob Late", "contact",
                "bob@vendor.example").statusCode(200).extract().asString();
        assertTrue(
                shown.contains("The order is cancelled: the link shows it so, and nothing can be changed through it."),
                shown);
        assertTrue(shown.contains("/v/"), "the link is still shown once");
    }

    @Test
    void mergingMovesOrdersLinksAndContactsAfterAConfirmation() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String a1 = uniqueReference();
        String a2 = uniqueReference();
        String b1 = uniqueReference();
        String dup = "dup-" + tenant.id() + "@vendor.example";
        String kept = "kept-" + tenant.id() + "@vendor.example";
        createOrderWithLink(tenant.apiKey(), a1, dup);
        createOrderWithLink(tenant.apiKey(), a2, dup);
        createOrderWithLink(tenant.apiKey(), b1, kept);
        long gone = vendorOfOrder(tenant.id(), a1);
        long keep = vendorOfOrder(tenant.id(), b1);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String gonePath = "/app/vendors/" + gone;
        postForm(staff, gonePath, gonePath + "/contacts", "name", "Dana Dup", "email", "dana@vendor.example", "role",
                "SALES").statusCode(303);

        String choose = given().filter(staff).get(gonePath + "/merge?q=vendor kept").then().statusCode(200).extract()
                .asString();
        assertTrue(choose.contains("href=\"" + gonePath + "/merge?into=" + keep + "\""), choose);
        String confirm = given().filter(staff).get(gonePath + "/merge?into=" + keep).then().statusCode(200).extract()
                .asString();
        assertTrue(confirm.contains("2 orders (2 open)"), confirm);
        assertTrue(confirm.contains("its 1 contact"), confirm);
        assertTrue(confirm.contains("its own address, " + dup + ", becomes a contact of"), confirm);
        assertEquals(2, vendorCount(tenant.id()), "the confirmation changes nothing");

        String goneVersion = version(confirm, "confirm");
        Matcher intoVersion = Pattern.compile("name=\"intoVersion\" value=\"(\\d+)\"").matcher(confirm);
        assertTrue(intoVersion.find());
        // the same vendor into itself is refused by name
        postForm(staff, gonePath, gonePath + "/merge", "into", String.valueOf(gone), "version", goneVersion,
                "intoVersion", goneVersion).statusCode(422);
        postForm(staff, gonePath, gonePath + "/merge", "into", String.valueOf(keep), "version", goneVersion,
                "intoVersion", intoVersion.group(1)).statusCode(303).header("Location",
                        containsString("/app/vendors/" + keep + "?done=merged"));

        assertEquals(1, vendorCount(tenant.id()));
        assertEquals(keep, vendorOfOrder(tenant.id(), a1));
        assertEquals(keep, vendorOfOrder(tenant.id(), a2));
        assertEquals(3, linksOfVendor(keep), "the links follow their orders");
        assertEquals(0, linksOfVendor(gone));
        assertEquals(List.of("Dana Dup", "Vendor " + dup), contacts(keep).stream().map(c -> c.name).toList());
        assertEquals(dup, contacts(keep).get(1).email, "the removed vendor's address is kept as a contact");
        given().filter(staff).get(gonePath).then().statusCode(404);
        given().filter(staff).get("/app/vendors/" + keep + "?done=merged").then()
                .body(containsString("The vendors are merged")).body(containsString("3 orders (3 open)"));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + a1).then()
                .body("timeline.type", hasItem(OrderEvent.VENDOR_MERGED.name()))
                .body("timeline.detail", hasItem(containsString("merged into Vendor " + kept)));
        // the same confirmation posted again: that vendor is no more
        postForm(staff, "/app/vendors/" + keep, gonePath + "/merge", "into", String.valueOf(keep), "version",
                goneVersion, "intoVersion", intoVersion.group(1)).statusCode(404);
    }

    @Transactional
    long vendorCount(long organizationId) {
        return Vendor.count("organization.id", organizationId);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Scorecard
    // ---------------------------------------------------------------------------------------------------------------

    /** Sets an order's life as the vendor portal and the mail would have written it. */
    @Transactional
    void lived(long organizationId, String reference, Instant sent, Instant confirmed, Instant declined,
            Instant delivered, LocalDate requested) {
        PurchaseOrder o = PurchaseOrder.findByReference(organizationId, reference).orElseThrow();
        o.notifiedAt = sent;
        o.status = sent == null ? OrderStatus.PENDING : OrderStatus.NOTIFIED;
        o.requestedDate = requested;
        if (confirmed != null) {
            o.status = OrderStatus.ACKNOWLEDGED;
            entry(o, confirmed, OrderEvent.CONFIRMED);
        }
        if (declined != null) {
            o.status = OrderStatus.DECLINED;
            o.closedAt = declined;
            entry(o, declined, OrderEvent.DECLINED);
        }
        if (delivered != null) {
            o.status = OrderStatus.DELIVERED;
            o.closedAt = delivered;
            entry(o, delivered, OrderEvent.STATUS);
        }
    }

    private static void entry(PurchaseOrder order, Instant at, OrderEvent kind) {
        TimelineEntry e = new TimelineEntry();
        e.organizationId = order.organization.id;
        e.purchaseOrderId = order.id;
        e.at = at;
        e.actorType = Actor.Type.LINK;
        e.actorLabel = "vendor link";
        e.kind = kind.name();
        e.visibility = Visibility.INTERNAL;
        e.persist();
    }

    @Test
    void theScorecardCountsTheLastNinetyDaysAndDrawsThemAsBars() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String email = "score-" + tenant.id() + "@vendor.example";
        String[] refs = new String[7];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = uniqueReference();
            createOrderWithLink(tenant.apiKey(), refs[i], email);
        }
        long id = vendorOfOrder(tenant.id(), refs[0]);
        Instant now = clock.instant();
        java.time.ZoneId london = java.time.ZoneId.of("Europe/London");
        Instant d3 = now.minus(Duration.ofDays(3));
        Instant d2 = now.minus(Duration.ofDays(2));
        // confirmed after 2 h, delivered on its requested day: on time
        lived(tenant.id(), refs[0], now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(10)).plus(Duration.ofHours(2)), null, d3, d3.atZone(london).toLocalDate());
        // confirmed after 6 h, delivered two days after the day requested: late
        lived(tenant.id(), refs[1], now.minus(Duration.ofDays(20)),
                now.minus(Duration.ofDays(20)).plus(Duration.ofHours(6)), null, d2,
                d2.atZone(london).toLocalDate().minusDays(2));
        // confirmed after 16 h, not delivered yet
        lived(tenant.id(), refs[2], now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(30)).plus(Duration.ofHours(16)), null, null, null);
        // declined after an hour
        lived(tenant.id(), refs[3], now.minus(Duration.ofDays(5)), null,
                now.minus(Duration.ofDays(5)).plus(Duration.ofHours(1)), null, null);
        // sent yesterday, no answer yet
        lived(tenant.id(), refs[4], now.minus(Duration.ofDays(1)), null, null, null, null);
        // sent and delivered 100 days ago: outside the window
        lived(tenant.id(), refs[5], now.minus(Duration.ofDays(100)),
                now.minus(Duration.ofDays(100)).plus(Duration.ofHours(1)), null, now.minus(Duration.ofDays(95)),
                LocalDate.of(2000, 1, 1));
        // never sent
        lived(tenant.id(), refs[6], null, null, null, null, null);

        VendorScorecard.Card card = scorecards.of(tenant.id(), id).orElseThrow();
        assertEquals(5, card.sent());
        assertEquals(4, card.answered());
        assertEquals(80, card.responseRate());
        assertEquals(1, card.declined());
        assertEquals(20, card.declineRate());
        assertEquals(3, card.confirmed());
        assertEquals(6.0, card.medianHours(), 0.001);
        assertEquals(8.0, card.averageHours(), 0.001);
        assertEquals(2, card.delivered());
        assertEquals(1, card.onTime());
        assertEquals(50, card.onTimeRate());

        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get("/app/vendors/" + id).then().statusCode(200)
                .contentType(ContentType.HTML).extract().asString();
        // the numbers as text, for every reader
        assertTrue(page.contains("80 %"), page);
        assertTrue(page.contains("(4 of 5 orders sent answered)"));
        assertTrue(page.contains("6.0 h") && page.contains("8.0 h"));
        assertTrue(page.contains("(1 of 2 delivered by the requested date"));
        // and as bars: 80 %, 50 % and 20 % of a 170-unit track; the median 6 of the average's 8 hours
        assertTrue(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assertTrue(page.contains("data-bar=\"Response\" x=\"80\" y=\"4\" width=\"136\""), page);
        assertTrue(page.contains("data-bar=\"On time\" x=\"80\" y=\"32\" width=\"85\""));
        assertTrue(page.contains("data-bar=\"Declined\" x=\"80\" y=\"60\" width=\"34\""));
        assertTrue(page.contains("data-bar=\"Median\" x=\"80\" y=\"4\" width=\"128\""));
        assertTrue(page.contains("data-bar=\"Average\" x=\"80\" y=\"32\" width=\"170\""));
        assertFalse(page.contains("style="), "no inline style: the staff CSP forbids it");

        // 91 days on, everything has left the window
        clock.advance(Duration.ofDays(91));
        VendorScorecard.Card later = scorecards.of(tenant.id(), id).orElseThrow();
        assertEquals(0, later.sent());
        assertEquals(null, later.responseRate());
        assertEquals(null, later.medianHours());
        given().filter(staff).get("/app/vendors/" + id).then().statusCode(200)
                .body(containsString("data-bar=\"Response\" x=\"80\" y=\"4\" width=\"0\""));
    }

    @Test
    void aVendorWithoutOrdersHasAnEmptyScorecard() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        createOrderWithLink(tenant.apiKey(), ref, "quiet-" + tenant.id() + "@vendor.example");
        long id = vendorOfOrder(tenant.id(), ref);
        Instant was = clock.instant();
        VendorScorecard.Card card;
        try {
            // 90 days back from December crosses the end of summer time: the window still starts at the same hour
            clock.set(Instant.parse("2026-12-06T14:25:00Z"));
            card = scorecards.of(tenant.id(), id).orElseThrow();
        } finally {
            clock.set(was);
        }
        java.time.ZoneId london = java.time.ZoneId.of("Europe/London");
        assertEquals(java.time.LocalDateTime.parse("2026-09-07T14:25"), card.from().atZone(london).toLocalDateTime(),
                "by the organisation's clock");
        assertEquals(0, card.sent());
        assertEquals("–", card.median());
        assertFalse(scorecards.of(fixtures.tenant("GB").id(), id).isPresent(), "another organisation's: none");
    }

    @Inject
    VendorRecords records;
}
