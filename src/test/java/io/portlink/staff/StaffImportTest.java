package io.portlink.staff;

import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/** The upload form's number convention and template, and sending one order's mail from the result page. */
@QuarkusTest
class StaffImportTest {

    private static final Pattern TOKEN = Pattern
            .compile("data-link-url>" + Pattern.quote(Fixtures.BASE_URL) + "/v/(pv_[A-Za-z0-9_-]{43})<");

    @Inject
    Fixtures fixtures;

    static String upload(CookieFilter staff, String decimal, String send, byte[] csv, int status) {
        var request = given().filter(staff).multiPart("form-token", csrf(staff, "/app/import")).multiPart("send", send)
                .multiPart("file", "orders.csv", csv, "text/csv");
        if (decimal != null) {
            request = request.multiPart("decimal", decimal);
        }
        return request.post("/app/import").then().statusCode(status).extract().asString();
    }

    static List<String> tokens(String page) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(page);
        while (m.find()) {
            tokens.add(m.group(1));
        }
        return tokens;
    }

    /** Two files in one field (a hand-made request): refused, and neither is imported, never the first alone. */
    @Test
    void twoFilesInOneUploadAreRefusedAndNeitherIsImported() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        byte[] template = given().filter(staff).get("/app/import/template").then().statusCode(200).extract()
                .asByteArray();
        byte[] other = new String(template, StandardCharsets.UTF_8).replace("PO-EXAMPLE-1", "PO-EXAMPLE-2")
                .getBytes(StandardCharsets.UTF_8);
        String page = given().filter(staff).multiPart("form-token", csrf(staff, "/app/import"))
                .multiPart("send", "NONE").multiPart("file", "a.csv", template, "text/csv")
                .multiPart("file", "b.csv", other, "text/csv").post("/app/import").then().statusCode(422).extract()
                .asString();
        assertTrue(page.contains("send one file at a time: this request has 2 files named &quot;file&quot;"), page);
        for (String reference : List.of("PO-EXAMPLE-1", "PO-EXAMPLE-2")) {
            given().header("Authorization", "Bearer " + gb.apiKey()).get("/api/v1/purchase-orders/" + reference).then()
                    .statusCode(404);
        }
    }

    /** A row without an address, matched to a vendor that has one: its card offers the e-mail buttons. */
    @Test
    void aRowMatchedToAVendorWithAnAddressOffersItsEmailButtons() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String first = uniqueReference();
        String second = uniqueReference();
        upload(staff, null, "NONE", ("reference,vendor_name,vendor_email,sku,quantity\n" + first
                + ",Northwind Supplies,orders@northwind.example,A,1\n").getBytes(StandardCharsets.UTF_8), 200);
        String page = upload(staff, null, "NONE",
                ("reference,vendor_name,sku,quantity\n" + second + ",Northwind Supplies,A,1\n")
                        .getBytes(StandardCharsets.UTF_8),
                200);
        assertTrue(page.contains("value=\"PO_AND_LINK pv_"), "e-mail buttons for the matched vendor: " + page);
    }

    @Test
    void theFormShowsTheCountrysDecimalMarkAndTheChoiceOverridesIt() {
        Fixtures.Tenant de = fixtures.tenant("DE");
        CookieFilter staff = signIn(de.adminEmail(), Fixtures.PASSWORD);
        String form = given().filter(staff).get("/app/import").then().statusCode(200).extract().asString();
        assertTrue(form.contains("<option value=\"COMMA\" selected>Decimal comma: 1.234,56 (default for DE)</option>"),
                form);
        assertTrue(form.contains("<option value=\"POINT\">Decimal point: 1,234.56</option>"), form);
        assertTrue(form.contains("DD.MM.YYYY"), form); // as German spreadsheets write dates

        String ref = uniqueReference();
        byte[] csv = ("reference,vendor_name,sku,quantity,unit_price,currency\n" + ref + ",V,A,\"2,500\",0.5,EUR\n")
                .getBytes(StandardCharsets.UTF_8);
        // under the German default "2,500" is 2.5 or 2500: refused, nothing imported, the choice kept
        String refused = upload(staff, null, "NONE", csv, 422);
        assertTrue(
                refused.contains("row 2, quantity: is that 2,5 or 2500? write 2,5 or 2500 (got &quot;2,500&quot;)")
                        || refused.contains("row 2, quantity: is that 2,5 or 2500? write 2,5 or 2500 (got \"2,500\")"),
                refused);
        // what to send after the import stays chosen on the refused form: a corrected file sends as meant
        String refusedWithMail = upload(staff, "COMMA", "PO_AND_LINK",
                ("reference,vendor_name,sku,quantity\n" + ref + ",V,A,lots\n").getBytes(StandardCharsets.UTF_8), 422);
        assertTrue(refusedWithMail.contains("<option value=\"PO_AND_LINK\" selected>"), refusedWithMail);
        // the clerk says the file writes decimal points
        String page = upload(staff, "POINT", "NONE", csv, 200);
        assertTrue(page.contains("1 order created"), page);
        given().header("Authorization", "Bearer " + de.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("lines[0].quantity", equalTo("2500")).body("lines[0].unitPrice", equalTo("0.5"));
    }

    /**
     * A currency cell that is no code is quoted back as typed, like every other refused cell, on the page and the API.
     */
    @Test
    void aRefusedCurrencyIsQuotedAsTyped() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        String ref = uniqueReference();
        byte[] csv = ("reference,vendor_name,sku,quantity,unit_price,currency\n" + ref + ",V,A,2,0.5,GBPX\n" + ref
                + ",V,B,1,0.5,zzz\n").getBytes(StandardCharsets.UTF_8);
        String page = upload(staff, null, "NONE", csv, 422);
        for (String typed : new String[] { "GBPX", "zzz" }) {
            String refusal = "currency: must be a three-letter ISO 4217 currency code like EUR or USD (got ";
            assertTrue(page.contains(refusal + "&quot;" + typed + "&quot;)")
                    || page.contains(refusal + "\"" + typed + "\")"), typed + " in " + page);
        }
        given().header("Authorization", "Bearer " + gb.apiKey()).contentType("text/csv; charset=UTF-8").body(csv)
                .post("/api/v1/purchase-orders/import").then().statusCode(422)
                .body("errors.find { it.row == 2 }.column", equalTo("currency"))
                .body("errors.find { it.row == 2 }.message", org.hamcrest.Matchers.endsWith(", got \"GBPX\""));
    }

    /** A language cell that is no code, however long, is quoted back as typed. */
    @Test
    void aRefusedLanguageIsQuotedAsTyped() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        String ref = uniqueReference();
        byte[] csv = ("reference,vendor_name,vendor_language,sku,quantity,consignee_name,consignee_language\n" + ref
                + ",V,english-uk,A,2,Harbour Works,english-uk\n").getBytes(StandardCharsets.UTF_8);
        given().header("Authorization", "Bearer " + gb.apiKey()).contentType("text/csv; charset=UTF-8").body(csv)
                .post("/api/v1/purchase-orders/import").then().statusCode(422)
                .body("errors.find { it.column == 'vendor_language' }.message",
                        equalTo("must be a language code like en or de, got \"english-uk\""))
                .body("errors.find { it.column == 'consignee_language' }.message",
                        org.hamcrest.Matchers.endsWith(", got \"english-uk\""));
    }

    @Test
    void theTemplateDownloadsAndUploadsAsItIs() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        assertTrue(given().filter(staff).get("/app/import").asString().contains("href=\"/app/import/template\""));
        byte[] template = given().filter(staff).get("/app/import/template").then().statusCode(200)
                .contentType(startsWith("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"purchase-orders-template.csv\""))
                .extract().asByteArray();
        String text = new String(template, StandardCharsets.UTF_8);
        assertTrue(text.contains(",20/12/"), "GB dates, day first: " + text);
        assertTrue(text.contains("\"2,500\""), "GB thousands: " + text);
        String page = upload(staff, null, "NONE", template, 200);
        assertTrue(page.contains("1 order created"), page);
        assertTrue(page.contains("These links are shown only now"), page);
        // the same file again (or Back and resubmit): nothing new, and the page says why no link is shown
        // a send choice the form does not offer (a hand-made request): refused in words, naming no class of ours
        String odd = upload(staff, null, "BOGUS", template, 400);
        assertTrue(odd.contains("&quot;BOGUS&quot; is none of the choices the form offers")
                && !odd.contains("io.portlink"), odd);
        String again = upload(staff, null, "NONE", template, 200);
        assertTrue(again.contains("0 orders created, 1 unchanged"), again);
        assertTrue(again.contains("id=\"no-new-links\"") && !again.contains("These links are shown only now"), again);
        given().header("Authorization", "Bearer " + gb.apiKey()).get("/api/v1/purchase-orders/PO-EXAMPLE-1").then()
                .body("lines", hasSize(2)).body("lines[0].quantity", equalTo("2500"))
                .body("currency", org.hamcrest.Matchers.nullValue()).body("lines[0].currency", equalTo("GBP"));
    }

    /**
     * What the buyer should check, though the file was imported: a vendor it created (a typo makes a second vendor) and
     * a line that repeats an earlier line of its order exactly. Listed on the result page, and still there after an
     * order's e-mail is sent from it; a known vendor and a different line say nothing.
     */
    @Test
    void aNewVendorAndARepeatedLineAreListedToCheck() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        String known = uniqueReference();
        upload(staff, null, "NONE", ("reference,vendor_name,vendor_email,sku,quantity\n" + known
                + ",Northwind Supplies,orders@northwind.example,A,1\n").getBytes(StandardCharsets.UTF_8), 200);
        String a = uniqueReference();
        String b = uniqueReference();
        String csv = "reference,vendor_name,vendor_email,sku,description,quantity,unit,unit_price,currency\n" //
                + a + ",Northwind Supplies,orders@northwind.example,BOLT,Bolt,10,pcs,0.5,GBP\n" //
                + a + ",Northwind Supplies,orders@northwind.example,NUT,Nut,10,pcs,0.5,GBP\n" //
                + a + ",Northwind Supplies,orders@northwind.example,BOLT,Bolt,10.0,pcs,0.50,GBP\n" //
                + b + ",Nortwind Supplies,orders@nortwind.example,BOLT,Bolt,10,pcs,0.5,GBP\n" + b
                + ",Nortwind Supplies,orders@nortwind.example,NUT,Nut,2.5,pcs,0.5,GBP\n";
        String page = upload(staff, null, "NONE", csv.getBytes(StandardCharsets.UTF_8), 200);
        assertTrue(page.contains("id=\"import-notes\""), page);
        assertTrue(page.contains(">" + a + "</a>: line 3 repeats line 1 exactly (SKU, description, quantity, unit and"
                + " price): the order has both."), page);
        assertTrue(page.contains(">" + b + "</a>: new vendor &quot;Nortwind Supplies&quot; (orders@nortwind.example)"
                + " created: none of your vendors has this e-mail address."), page);
        assertFalse(page.contains("Northwind Supplies&quot;"), "a known vendor is no news: " + page);
        assertFalse(page.contains("line 2 repeats"), page);
        // half a piece is worth a look
        assertTrue(page.contains(">" + b + "</a>: line 2 orders 2.5 pcs, which is not a whole number of pieces."),
                page);
        assertFalse(page.contains("line 1 orders"), page);

        String after = send(staff, "LINK_ONLY " + tokens(page).get(0), tokens(page), page);
        assertTrue(after.contains("line 3 repeats line 1 exactly") && after.contains("new vendor &quot;Nortwind"),
                "the notes stay on the page: " + after);
    }

    @Test
    void sendingOneOrdersMailKeepsEveryLinkOnScreen() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        String a = uniqueReference();
        String b = uniqueReference();
        String c = uniqueReference();
        String csv = "reference,vendor_name,vendor_email,vendor_phone,sku,quantity\n" + a
                + ",Vendor A,a@vendor.example,,S1,1\n" + b + ",Vendor B,b@vendor.example,,S2,2\n" + c
                + ",Vendor C,,+44 20 7946 0003,S3,3\n";
        String page = upload(staff, null, "NONE", csv.getBytes(StandardCharsets.UTF_8), 200);
        List<String> tokens = tokens(page);
        assertEquals(3, tokens.size());
        // every e-mail button submits the page's one form, back to its own card; no button leaves for another page
        assertTrue(page.contains("<form id=\"held\" method=\"post\" action=\"/app/import/send\">"));
        assertTrue(page.contains("formaction=\"/app/import/send#order-" + a + "\" name=\"action\" value=\"PO_AND_LINK "
                + tokens.get(0) + "\""), page);
        assertFalse(page.contains("action=\"/app/links/send\""), page);

        String after = send(staff, "PO_AND_LINK " + tokens.get(0), tokens);
        assertEquals(tokens, tokens(after), "all three links are still shown, in the same order");
        assertTrue(after.contains("<a href=\"#order-" + a + "\">" + a + "</a>: The PO and its link are queued"), after);
        assertTrue(after.contains("PO + link e-mailed to a@vendor.example: queued"), after);
        assertEquals(1, after.split("data-mailed").length - 1, "only A has been e-mailed");
        assertTrue(after.contains("1 order created") || after.contains("3 orders created"), after);
        mails(gb, a, 1);
        mails(gb, b, 0);

        // a reload resubmits the same form: the vendor is not mailed twice, the links stay
        String again = send(staff, "PO_AND_LINK " + tokens.get(0), tokens);
        assertTrue(again.contains("was not sent twice"), again);
        assertEquals(tokens, tokens(again));
        mails(gb, a, 1);
        // nor by the other button of the same link (link only after PO + link): one new order, one mail
        String other = send(staff, "LINK_ONLY " + tokens.get(0), tokens);
        assertTrue(other.contains("was not sent twice"), other);
        mails(gb, a, 1);

        // then the next order, from the same page
        String second = send(staff, "LINK_ONLY " + tokens.get(1), tokens);
        assertTrue(second.contains("Link e-mailed to b@vendor.example: queued"), second);
        assertTrue(second.contains("PO + link e-mailed to a@vendor.example"), second);
        mails(gb, b, 1);
    }

    /** The summary says mail goes out only where an order is new: a file imported again sends nothing, and says so. */
    @Test
    void aFileImportedAgainSaysNoMailIsSent() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        String a = uniqueReference();
        byte[] csv = ("reference,vendor_name,vendor_email,sku,quantity\n" + a + ",Vendor A,a@vendor.example,S1,1\n")
                .getBytes(StandardCharsets.UTF_8);
        String first = upload(staff, null, "LINK_ONLY", csv, 200);
        assertTrue(first.contains("The vendor of each new order is being e-mailed its link."), first);
        String again = upload(staff, null, "LINK_ONLY", csv, 200);
        assertTrue(again.contains("0 orders created, 1 unchanged."), again);
        assertTrue(again.contains("No e-mail is sent: every order was imported before."), again);
        assertFalse(again.contains("being e-mailed"), again);
        mails(gb, a, 1);
    }

    @Test
    void onlyThisOrganisationsActiveLinksComeBack() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        Fixtures.Tenant other = fixtures.tenant("GB");
        String foreignReference = uniqueReference();
        String foreign = Fixtures.createOrderWithLink(other.apiKey(), foreignReference, "x@vendor.example");
        String foreignToken = foreign.substring("/v/".length());
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        String a = uniqueReference();
        String page = upload(staff, null, "NONE",
                ("reference,vendor_name,vendor_email,sku,quantity\n" + a + ",Vendor A,a@vendor.example,S1,1\n")
                        .getBytes(StandardCharsets.UTF_8),
                200);
        String mine = tokens(page).get(0);

        String after = send(staff, "PO_AND_LINK " + foreignToken, List.of(mine, foreignToken, "pv_forged"));
        assertEquals(List.of(mine), tokens(after), "another organisation's link is never shown");
        assertTrue(after.contains("That link no longer works"), after);
        mails(other, foreignReference, 0);
    }

    /** A crafted "e-mail" for a vendor without an address: the same page, every link kept, and a notice. */
    @Test
    void mailingAVendorWithoutAddressKeepsThePageAndSaysWhy() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String a = uniqueReference();
        String b = uniqueReference();
        String page = upload(staff, null, "NONE", ("reference,vendor_name,vendor_email,sku,quantity\n" + a
                + ",Vendor A,,S1,1\n" + b + ",Vendor B,b@vendor.example,S1,1\n").getBytes(StandardCharsets.UTF_8), 200);
        List<String> held = tokens(page);
        assertEquals(2, held.size());
        String after = send(staff, "PO_AND_LINK " + held.get(0), held);
        assertEquals(held, tokens(after), "every link stays on screen");
        assertTrue(after.contains("This vendor has no e-mail address, so nothing was sent"), after);
        mails(tenant, a, 0);
    }

    /** {@link #send(CookieFilter, String, List)} from {@code page}, with the notes it carries in its form. */
    static String send(CookieFilter staff, String action, List<String> held, String page) {
        var request = given().filter(staff).formParam("form-token", csrf(staff, "/app/import"))
                .formParam("action", action).formParam("created", 2).formParam("unchanged", 0)
                .formParam("importSend", "NONE");
        for (String token : held) {
            request = request.formParam("held", token);
        }
        for (String field : List.of("noteReference", "noteMessage", "notesUnlisted")) {
            Matcher m = Pattern.compile("name=\"" + field + "\" value=\"([^\"]*)\"").matcher(page);
            while (m.find()) {
                request = request.formParam(field, m.group(1).replace("&quot;", "\"").replace("&#39;", "'")
                        .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
            }
        }
        return request.post("/app/import/send").then().statusCode(200).extract().asString();
    }

    static String send(CookieFilter staff, String action, List<String> held) {
        var request = given().filter(staff).formParam("form-token", csrf(staff, "/app/import"))
                .formParam("action", action).formParam("created", 3).formParam("unchanged", 0)
                .formParam("importSend", "NONE");
        for (String token : held) {
            request = request.formParam("held", token);
        }
        return request.post("/app/import/send").then().statusCode(200).extract().asString();
    }

    /** The number of vendor e-mails queued for the order, as the API reports them. */
    static void mails(Fixtures.Tenant tenant, String reference, int expected) {
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference).then()
                .statusCode(200).body("mails", hasSize(expected));
    }
}
