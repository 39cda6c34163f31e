package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The parts of the access-link scopes (V22) that H2 and PostgreSQL spell differently, in Java so that one migration
 * serves both:
 * <ul>
 * <li>at most one active (not revoked) customer-shipment link per shipment: a partial unique index on PostgreSQL; H2
 * has none, so there a generated column holds the shipment id of an active link (null otherwise) under a unique index
 * (nulls never clash);</li>
 * <li>staff invitations become access links of scope STAFF_INVITE: each invitation not yet accepted keeps its hash and
 * its expiry, so a link already mailed goes on working until then; then the old columns go.</li>
 * </ul>
 */
public class V22_1__staff_invitations_as_links extends BaseJavaMigration {

    /** How long invitations were valid: their creation time is the expiry less this. */
    private static final Duration INVITATION_VALID = Duration.ofDays(7);

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        boolean h2 = db.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2");
        try (Statement s = db.createStatement()) {
            if (h2) {
                s.execute("alter table access_link add column active_shipment_id bigint generated always as"
                        + " (case when revoked_at is null and scope = 'CUSTOMER_SHIPMENT' then shipment_id end)");
                s.execute("create unique index access_link_one_active_shipment_uk on access_link (active_shipment_id)");
            } else {
                s.execute("create unique index access_link_one_active_shipment_uk on access_link (shipment_id)"
                        + " where revoked_at is null and scope = 'CUSTOMER_SHIPMENT'");
            }
        }
        record Invitation(long userId, long organizationId, String hash, OffsetDateTime expiresAt) {
        }
        List<Invitation> open = new ArrayList<>();
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("select id, organization_id, invite_hash, invite_expires_at"
                        + " from staff_user where invite_hash is not null order by id")) {
            while (rs.next()) {
                open.add(new Invitation(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class)));
            }
        }
        for (Invitation invitation : open) {
            moveInvitation(db, h2, invitation.userId(), invitation.organizationId(), invitation.hash(),
                    invitation.expiresAt());
        }
        try (Statement s = db.createStatement()) {
            s.execute("drop index staff_user_invite_uk");
            s.execute("alter table staff_user drop column invite_hash");
            s.execute("alter table staff_user drop column invite_expires_at");
        }
    }

    /**
     * Writes one open invitation as an access link of scope STAFF_INVITE: the same token hash and expiry (none stored:
     * already expired), created the validity before it. Package-visible for the test that opens a moved invitation.
     */
    public static void moveInvitation(Connection db, boolean h2, long userId, long organizationId, String hash,
            OffsetDateTime expiresAt) throws java.sql.SQLException {
        long id;
        try (Statement s = db.createStatement(); ResultSet rs = s
                .executeQuery(h2 ? "select next value for access_link_seq" : "select nextval('access_link_seq')")) {
            rs.next();
            id = rs.getLong(1);
        }
        OffsetDateTime expires = expiresAt != null ? expiresAt : OffsetDateTime.now().minusSeconds(1);
        try (PreparedStatement insert = db.prepareStatement("insert into access_link (id, organization_id, scope,"
                + " staff_user_id, token_hash, token_hint, created_at, expires_at, open_count, bot_open_count)"
                + " values (?, ?, 'STAFF_INVITE', ?, ?, 'pi_…', ?, ?, 0, 0)")) {
            insert.setLong(1, id);
            insert.setLong(2, organizationId);
            insert.setLong(3, userId);
            insert.setString(4, hash);
            insert.setObject(5, expires.minus(INVITATION_VALID));
            insert.setObject(6, expires);
            insert.executeUpdate();
        }
    }
}
