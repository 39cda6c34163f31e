package io.portlink.link;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.organization.StaffUser;
import io.portlink.platform.ConflictException;
import io.portlink.purchasing.VendorLinkList;
import io.portlink.staff.Invitations;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Access links of every scope share one core: a token opens only under its own scope's path, the database keeps each
 * link's subject fitting its scope, and a link that does not open shows one neutral page with one set of headers.
 */
@QuarkusTest
class LinkScopesTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Links links;

    @Inject
    Invitations invitations;

    @Inject
    VendorLinkList vendorLinks;

    @Inject
    DataSource dataSource;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    private String invitationToken() {
        return invitations.create(tenant.id(),
                "scoped-" + ThreadLocalRandom.current().nextInt(1_000_000) + "-" + tenant.id() + "@buyer.example", null,
                StaffUser.Role.STAFF, "admin").token();
    }

    private static String tokenOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private long shipmentId() {
        return fixtures.shipment(tenant.id());
    }

    /** A link cut off before its token gets the neutral page, in the browser's language, with the pages' headers. */
    @Test
    void aLinkWithoutItsTokenGetsTheNeutralPage() {
        for (String path : List.of("/v/", "/t/", "/d/", "/v", "/t", "/d")) {
            Response r = given().header("User-Agent", PortalClient.BROWSER).get(path);
            assertEquals(404, r.statusCode(), path);
            assertTrue(r.asString().contains("This link is not available"), path + ": " + r.asString());
            assertEquals("no-store", r.header("Cache-Control"), path);
            assertEquals("no-referrer", r.header("Referrer-Policy"), path);
        }
        given().header("Accept-Language", "de-DE").get("/t/").then().statusCode(404)
                .body(org.hamcrest.Matchers.not(containsString("This link is not available")));
    }

    /** A form's answer address opened again (a reload, a restored tab) leads to the link's page, never a blank 405. */
    @Test
    void aFormsAnswerAddressOpenedAgainLeadsToTheLinksPage() {
        for (String[] path : List.of(new String[] { "/v/pv_" + "B".repeat(43), "/request-link" },
                new String[] { "/t/pt_" + "B".repeat(43), "/request-link" },
                new String[] { "/d/pd_" + "B".repeat(43), "/positions" })) {
            Response r = given().redirects().follow(false).get(path[0] + path[1]);
            assertEquals(303, r.statusCode(), path[0] + path[1]);
            assertTrue(r.header("Location").endsWith(path[0]), r.header("Location"));
        }
    }

    @Test
    void aTokenOfOneScopeIsUnknownUnderEveryOtherScopesPath() {
        String vendorLink = createOrderWithLink(tenant.apiKey(), uniqueReference(), "scopes@vendor.example");
        String vendorToken = tokenOf(vendorLink);
        String invitation = invitationToken();
        String unknownTracking = "pt_" + "A".repeat(43);

        // each works under its own path...
        given().header("User-Agent", PortalClient.BROWSER).get(vendorLink).then().statusCode(200);
        given().get("/app/invite/" + invitation).then().statusCode(200);

        // ...and is unknown under another's: 404 and the neutral page, never the other scope's page
        given().get("/app/invite/" + vendorToken).then().statusCode(404)
                .body(containsString("This link is not available"));
        given().header("User-Agent", PortalClient.BROWSER).get("/v/" + invitation).then().statusCode(404)
                .body(containsString("This link is not available"));
        given().header("User-Agent", PortalClient.BROWSER).get("/v/" + invitation + "/orders").then().statusCode(404);
        given().header("User-Agent", PortalClient.BROWSER).get("/v/" + unknownTracking).then().statusCode(404)
                .body(containsString("This link is not available"));
        // the invitation still works: looking at it under /v/ used nothing up
        given().get("/app/invite/" + invitation).then().statusCode(200);
    }

    @Test
    void resolveKnowsATokenUnderItsOwnScopeOnly() {
        Map<AccessLink.Scope, String> tokens = new EnumMap<>(AccessLink.Scope.class);
        tokens.put(AccessLink.Scope.VENDOR_ORDER,
                tokenOf(createOrderWithLink(tenant.apiKey(), uniqueReference(), "resolve@vendor.example")));
        tokens.put(AccessLink.Scope.STAFF_INVITE, invitationToken());
        QuarkusTransaction.requiringNew().run(() -> {
            tokens.put(AccessLink.Scope.CUSTOMER_SHIPMENT, links.issue(AccessLink.Scope.CUSTOMER_SHIPMENT, tenant.id(),
                    Target.shipment(shipmentId()), "Cara Customer", null, "test", null).token());
            tokens.put(AccessLink.Scope.DRIVER, links.issue(AccessLink.Scope.DRIVER, tenant.id(),
                    Target.shipment(shipmentId()), null, null, "test", null).token());
        });
        assertEquals(AccessLink.Scope.values().length, tokens.size());
        for (var issued : tokens.entrySet()) {
            assertTrue(issued.getValue().startsWith(issued.getKey().prefix), issued.getKey() + " prefix");
            for (AccessLink.Scope under : AccessLink.Scope.values()) {
                Links.Resolution resolution = QuarkusTransaction.requiringNew()
                        .call(() -> links.resolve(issued.getValue(), under));
                if (under == issued.getKey()) {
                    assertInstanceOf(Links.Active.class, resolution, issued.getKey() + " under its own scope");
                } else {
                    assertInstanceOf(Links.Unknown.class, resolution, issued.getKey() + " under " + under);
                }
            }
        }
    }

    /** Inserts an access link row by hand, as no code of ours would: the database alone must refuse a misfit. */
    private void insert(String scope, Long orderId, Long vendorId, Long shipmentId, Long staffUserId, Instant revokedAt)
            throws SQLException {
        try (Connection db = dataSource.getConnection();
                PreparedStatement insert = db.prepareStatement("insert into access_link (id, organization_id, scope,"
                        + " purchase_order_id, vendor_id, shipment_id, staff_user_id, token_hash, token_hint,"
                        + " created_at, revoked_at, open_count, bot_open_count) values (?, ?, ?, ?, ?, ?, ?, ?, 'x', ?,"
                        + " ?, 0, 0)")) {
            long id = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
            insert.setLong(1, id);
            insert.setLong(2, tenant.id());
            insert.setString(3, scope);
            insert.setObject(4, orderId);
            insert.setObject(5, vendorId);
            insert.setObject(6, shipmentId);
            insert.setObject(7, staffUserId);
            insert.setString(8, "h" + id);
            insert.setObject(9, OffsetDateTime.now(ZoneOffset.UTC));
            insert.setObject(10, revokedAt == null ? null : revokedAt.atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    private void refused(String constraint, String scope, Long orderId, Long vendorId, Long shipmentId,
            Long staffUserId) {
        SQLException e = assertThrows(SQLException.class,
                () -> insert(scope, orderId, vendorId, shipmentId, staffUserId, null), scope + " misfit accepted");
        assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains(constraint), e.getMessage());
    }

    @Test
    void theDatabaseRefusesALinkWhoseSubjectDoesNotFitItsScope() throws Exception {
        long[] order = orderAndVendor(createOrderWithLink(tenant.apiKey(), uniqueReference(), "ck@vendor.example"));
        long user = adminId();
        // rows that fit are taken (a shipment has no foreign key yet)
        insert("CUSTOMER_SHIPMENT", null, null, shipmentId(), null, null);
        insert("DRIVER", null, null, shipmentId(), null, null);
        insert("VENDOR_ORDER", order[0], order[1], null, null, null);
        insert("STAFF_INVITE", null, null, null, user, Instant.now());

        String check = "access_link_subject_ck";
        refused(check, "VENDOR_ORDER", null, null, shipmentId(), null);
        refused(check, "VENDOR_ORDER", order[0], null, null, null);
        refused(check, "VENDOR_ORDER", order[0], order[1], null, user);
        refused(check, "CUSTOMER_SHIPMENT", null, null, null, null);
        refused(check, "CUSTOMER_SHIPMENT", order[0], order[1], shipmentId(), null);
        refused(check, "DRIVER", null, null, null, user);
        refused(check, "STAFF_INVITE", null, null, null, null);
        refused(check, "STAFF_INVITE", null, null, shipmentId(), user);
        refused(check, "VENDOR", order[0], order[1], null, null);
    }

    @Test
    void aShipmentHasAtMostOneActiveTrackingLink() throws Exception {
        long shipment = shipmentId();
        insert("CUSTOMER_SHIPMENT", null, null, shipment, null, Instant.now()); // revoked: does not count
        insert("CUSTOMER_SHIPMENT", null, null, shipment, null, null);
        refused("access_link_one_active_shipment_uk", "CUSTOMER_SHIPMENT", null, null, shipment, null);

        // through the core: a second active link is a conflict; revoke or regenerate, and there is one again
        long other = shipmentId();
        Links.Issued first = QuarkusTransaction.requiringNew()
                .call(() -> links.issue(AccessLink.Scope.CUSTOMER_SHIPMENT, tenant.id(), Target.shipment(other), null,
                        null, "test", null));
        assertThrows(ConflictException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> links.issue(AccessLink.Scope.CUSTOMER_SHIPMENT,
                        tenant.id(), Target.shipment(other), null, null, "test", null)));
        Links.Issued second = QuarkusTransaction.requiringNew()
                .call(() -> links.regenerate(AccessLink.findById(first.linkId()), "test", null));
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(second.linkId(),
                    links.active(AccessLink.Scope.CUSTOMER_SHIPMENT, Target.shipment(other)).orElseThrow().id);
            assertInstanceOf(Links.Gone.class, links.resolve(first.token(), AccessLink.Scope.CUSTOMER_SHIPMENT));
            assertInstanceOf(Links.Active.class, links.resolve(second.token(), AccessLink.Scope.CUSTOMER_SHIPMENT));
        });
    }

    @Test
    void aShipmentHasAtMostOneActiveDriverLink() throws Exception {
        long shipment = shipmentId();
        insert("DRIVER", null, null, shipment, null, Instant.now()); // revoked: does not count
        insert("DRIVER", null, null, shipment, null, null);
        insert("CUSTOMER_SHIPMENT", null, null, shipment, null, null); // another scope: its own rule
        refused("access_link_one_active_driver_uk", "DRIVER", null, null, shipment, null);
        insert("DRIVER", null, null, shipmentId(), null, null); // another shipment
    }

    @Test
    void anExpiredInvitationAndAnExpiredVendorLinkShowTheSameNeutralPageWithTheSameHeaders() {
        String ref = uniqueReference();
        String vendorLink = createOrderWithLink(tenant.apiKey(), ref, "neutral@vendor.example");
        LocalDate tomorrow = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1);
        vendorLinks.setExpiry(tenant.id(), ref, Fixtures.firstLinkId(tenant.apiKey(), ref), tomorrow, Actor.system());
        String invitation = "/app/invite/" + invitationToken();
        clock.advance(Duration.ofDays(8)); // past both: the link's day and the invitation's 7 days

        Response vendor = given().header("User-Agent", PortalClient.BROWSER).get(vendorLink);
        Response invited = given().header("User-Agent", PortalClient.BROWSER).get(invitation);
        assertEquals(410, vendor.statusCode());
        assertEquals(410, invited.statusCode());
        for (Response page : List.of(vendor, invited)) {
            String html = page.asString();
            assertTrue(html.contains("id=\"link-unavailable\""), "the neutral page's template: " + html);
            assertTrue(html.contains("This link is not available"), html);
            assertTrue(html.contains("It may have expired or been replaced by a newer link."), html);
        }
        for (String header : List.of("Content-Type", "Content-Security-Policy", "Referrer-Policy", "X-Robots-Tag",
                "Cache-Control", "X-Frame-Options", "X-Content-Type-Options")) {
            assertTrue(vendor.header(header) != null, header);
            assertEquals(vendor.header(header), invited.header(header), header);
        }
        // the vendor link may ask for a new one; an invitation says to ask the sender (the admin) instead
        assertTrue(vendor.asString().contains("id=\"ask-new-link\""));
        assertTrue(invited.asString().contains("Please ask the person who sent it to you for a new link."));
    }

    @Transactional
    long[] orderAndVendor(String vendorLink) {
        AccessLink link = AccessLink.find("tokenHash", io.portlink.platform.Tokens.sha256(tokenOf(vendorLink)))
                .firstResult();
        return new long[] { link.purchaseOrderId, link.vendorId };
    }

    @Transactional
    long adminId() {
        return StaffUser.findByEmail(tenant.adminEmail()).orElseThrow().id;
    }
}
