package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.organization.StaffAccounts;
import io.portlink.organization.StaffUser;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.PortalClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
class OrganizationLogoTest {

    private static final Pattern LOGO = Pattern.compile("<img src=\"(/logo/[0-9a-f]{64})\"");

    @Inject
    Fixtures fixtures;

    @Inject
    StaffAccounts accounts;

    Fixtures.Tenant tenant;
    CookieFilter admin;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
        admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
    }

    private ValidatableResponse upload(CookieFilter who, String fileName, String claimedType, byte[] content) {
        return given().filter(who).redirects().follow(false).multiPart("form-token", csrf(who, "/app/orders"))
                .multiPart("logo", fileName, content, claimedType).post("/app/admin/logo").then();
    }

    private String logoOnVendorPage(PortalClient vendor, String ref) {
        vendor.open("/orders/" + ref).then().statusCode(200);
        Matcher m = LOGO.matcher(vendor.lastPage());
        return m.find() ? m.group(1) : null;
    }

    @Test
    void anUploadedLogoIsShownToVendorsAndServedAsAnImageOnly() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "logo@vendor.example"));
        assertTrue(logoOnVendorPage(vendor, ref) == null, "no logo before one is uploaded");

        byte[] png = Images.of("png", 240, 64);
        upload(admin, "our-logo.png", "image/png", png).statusCode(303);
        String url = logoOnVendorPage(vendor, ref);
        assertTrue(url != null, "the vendor page shows the logo");
        vendor.open("/orders").then().statusCode(200).body(containsString(url));
        given().filter(admin).get("/app/admin").then().body(containsString(url));

        byte[] served = given().get(url).then().statusCode(200).contentType(equalTo("image/png"))
                .header("Content-Disposition", equalTo("inline; filename=\"logo.png\""))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Content-Security-Policy", startsWith("default-src 'none'")).extract().asByteArray();
        assertArrayEquals(png, served, "the very bytes uploaded");
        given().get("/logo/" + "0".repeat(64)).then().statusCode(404);
        given().get("/logo/..%2Fapplication.properties").then().statusCode(404);

        // a JPEG replaces it under a new name; the old name is gone
        upload(admin, "photo.jpeg", "image/jpeg", Images.of("jpg", 100, 100)).statusCode(303);
        String jpeg = logoOnVendorPage(vendor, ref);
        given().get(jpeg).then().statusCode(200).contentType(equalTo("image/jpeg")).header("Content-Disposition",
                equalTo("inline; filename=\"logo.jpg\""));
        given().get(url).then().statusCode(404);

        given().filter(admin).redirects().follow(false).formParam("form-token", csrf(admin, "/app/admin"))
                .post("/app/admin/logo/remove").then().statusCode(303);
        assertTrue(logoOnVendorPage(vendor, ref) == null, "removed");
    }

    @Test
    void whatIsNotASmallPngJpegOrGifIsRefusedAndTheCurrentLogoStays() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "logo2@vendor.example"));
        upload(admin, "logo.gif", "image/gif", Images.of("gif", 50, 20)).statusCode(303);
        String current = logoOnVendorPage(vendor, ref);

        // the type comes from the bytes: HTML claiming to be a PNG, and SVG (which can carry script)
        upload(admin, "logo.png", "image/png",
                "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8)).statusCode(422)
                        .body(containsString("must be a PNG, JPEG or GIF image"));
        upload(admin, "logo.svg", "image/svg+xml",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                        .getBytes(StandardCharsets.UTF_8)).statusCode(422)
                                .body(containsString("SVG and other formats are not accepted"));
        // too large in bytes, too large in pixels, cut short
        byte[] big = Arrays.copyOf(Images.of("png", 10, 10), 300 * 1024);
        upload(admin, "big.png", "image/png", big).statusCode(422)
                .body(containsString("is 300 KB; a logo may be at most 256 KB"));
        byte[] wide = Images.of("png", 10, 10);
        ByteBuffer.wrap(wide).putInt(16, 5000);
        upload(admin, "wide.png", "image/png", wide).statusCode(422).body(containsString("is 5000 × 10 pixels"));
        upload(admin, "cut.png", "image/png", Arrays.copyOf(Images.of("png", 10, 10), 12)).statusCode(422)
                .body(containsString("damaged or cut short"));
        // a named file of no bytes was chosen, and is empty (a form with no file chosen is asked to choose one)
        upload(admin, "empty.png", "image/png", new byte[0]).statusCode(422).body(containsString("is empty (0 bytes)"));

        assertTrue(current.equals(logoOnVendorPage(vendor, ref)), "every refusal left the logo as it was");
        given().get(current).then().statusCode(200).contentType(equalTo("image/gif"));
    }

    @Test
    void onlyAdminsChangeTheLogo() {
        String email = "staff-" + tenant.id() + "@buyer.example";
        accounts.add(tenant.id(), email, "Sam Staff", Fixtures.PASSWORD, StaffUser.Role.STAFF);
        CookieFilter staff = signIn(email, Fixtures.PASSWORD);
        upload(staff, "logo.png", "image/png", Images.of("png", 10, 10)).statusCode(403);
    }
}
