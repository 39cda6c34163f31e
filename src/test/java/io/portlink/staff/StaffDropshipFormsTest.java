package io.portlink.staff;

import static io.portlink.testing.StaffClient.signIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.dropship.SupplierFixtures;
import io.portlink.inventory.Catalogue;
import io.portlink.testing.Fixtures;
import io.portlink.testing.StaffClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * The dropship and inventory pages speak the form's language: its labels, lines by number, counts with the right word.
 */
@QuarkusTest
class StaffDropshipFormsTest {

    @Inject
    SupplierFixtures fx;

    @Inject
    Catalogue catalogue;

    @Test
    void aRefusedDropshipMarkNamesTheFormsLabels() {
        var pair = fx.pair(false, false);
        long product = catalogue.upsert(pair.merchant().id(), "LABEL-1", "Label test").product().id();
        CookieFilter staff = signIn(pair.merchant().adminEmail(), Fixtures.PASSWORD);
        String path = "/app/products/" + product;
        String refused = StaffClient.postForm(staff, path, path + "/dropship", "supplier",
                String.valueOf(pair.connectionId()), "supplierSku", "", "unitCost", "cheap").statusCode(422).extract()
                .asString();
        assertTrue(refused.contains("Unit cost: "), refused);
        assertTrue(refused.contains("Supplier&#39;s SKU: ") || refused.contains("Supplier's SKU: "), refused);
        assertFalse(refused.contains("unitCost:") || refused.contains("supplierSku:"), refused);
        assertTrue(refused.contains("Please fix 2 problems"), refused);
    }

    @Test
    void aRefusedLineChangeNamesTheLineByItsNumber() {
        var pair = fx.pair(false, false);
        var made = fx.standard(pair);
        CookieFilter staff = signIn(pair.merchant().adminEmail(), Fixtures.PASSWORD);
        String path = "/app/sales-orders/" + made.salesOrderReference();
        String refused = StaffClient.postForm(staff, path, path + "/lines/2", "quantity", "lots").statusCode(422)
                .extract().asString();
        assertTrue(refused.contains("Line 2, quantity: must be a whole number"), refused);
        assertFalse(refused.contains("<li>quantity:"), refused);
        // a line the order does not have: the order's page says so, not that the order is missing
        String missing = StaffClient.postForm(staff, path, path + "/lines/9", "quantity", "1").statusCode(404).extract()
                .asString();
        assertTrue(missing.contains("Line 9 is not on this order") && missing.contains(made.salesOrderReference()),
                missing);
        assertFalse(missing.contains("No such sales order"), missing);
    }

    @Test
    void labelsFollowTheForms() {
        assertEquals("Unit cost", FormErrors.label("unitCost", i -> Integer.toString(i + 1)));
        assertEquals("Line 1, quantity", FormErrors.label("lines[0].quantity", i -> Integer.toString(i + 1)));
        assertEquals("Line 7, SKU", FormErrors.label("lines[2].sku", i -> "7"));
        assertEquals("1 order", FormErrors.count(1, "order", "orders"));
        assertEquals("0 orders", FormErrors.count(0L, "order", "orders"));
    }
}
