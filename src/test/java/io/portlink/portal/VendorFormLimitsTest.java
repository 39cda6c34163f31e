package io.portlink.portal;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * What a vendor may send within the rules is taken whole, and what nobody should send gets words, never an empty page
 * or a server error: long notes in any script, a post without a form, a NUL in the address.
 */
@QuarkusTest
class VendorFormLimitsTest {

    @Inject
    Fixtures fixtures;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    private String timeline(String ref) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200).extract().asString();
    }

    /**
     * The largest order the API takes (1,000 lines) draws a ship form of two fields a line: a vendor ships part of it
     * from the page as drawn, every line's field sent, which is more than a thousand fields.
     */
    @Test
    void theShipFormOfAThousandLineOrderIsTaken() {
        String ref = uniqueReference();
        java.util.List<Map<String, Object>> lines = new java.util.ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            lines.add(Map.of("sku", "S-" + i, "description", "part " + i, "quantity", "5", "unit", "pcs"));
        }
        String url = Fixtures
                .post(tenant.apiKey(),
                        Map.of("reference", ref, "vendor", Map.of("name", "Big Vendor", "email", "big@vendor.example"),
                                "deliveryAddress", "1 Dock Road", "lines", lines))
                .statusCode(201).extract().path("vendorLink.url");
        PortalClient vendor = new PortalClient(url.substring(url.indexOf("/v/")));
        vendor.open("/orders/" + ref).then().statusCode(200);
        Map<String, String> hidden = vendor.hidden("ship");
        assertTrue(vendor.lastPage().contains("/ship\" enctype=\"multipart/form-data\""), "as the page posts it");
        var post = given().redirects().follow(false).header("User-Agent", PortalClient.BROWSER)
                .multiPart("nonce", hidden.get("nonce")).multiPart("version", hidden.get("version"))
                .multiPart("carrier", "DHL").multiPart("trackingNumber", "JD0001000").multiPart("shipDate", "")
                .multiPart("expectedDelivery", "");
        for (int i = 1; i <= 1000; i++) {
            post.multiPart("line", Integer.toString(i)).multiPart("quantity", i == 1 ? "2" : "0");
        }
        Response shipped = post.post(vendor.link() + "/orders/" + ref + "/ship");
        assertEquals(303, shipped.statusCode(), shipped.asString());
        assertTrue(shipped.header("Location").contains("saved=SHIP"), shipped.header("Location"));

        // a multipart body that is none (cut off, garbage): refused as no form, nothing shipped, never a 500
        for (String body : java.util.List.of("garbage", "--x\r\nContent-Disposition: form-data; name=\"nonce\"\r\n")) {
            Response broken = given().redirects().follow(false).header("User-Agent", PortalClient.BROWSER)
                    .contentType("multipart/form-data; boundary=x")
                    .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .post(vendor.link() + "/orders/" + ref + "/ship");
            assertEquals(400, broken.statusCode(), body);
            assertTrue(broken.asString().contains("Nothing was changed"), broken.asString());
        }
    }

    @Test
    void longNotesAndReasonsInAnyScriptAreSavedWhole() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "long@vendor.example"));
        // 2,000 characters of three bytes each: 18 KB once percent-encoded, nine times the server's default limit
        String note = "漢".repeat(2000);
        assertEquals(303, vendor.act(ref, "note", Map.of("note", note)).statusCode());
        String accents = "é".repeat(1000);
        assertEquals(303, vendor.act(ref, "note", Map.of("note", accents)).statusCode());
        String reason = "缺".repeat(800);
        assertEquals(303, vendor.act(ref, "decline", Map.of("reason", reason)).statusCode());

        String order = timeline(ref);
        assertTrue(order.contains(note), "the note of 2,000 characters, whole");
        assertTrue(order.contains(accents), "the note of accents, whole");
        assertTrue(order.contains(reason), "the decline reason, whole");
    }

    @Test
    void aNoteOverTheLimitIsRefusedWithWordsNotAnEmptyPage() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "over@vendor.example"));
        Response answer = vendor.act(ref, "note", Map.of("note", "漢".repeat(2001)));
        assertEquals(422, answer.statusCode());
        assertTrue(answer.asString().contains("at most 2,000 characters (it has 2,001)"),
                "the page says how long a note may be, and how long it was");
    }

    /**
     * A note far beyond the field's 2,000 characters (only a hand-made post sends one: the page's field stops at 2,000)
     * is over the framework's limit of one form field and refused before the form is read: a page in the browser's
     * language that says so and leads back to the order, not an empty 413; the order is untouched.
     */
    @Test
    void aNoteOverTheFormFieldLimitGetsAPageNotAnEmpty413() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "huge@vendor.example"));
        vendor.open("/orders/" + ref).then().statusCode(200);
        Map<String, String> form = new java.util.HashMap<>(vendor.hidden("note"));
        form.put("note", "n".repeat(100_000));
        Response answer = given().redirects().follow(false).header("Accept-Language", "fr-FR,fr;q=0.9")
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParams(form)
                .post(vendor.link() + "/orders/" + ref + "/note");
        assertEquals(413, answer.statusCode());
        String page = answer.asString();
        assertTrue(page.contains("C’était trop long pour être envoyé"), page);
        assertTrue(page.contains("Une note peut compter jusqu’à 2\u202F000 caractères"), page);
        assertTrue(page.contains("href=\"" + vendor.link() + "/orders/" + ref + "\""), "a way back: " + page);
        assertTrue(answer.header("Content-Security-Policy") != null, "the portal's headers");
        String order = timeline(ref);
        assertTrue(!order.contains("nnnnnnnnnn") && order.contains("\"status\":\"PENDING\""), order);
    }

    /** A declared body over the request limit (40 MB) gets the same page, without the body being read. */
    @Test
    void aBodyOverTheRequestLimitGetsThePageToo() throws Exception {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "vast@vendor.example"));
        String answer = io.portlink.testing.RawHttp.postOverLimit(vendor.link() + "/orders/" + ref + "/note",
                41L * 1024 * 1024, "</html>", "User-Agent: " + PortalClient.BROWSER, "Accept-Language: en-GB",
                "Content-Type: application/x-www-form-urlencoded");
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("That was too long to send"), answer);
        assertTrue(answer.contains("A note may be up to 2,000 characters and a reason up to 1,000"), answer);
        assertTrue(answer.contains("href=\"" + vendor.link() + "/orders/" + ref + "\""), answer);
        assertTrue(timeline(ref).contains("\"status\":\"PENDING\""));
    }

    @Test
    void aPostWithoutAFormGetsAnAnswerNotAServerError() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "bare@vendor.example"));
        Response bare = given().redirects().follow(false).post(vendor.link() + "/orders/" + ref + "/confirm");
        assertTrue(bare.statusCode() >= 400 && bare.statusCode() < 500, "got " + bare.statusCode());
        // an empty form (REST Assured sends one): no nonce, so the order page saying nothing was changed
        assertTrue(bare.asString().contains("nothing was changed"),
                "the answer says what happened: " + bare.asString());
        Response json = given().redirects().follow(false).contentType("application/json").body("{}")
                .post(vendor.link() + "/orders/" + ref + "/confirm");
        assertTrue(json.statusCode() >= 400 && json.statusCode() < 500, "got " + json.statusCode());

        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", not(containsString("ACKNOWLEDGED")));
    }

    @Test
    void aFormPostedWithoutAnyCookieStillWorks() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "late@vendor.example"));
        vendor.open("/orders/" + ref).then().statusCode(200);
        // a page left open for hours, or a browser that keeps no cookies: the form's own signed nonce is its CSRF
        // protection, so no cookie is needed
        Response late = given().redirects().follow(false).header("Accept-Language", "de-DE,de;q=0.9")
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParams(vendor.hidden("confirm"))
                .post(vendor.link() + "/orders/" + ref + "/confirm");
        assertEquals(303, late.statusCode(), late.asString());
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", org.hamcrest.Matchers.equalTo("ACKNOWLEDGED"));
    }

    @Test
    void aBarePostAsCurlSendsItChangesNothingAndSaysSo() throws Exception {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "curl@vendor.example"));
        vendor.open("/orders/" + ref).then().statusCode(200);
        // no body and no Content-Type at all (curl -X POST): no form, so no nonce
        var http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(Fixtures.BASE_URL + vendor.link() + "/orders/" + ref + "/confirm"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        var answer = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(403, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("Please send that again"), answer.body());
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", org.hamcrest.Matchers.equalTo("PENDING"));
    }

    @Test
    void aNoteWithADirectionOverrideIsRefused() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "bidi@vendor.example"));
        assertEquals(422, vendor.act(ref, "note", Map.of("note", "ships on 12\u202E21")).statusCode());
        assertEquals(303, vendor.act(ref, "note", Map.of("note", "شحنة يوم 12")).statusCode());
    }

    @Test
    void aNulInTheAddressIsRefusedPlainly() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "nul@vendor.example"));
        given().urlEncodingEnabled(false).get(vendor.link() + "/orders/%00").then().statusCode(400)
                .body(containsString("NUL"));
        given().urlEncodingEnabled(false).get(vendor.link() + "/orders/%00/pdf").then().statusCode(400);
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders/%00").then().statusCode(400);
        // the API answers a problem, as every API error is
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders?q=%00").then().statusCode(400).contentType("application/problem+json")
                .body("status", org.hamcrest.Matchers.equalTo(400))
                .body("detail", org.hamcrest.Matchers.equalTo("the address must not contain a NUL character (%00)"));
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders;x").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("semicolon"));
        // the link itself still works
        vendor.open("").then().statusCode(200);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders?q=" + ref).then()
                .statusCode(200).body("items.reference", hasItem(ref));
    }
}
