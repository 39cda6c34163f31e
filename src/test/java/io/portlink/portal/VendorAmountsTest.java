package io.portlink.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.StaffClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * A line's amount and the order's total show every decimal they have, on the vendor's page and in the purchase-order
 * PDF alike: 0.5 × 999.9999 is 499.99995, not 500.00 on screen and 499.99995 on paper. In the vendor's number format (a
 * German vendor reads 499,99995 EUR), and on the staff's order page in the organisation's.
 */
@QuarkusTest
class VendorAmountsTest {

    @Inject
    Fixtures fixtures;

    @Test
    void thePageAndThePdfShowTheSameAmountsToTheLastDecimal() throws IOException {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String reference = Fixtures.uniqueReference();
        Map<String, Object> body = Map.of("reference", reference, "vendor",
                Map.of("name", "Amounts Ltd", "email", "amounts-" + reference.toLowerCase() + "@vendor.example",
                        "language", "de"),
                "deliveryAddress", "1 Dock Road\nLondon", "requestedDate", "2026-07-01", "lines",
                List.of(Map.of("sku", "GOLD-1", "quantity", "0.5", "unitPrice", "999.9999", "currency", "EUR"),
                        Map.of("sku", "PIN-2", "quantity", "3", "unitPrice", "0.0001", "currency", "EUR"),
                        Map.of("sku", "RACK-3", "quantity", "1234.5", "unitPrice", "1000.0001", "currency", "EUR")));
        String url = Fixtures.post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
        PortalClient vendor = new PortalClient(url.substring(url.indexOf("/v/")));
        String page = vendor.open("").then().statusCode(200).extract().asString();
        byte[] pdf = given().header("User-Agent", PortalClient.BROWSER).get(vendor.link() + "/pdf").then()
                .statusCode(200).extract().asByteArray();
        String paper;
        try (var document = Loader.loadPDF(pdf)) {
            // a narrow column breaks an amount before its currency: one space for any break
            paper = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
        }
        // 0.5 × 999.9999; 3 × 0.0001; 1234.5 × 1000.0001; and their sum, in German
        for (String amount : List.of("499,99995 EUR", "0,0003 EUR", "1.234.500,12345 EUR", "1.235.000,1237 EUR")) {
            assertTrue(page.contains(amount), amount + " on the page: " + page);
            assertTrue(paper.contains(amount), amount + " in the PDF: " + paper);
        }
        // staff read the same figures on the order's page, in the organisation's (British) format
        CookieFilter staff = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String detail = given().filter(staff).get("/app/orders/" + reference).then().statusCode(200).extract()
                .asString();
        for (String amount : List.of("499.99995 EUR", "0.0003 EUR", "1,234,500.12345 EUR", "1,235,000.1237 EUR")) {
            assertTrue(detail.contains(amount), amount + " on the staff page: " + detail);
        }
    }
}
