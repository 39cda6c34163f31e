package io.portlink.staff;

import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.portlink.dropship.Connections;
import io.portlink.dropship.DropshipConnection;
import io.portlink.dropship.SupplierFixtures;
import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/** The staff menu follows the organisation: the merchant's pages always, the supplier's once it supplies a merchant. */
@QuarkusTest
class StaffDropshipMenuTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SupplierFixtures fx;

    @Inject
    DataSource dataSource;

    private static String page(CookieFilter staff) {
        return given().filter(staff).get("/app/orders").then().statusCode(200).extract().asString();
    }

    @Test
    void aNewOrganisationSeesTheMerchantGroupOnly() {
        var tenant = fixtures.tenant("GB");
        String menu = page(signIn(tenant.adminEmail(), Fixtures.PASSWORD));
        assertTrue(menu.contains("id=\"menu-merchant\"") && menu.contains(">As merchant<"), menu);
        assertTrue(menu.contains("href=\"/app/sales-orders\">Sales orders</a>")
                && menu.contains("href=\"/app/suppliers\">Suppliers</a>")
                && menu.contains("href=\"/app/products\">Products</a>")
                && menu.contains("href=\"/app/sync\">Sync</a>"));
        assertFalse(menu.contains("id=\"menu-supplier\"") || menu.contains("href=\"/app/dropship-orders\"")
                || menu.contains("href=\"/app/merchants\"") || menu.contains("href=\"/app/inventory\""), menu);
    }

    @Test
    void aSupplierSeesItsGroupOnceAnInvitationIsAcceptedAndAfterADisconnect() {
        var pair = fx.pair(false, false);
        String supplier = page(signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD));
        assertTrue(supplier.contains("id=\"menu-supplier\"") && supplier.contains(">As supplier<"), supplier);
        assertTrue(supplier.contains("href=\"/app/dropship-orders\">Dropship orders</a>")
                && supplier.contains("href=\"/app/merchants\">Merchants</a>")
                && supplier.contains("href=\"/app/inventory\">Inventory</a>"));
        assertTrue(supplier.contains("id=\"menu-merchant\""), "it may start inviting suppliers of its own");
        String merchant = page(signIn(pair.merchant().adminEmail(), Fixtures.PASSWORD));
        assertFalse(merchant.contains("id=\"menu-supplier\""), "the merchant supplies no one");
        disconnect(pair.connectionId());
        assertTrue(page(signIn(pair.supplier().adminEmail(), Fixtures.PASSWORD)).contains("id=\"menu-supplier\""),
                "its past dropship orders stay reachable");
    }

    @Transactional
    void disconnect(long connectionId) {
        DropshipConnection c = DropshipConnection.findById(connectionId);
        c.status = DropshipConnection.Status.DISCONNECTED;
    }

    @Test
    void theMenusQueryIsAnIndexProbeWith20000Connections() throws Exception {
        Databases.assumePostgres(dataSource, "query plans are checked on PostgreSQL, the production database");
        var merchant = fixtures.tenant("GB");
        try (var c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // open invitations (no supplier yet) and accepted ones of one supplier
            s.execute("insert into dropship_connection (id, merchant_id, supplier_id, supplier_name, status,"
                    + " invited_email, created_at) select nextval('dropship_connection_seq'), " + merchant.id()
                    + ", null, 'Seed ' || i, 'INVITED', 'seed' || i || '@supplier.example', now()"
                    + " from generate_series(1, 20000) as i");
            s.execute("analyze dropship_connection");
            try (PreparedStatement p = c
                    .prepareStatement("explain " + Connections.SUPPLIES_ANY_MERCHANT_SQL.replace("?1", "?"))) {
                p.setLong(1, merchant.id());
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                assertTrue(plan.toString().contains("dropship_connection_supplier_ix"), plan.toString());
                assertFalse(plan.toString().contains("Seq Scan"), plan.toString());
            }
        }
    }
}
