package db.migration;

import java.sql.ResultSet;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Replaces {@code order_event_seq} by {@code timeline_entry_seq} (the name Hibernate derives for
 * {@code TimelineEntry}), starting above every id already given out. In Java because H2 cannot rename a sequence and
 * the two databases start a sequence at a queried value in different ways. Ids are taken in blocks of 50 (Hibernate's
 * pooled optimiser), so the new sequence starts one block past the highest id.
 */
public class V20_1__timeline_entry_sequence extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            long next;
            try (ResultSet rs = statement.executeQuery("select coalesce(max(id), 0) from timeline_entry")) {
                rs.next();
                next = rs.getLong(1) + 51;
            }
            statement.execute("create sequence timeline_entry_seq start with " + next + " increment by 50");
            statement.execute("drop sequence order_event_seq");
        }
    }
}
