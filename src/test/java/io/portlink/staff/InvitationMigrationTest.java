package io.portlink.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import db.migration.V14_1__merge_duplicate_vendors;
import db.migration.V20_1__timeline_entry_sequence;
import db.migration.V22_1__staff_invitations_as_links;
import io.portlink.platform.Tokens;
import io.portlink.testing.MigrationSchema;

/**
 * The migration that gives access links their scopes and moves staff invitations onto them (V22, V22_1), on a fresh
 * schema of the suite's database (H2, or PostgreSQL with {@code -Dtestdb=postgresql}): migrate to the version before,
 * seed invitations and a vendor link as they were stored then, migrate on, check what is left. That a moved invitation
 * still opens and is accepted through the page: {@code StaffInvitationTest.anInvitationMovedByTheMigrationStillWorks}.
 */
class InvitationMigrationTest {

    private MigrationSchema schema;

    @BeforeEach
    void freshSchema() {
        schema = new MigrationSchema("link-scopes");
    }

    @AfterEach
    void dropSchema() throws SQLException {
        schema.close();
    }

    /** Flyway up to {@code target}, with the Java migrations as Quarkus finds them in the application. */
    private Flyway flyway(String target) {
        return schema.flyway(target, new V14_1__merge_duplicate_vendors(), new V20_1__timeline_entry_sequence(),
                new V22_1__staff_invitations_as_links());
    }

    private Connection connect() throws SQLException {
        return schema.connect();
    }

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 1, 9, 0, 0, 0, ZoneOffset.UTC);

    private static void exec(Connection db, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }

    private static void staffUser(Connection db, long id, String email, String inviteHash, OffsetDateTime until)
            throws SQLException {
        exec(db, "insert into staff_user (id, organization_id, email, display_name, password_hash, role, enabled,"
                + " session_epoch, created_at, invite_hash, invite_expires_at) values (?, 1, ?, null, 'x', 'STAFF',"
                + " true, 0, ?, ?, ?)", id, email, T0, inviteHash, until);
    }

    @Test
    void openInvitationsBecomeInvitationLinksWithTheSameHashAndExpiryAndVendorLinksGetTheirScope() throws Exception {
        flyway(MigrationSchema.lastBefore("22")).migrate();
        String open = Tokens.sha256(Tokens.generate(Tokens.INVITATION));
        String expired = Tokens.sha256(Tokens.generate(Tokens.INVITATION));
        OffsetDateTime openUntil = T0.plusDays(5);
        OffsetDateTime expiredAt = T0.minusDays(1);
        try (Connection db = connect()) {
            exec(db, "insert into organization (id, name, country, time_zone, status, created_at, language)"
                    + " values (1, 'Org', 'GB', 'Europe/London', 'ACTIVE', ?, 'en')", T0);
            staffUser(db, 10, "open@buyer.example", open, openUntil);
            staffUser(db, 11, "late@buyer.example", expired, expiredAt);
            staffUser(db, 12, "accepted@buyer.example", null, null);
            exec(db, "insert into vendor (id, organization_id, name, email, created_at, name_key, match_key)"
                    + " values (5, 1, 'V', 'v@vendor.example', ?, 'v', 'e:v@vendor.example')", T0);
            exec(db, "insert into purchase_order (id, organization_id, vendor_id, reference, status, content_hash,"
                    + " created_at, updated_at, version) values (50, 1, 5, 'PO-50', 'NOTIFIED', 'x', ?, ?, 0)", T0, T0);
            exec(db, "insert into access_link (id, organization_id, vendor_id, order_id, scope, token_hash,"
                    + " token_hint, created_at, open_count, bot_open_count) values (500, 1, 5, 50, 'VENDOR', 'h500',"
                    + " 'pv_abc…', ?, 0, 0)", T0);
        }

        flyway("latest").migrate();

        try (Connection db = connect(); Statement s = db.createStatement()) {
            try (ResultSet rs = s.executeQuery("select staff_user_id, token_hash, expires_at, revoked_at,"
                    + " purchase_order_id, vendor_id, shipment_id from access_link where scope = 'STAFF_INVITE'"
                    + " order by staff_user_id")) {
                assertTrue(rs.next());
                assertEquals(10, rs.getLong(1));
                assertEquals(open, rs.getString(2), "the link already mailed keeps its hash");
                assertEquals(openUntil.toInstant(), rs.getObject(3, OffsetDateTime.class).toInstant(), "and expiry");
                assertEquals(null, rs.getObject(4));
                assertEquals(null, rs.getObject(5));
                assertEquals(null, rs.getObject(6));
                assertEquals(null, rs.getObject(7));
                assertTrue(rs.next());
                assertEquals(11, rs.getLong(1));
                assertEquals(expired, rs.getString(2));
                assertEquals(expiredAt.toInstant(), rs.getObject(3, OffsetDateTime.class).toInstant());
                assertFalse(rs.next(), "an accepted invitation moves nowhere");
            }
            try (ResultSet rs = s
                    .executeQuery("select scope, purchase_order_id, vendor_id from access_link where id = 500")) {
                assertTrue(rs.next());
                assertEquals("VENDOR_ORDER", rs.getString(1));
                assertEquals(50, rs.getLong(2));
                assertEquals(5, rs.getLong(3));
            }
            assertThrows(SQLException.class, () -> s.executeQuery("select invite_hash from staff_user"),
                    "the old columns are gone");
        }
    }
}
