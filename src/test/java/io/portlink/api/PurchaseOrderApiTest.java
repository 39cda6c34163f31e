package io.portlink.api;

import static io.portlink.testing.Fixtures.order;
import static io.portlink.testing.Fixtures.post;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.Management;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PurchaseOrderApiTest {

    @Inject
    Fixtures fixtures;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("DE");
    }

    @Test
    void createsAnOrderWithAVendorLink() {
        String ref = uniqueReference();
        post(tenant.apiKey(), order(ref, "sales@vendor.example")).statusCode(201).body("reference", equalTo(ref))
                .body("status", equalTo("PENDING")).body("vendorLink.url", startsWith(Fixtures.BASE_URL + "/v/pv_"));

        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200).body("lines", hasSize(1)).body("lines[0].sku", equalTo("BOLT-8"))
                .body("links", hasSize(1)).body("links[0].tokenHint", startsWith("pv_"))
                .body("links[0]", not(org.hamcrest.Matchers.hasKey("url"))).body("timeline.type", hasItem("IMPORTED"));
    }

    @Test
    void sameOrderAgainChangesNothingAndDifferentContentConflicts() {
        String ref = uniqueReference();
        post(tenant.apiKey(), order(ref, "a@vendor.example")).statusCode(201);
        post(tenant.apiKey(), order(ref, "a@vendor.example")).statusCode(200).body("reference", equalTo(ref))
                .body("vendorLink", nullValue());

        Map<String, Object> changed = new HashMap<>(order(ref, "a@vendor.example"));
        changed.put("deliveryAddress", "somewhere else");
        post(tenant.apiKey(), changed).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString(ref))
                .body("detail", containsString("or amend this one (PUT /api/v1/purchase-orders/" + ref));

        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("deliveryAddress", equalTo("1 Dock Road\nLondon")).body("links", hasSize(1));
    }

    @Test
    void invalidOrderNamesEveryFieldToFix() {
        var body = Map.of("reference", "PO 1", "vendor", Map.of("email", "not-an-email"), "lines",
                List.of(Map.of("sku", "A", "quantity", "-3")));
        post(tenant.apiKey(), body).statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("reference")).body("errors.field", hasItem("vendor.name"))
                .body("errors.field", hasItem("vendor.email"))
                .body("errors.find { it.field == 'lines[0].quantity' }.message", containsString("-3"));
        // a language no one speaks and a currency no one pays in: listed with the rest
        var more = Map.of("reference", "", "vendor", Map.of("name", "", "language", "xx"), "lines",
                List.of(Map.of("sku", "A", "quantity", "abc", "unitPrice", "1", "currency", "ZZZ")));
        post(tenant.apiKey(), more).statusCode(422).body("errors.field", org.hamcrest.Matchers.hasItems("reference",
                "vendor.name", "vendor.language", "lines[0].quantity", "lines[0].currency"));
        post(tenant.apiKey(),
                Map.of("reference", uniqueReference(), "vendor", Map.of("name", "Acme", "language", "fr-BE"), "lines",
                        List.of(Map.of("sku", "A", "quantity", "1", "unitPrice", "1", "currency", "chf"))))
                                .statusCode(201);
    }

    @Test
    void malformedJsonIsAProblemNotACrash() {
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                .body("{\"reference\": ").post("/api/v1/purchase-orders").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("line"));
    }

    @Test
    void csvWithErrorsImportsNothingAndNamesRowAndColumn() {
        String good = uniqueReference();
        String csv = "Reference;Vendor_Name;Vendor_Email;Quantity;SKU;Requested_Date\n" + good
                + ";Vendor A;a@vendor.example;5;A-1;2026-07-01\n" + uniqueReference()
                + ";Vendor B;b@vendor.example;lots;B-1;2026-07-01\n" + uniqueReference()
                + ";Vendor C;c@vendor.example;2;C-1;12/31/2026\n";
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8").body(csv)
                .post("/api/v1/purchase-orders/import").then().statusCode(422).body("created", equalTo(0))
                .body("errors", hasSize(2)).body("errors[0].row", equalTo(3))
                .body("errors[0].column", equalTo("quantity")).body("errors[0].message", containsString("lots"))
                .body("errors[1].row", equalTo(4)).body("errors[1].column", equalTo("requested_date"));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + good).then()
                .statusCode(404);
    }

    /** A byte that is no UTF-8 (a Latin-1 é) is named by its row and column, not by the row being read before it. */
    @Test
    void textThatIsNoUtf8IsRefusedNamingRowAndColumn() {
        byte[] head = ("reference,vendor_name,quantity,sku\n" + uniqueReference() + ",Good,1,A\n" + uniqueReference()
                + ",Caf").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = ",1,B\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] csv = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, csv, 0, head.length);
        csv[head.length] = (byte) 0xE9;
        System.arraycopy(tail, 0, csv, head.length + 1, tail.length);
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv").body(csv)
                .post("/api/v1/purchase-orders/import").then().statusCode(422).body("errors[0].row", equalTo(3))
                .body("errors[0].column", equalTo("vendor_name"))
                .body("errors[0].message", containsString("is not UTF-8 text"));
        // a file saved in another encoding: its first garbled row is named, the others counted, not one line each
        var latin1 = new java.io.ByteArrayOutputStream();
        latin1.writeBytes(csv);
        for (int i = 0; i < 40; i++) {
            latin1.writeBytes(
                    ("PO-L" + i + ",Caf\u00e9 " + i + ",1,B\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv").body(latin1.toByteArray())
                .post("/api/v1/purchase-orders/import").then().statusCode(422).body("errors", hasSize(2))
                .body("errors[0].row", equalTo(3)).body("errors[1].field", equalTo("file"))
                .body("errors[1].message", equalTo("has 40 more rows after row 3 that are not UTF-8 text: it was saved"
                        + " in another encoding; save it as \"CSV UTF-8\""));
    }

    /**
     * Text after a quoted cell's closing quote ({@code "1"0}) is refused naming the row and the column, never joined
     * into another number; spaces after the quote are dropped.
     */
    @Test
    void textAfterAClosingQuoteIsRefusedNamingRowAndColumn() {
        String reference = uniqueReference();
        String csv = "reference,vendor_name,quantity,sku,unit_price,currency\n" + reference
                + ",V,\"1\"0,B,\"2\".50,GBP\n";
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8").body(csv)
                .post("/api/v1/purchase-orders/import?decimal=point").then().statusCode(422).body("created", equalTo(0))
                .body("errors", hasSize(1)).body("errors[0].row", equalTo(2))
                .body("errors[0].column", equalTo("quantity"))
                .body("errors[0].message", containsString("has text after its closing quote (\"1\" then 0)"));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference).then()
                .statusCode(404);
        // in the header: row 1
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                .body("\"refer\"ence,vendor_name,quantity,sku\n" + reference + ",V,1,B\n")
                .post("/api/v1/purchase-orders/import").then().statusCode(422).body("errors[0].row", equalTo(1));
        String padded = "reference,vendor_name,quantity,sku,unit_price,currency\n" + reference
                + ",V,\"10\" ,B,\"2.50\"\t,GBP\n";
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8").body(padded)
                .post("/api/v1/purchase-orders/import?decimal=point").then().statusCode(200)
                .body("created", equalTo(1));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference).then()
                .statusCode(200).body("lines[0].quantity", equalTo("10")).body("lines[0].unitPrice", equalTo("2.5"));
    }

    @Test
    void csvImportCreatesOrdersWithLinksAndReimportChangesNothing() {
        String a = uniqueReference();
        String b = uniqueReference();
        String csv = "\uFEFFreference,vendor_name,vendor_email,delivery_address,sku,description,quantity,unit,unit_price,currency\n"
                + a + ",Vendor A,a@vendor.example,\"1 Road\nTown\",S1,\"Bolt, \"\"M8\"\"\",10,pcs,0.5,EUR\n" + a
                + ",Vendor A,a@vendor.example,\"1 Road\nTown\",S2,Nut,20,pcs,0.1,EUR\n" + b
                + ",Vendor B,b@vendor.example,,S3,Washer,5,pcs,,\n";
        // a German organisation's integration sends decimal points: it says so
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8").body(csv)
                .post("/api/v1/purchase-orders/import?decimal=point").then().statusCode(200).body("created", equalTo(2))
                .body("unchanged", equalTo(0)).body("errors", empty())
                .body("orders.vendorLink.url", hasItem(startsWith(Fixtures.BASE_URL + "/v/pv_")));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + a).then()
                .body("lines", hasSize(2)).body("lines[0].description", equalTo("Bolt, \"M8\""))
                .body("deliveryAddress", equalTo("1 Road\nTown"));

        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8").body(csv)
                .post("/api/v1/purchase-orders/import?decimal=point").then().statusCode(200).body("created", equalTo(0))
                .body("unchanged", equalTo(2));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + a).then()
                .body("links", hasSize(1));
    }

    /**
     * The answer warns of what to check though it was imported: a vendor created, a line repeating an earlier one of
     * its order, a requested date gone by. The same whether the import mails (written order by order) or not (in bulk);
     * the same file again creates nothing and warns of nothing.
     */
    @Test
    void csvImportWarnsOfNewVendorsAndRepeatedLines() {
        for (String send : List.of("NONE", "LINK_ONLY")) {
            String a = uniqueReference();
            String address = a.toLowerCase() + "@vendor.example";
            String csv = "reference,vendor_name,vendor_email,requested_date,sku,description,quantity,unit_price,currency\n"
                    + a + ",Fresh Vendor," + address + ",2020-01-15,S1,Bolt,10,0.5,EUR\n" + a + ",Fresh Vendor,"
                    + address + ",2020-01-15,S1,Bolt,10,0.5,EUR\n";
            given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                    .body(csv).post("/api/v1/purchase-orders/import?decimal=point&send=" + send).then().statusCode(200)
                    .body("created", equalTo(1)).body("warnings", hasSize(3))
                    .body("warnings.reference", everyItem(equalTo(a)))
                    .body("warnings[0].message", startsWith("new vendor \"Fresh Vendor\" (" + address + ") created"))
                    .body("warnings[1].message", startsWith("line 2 repeats line 1 exactly"))
                    // taken, as another system's overdue order may be, but said (the staff form refuses it)
                    .body("warnings[2].message",
                            equalTo("the requested date 15.01.2020 is before today: the order is"
                                    + " overdue from the start. If the date is wrong, amend the order."))
                    .body("unlistedWarnings", equalTo(0));
            given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                    .body(csv).post("/api/v1/purchase-orders/import?decimal=point&send=" + send).then().statusCode(200)
                    .body("unchanged", equalTo(1)).body("warnings", empty());
        }
    }

    /** Two orders of one vendor in a file that mails each vendor: both imported, both mailed. */
    @Test
    void aFileThatMailsWithTwoOrdersOfOneVendorImportsBoth() {
        String a = uniqueReference();
        String b = uniqueReference();
        String address = a.toLowerCase() + "@vendor.example";
        String csv = "reference,vendor_name,vendor_email,sku,quantity\n" + a + ",Twice Ltd," + address + ",S1,10\n" + b
                + ",Twice Ltd," + address + ",S1,10\n";
        for (String send : List.of("LINK_ONLY", "PO_AND_LINK")) {
            String file = send.equals("LINK_ONLY") ? csv : csv.replace(a, a + "-2").replace(b, b + "-2");
            given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                    .body(file).post("/api/v1/purchase-orders/import?send=" + send).then().statusCode(200)
                    .body("created", equalTo(2));
        }
        for (String reference : List.of(a, b, a + "-2", b + "-2")) {
            given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference)
                    .then().statusCode(200).body("mails", hasSize(1));
        }
    }

    @Test
    void mailingEveryVendorNamesTheRowWhoseVendorHasNoAddress() {
        String a = uniqueReference();
        String b = uniqueReference();
        String csv = "reference,vendor_name,vendor_email,sku,quantity\n" + a + ",Has Mail,mail@vendor.example,A,1\n" + b
                + ",Nomail GmbH,,B,1\n";
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8").body(csv)
                .post("/api/v1/purchase-orders/import?send=PO_AND_LINK").then().statusCode(422)
                .body("errors[0].row", equalTo(3)).body("errors[0].column", equalTo("vendor_email"))
                .body("errors[0].message", containsString("Nomail GmbH"));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + a).then()
                .statusCode(404); // all or nothing
    }

    @Test
    void csvOverTheSizeLimitIsRefusedClearly() {
        String header = "reference,vendor_name,quantity,sku\n";
        String longValue = "x".repeat(1200);
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                .body(header + uniqueReference() + "," + longValue + ",1,A\n").post("/api/v1/purchase-orders/import")
                .then().statusCode(422).body("errors[0].message", containsString("1000"));
    }

    @Test
    void anUnknownSendOptionIsNamed() {
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                .body("reference,vendor_name,quantity,sku\n" + uniqueReference() + ",V,1,A\n")
                .post("/api/v1/purchase-orders/import?send=FAX").then().statusCode(422)
                .body("errors[0].column", nullValue()).body("errors[0].field", equalTo("send"))
                .body("errors[0].message", containsString("FAX"));
    }

    @Test
    void aKeyOfOneOrganisationNeverSeesAnother() {
        String ref = uniqueReference();
        post(tenant.apiKey(), order(ref, "iso@vendor.example")).statusCode(201);
        Fixtures.Tenant other = fixtures.tenant("GB");

        given().header("Authorization", "Bearer " + other.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .statusCode(404).body("detail", containsString(ref));
        given().header("Authorization", "Bearer " + other.apiKey()).get("/api/v1/purchase-orders?q=" + ref).then()
                .statusCode(200).body("total", equalTo(0));
        // the same reference is free in the other organisation
        post(other.apiKey(), order(ref, "iso@vendor.example")).statusCode(201);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders?q=" + ref).then()
                .body("total", equalTo(1));
    }

    @Test
    void callsWithoutAValidKeyAreRefused() {
        given().get("/api/v1/purchase-orders").then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("Authorization: Bearer"));
        given().header("Authorization", "Bearer pk_not-a-real-key-but-long-enough-000000")
                .get("/api/v1/purchase-orders").then().statusCode(401);
        fixtures.setStatus(tenant.id(), io.portlink.organization.Organization.Status.LOCKED);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders").then()
                .statusCode(401);
    }

    @Test
    void openApiAndHealthAreServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/purchase-orders"));
        // health is on the management interface only, never on the public port
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/health/ready").then().statusCode(200).body("checks.name",
                hasItem(containsString("Database")));
        Management.given().get("/q/health/started").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(404);
    }
}
