package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

@QuarkusTest
class StaffOrdersTest {

    private static final Pattern LINK = Pattern
            .compile("data-link-url>" + Pattern.quote(Fixtures.BASE_URL) + "(/v/pv_[A-Za-z0-9_-]{43})<");

    @Inject
    Fixtures fixtures;

    @Test
    void uploadShowsEachOrdersLinkWithEveryWayToShareIt() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String a = uniqueReference();
        String b = uniqueReference();
        String c = uniqueReference();
        String csv = "reference,vendor_name,vendor_email,vendor_phone,vendor_language,sku,quantity\n" + a
                + ",Vendor A,a@vendor.example,+44 20 7946 0001,,S1,1\n" + b + ",Vendor B,,+44 20 7946 0002,,S2,2\n" + c
                + ",Vendor C,,+49 711 123456,de,S3,3\n";
        String page = given().filter(staff).multiPart("form-token", csrf(staff, "/app/import"))
                .multiPart("send", "NONE")
                .multiPart("file", "orders.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv").post("/app/import")
                .then().statusCode(200).extract().asString();
        assertTrue(page.contains("3 orders created, 0 unchanged"), page);
        assertTrue(page.contains("https://wa.me/442079460001?text=Purchase%20order%20" + a));
        // in the vendor's language, as its mails are
        assertTrue(page.contains("https://wa.me/49711123456?text=Bestellung%20" + c + "%20von%20"), page);
        assertTrue(page.contains("sms:+442079460002?&amp;body=") || page.contains("sms:+442079460002?&body="));
        assertTrue(page.contains("<svg"), "QR code");
        assertTrue(page.contains("E-mail PO + link"), "vendor A has an e-mail address");
        Matcher link = LINK.matcher(page);
        assertTrue(link.find());
        given().header("User-Agent", PortalClient.BROWSER).get(link.group(1)).then().statusCode(200);
    }

    @Test
    void aBadUploadImportsNothingAndListsWhatToFix() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String ok = uniqueReference();
        String csv = "reference,vendor_name,sku,quantity\n" + ok + ",V,S1,1\nBAD REF,V,S2,x\n";
        given().filter(staff).multiPart("form-token", csrf(staff, "/app/import"))
                .multiPart("file", "orders.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv").post("/app/import")
                .then().statusCode(422).body(containsString("Nothing was imported"))
                .body(containsString("row 3, reference:")).body(containsString("row 3, quantity:"));
        given().filter(staff).get("/app/orders/" + ok).then().statusCode(404);
    }

    @Test
    void regenerateStopsTheOldLinkAndShowsTheNewOneOnce() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String old = createOrderWithLink(tenant.apiKey(), ref, "regen@vendor.example");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String detail = given().filter(staff).get("/app/orders/" + ref).asString();
        Matcher id = Pattern.compile("data-link-id=\"(\\d+)\"").matcher(detail);
        assertTrue(id.find());

        String page = given().filter(staff).formParam("form-token", csrf(staff, "/app/orders/" + ref))
                .formParam("send", "NONE").formParam("confirm", "yes")
                .post("/app/orders/" + ref + "/links/" + id.group(1) + "/regenerate").then().statusCode(200).extract()
                .asString();
        Matcher fresh = LINK.matcher(page);
        assertTrue(fresh.find());
        given().header("User-Agent", PortalClient.BROWSER).get(old).then().statusCode(410);
        given().header("User-Agent", PortalClient.BROWSER).get(fresh.group(1)).then().statusCode(200);
        given().filter(staff).get("/app/orders/" + ref).then().body(containsString("link regenerated"))
                .body(not(containsString(fresh.group(1).substring(3))));
        assertEquals(2, Pattern.compile("data-link-id=")
                .matcher(given().filter(staff).get("/app/orders/" + ref).asString()).results().count());
    }

    /** "E-mail the order" on the order's page comes back to the order, saying it was sent, not to the list. */
    @Test
    void eMailingTheOrderFromItsPageComesBackToIt() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String ref = uniqueReference();
        createOrderWithLink(tenant.apiKey(), ref, "again@vendor.example");
        String detail = given().filter(staff).get("/app/orders/" + ref).asString();
        Matcher form = Pattern.compile("<form method=\"post\" action=\"(/app/orders/[^\"]+/resend)\"[^>]*>(.*?)</form>",
                Pattern.DOTALL).matcher(detail);
        assertTrue(form.find(), "the page offers to e-mail the order");
        assertTrue(form.group(2).contains("id=\"send-order\""), form.group(2));
        // it mails a link, not the PDF: the button says so
        assertTrue(form.group(2).contains("E-mail a new link to again@vendor.example</button>"), form.group(2));
        // what the browser submits: the form's hidden fields
        var request = given().filter(staff).redirects().follow(false).formParam("form-token",
                csrf(staff, "/app/orders/" + ref));
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"(?!form-token)([^\"]+)\" value=\"([^\"]*)\">")
                .matcher(form.group(2));
        while (hidden.find()) {
            request = request.formParam(hidden.group(1), hidden.group(2));
        }
        request.post(form.group(1)).then().statusCode(303).header("Location",
                containsString("/app/orders/" + ref + "?done=resent"));
    }
}
