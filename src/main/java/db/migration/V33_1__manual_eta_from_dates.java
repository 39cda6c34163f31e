package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Estimated arrival dates staff set before the ETA model (V27, V28) become the manual ETA they mean: the end of that
 * day (23:59:59) in the organisation's zone (no shipment had stops then), date only, kept as the planned ETA too. So
 * the tracking page, delay detection and the queue read one field for every shipment. In Java because H2 and PostgreSQL
 * convert zones differently; read in pages of {@value #PAGE} by id.
 */
public class V33_1__manual_eta_from_dates extends BaseJavaMigration {

    private static final int PAGE = 1000;

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        long after = 0;
        try (PreparedStatement read = db
                .prepareStatement("select s.id, s.estimated_arrival, o.time_zone from shipment s"
                        + " join organization o on o.id = s.organization_id where s.id > ? and s.estimated_arrival is not null"
                        + " and s.current_eta is null order by s.id fetch first " + PAGE + " rows only");
                PreparedStatement write = db.prepareStatement("update shipment set current_eta = ?,"
                        + " planned_eta = coalesce(planned_eta, ?), eta_source = 'MANUAL', eta_date_only = true,"
                        + " eta_updated_at = ? where id = ?")) {
            int read1;
            do {
                read1 = 0;
                read.setLong(1, after);
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        read1++;
                        after = rs.getLong(1);
                        LocalDate date = rs.getObject(2, LocalDate.class);
                        Instant eta = date.atTime(LocalTime.of(23, 59, 59)).atZone(ZoneId.of(rs.getString(3)))
                                .toInstant();
                        write.setTimestamp(1, Timestamp.from(eta));
                        write.setTimestamp(2, Timestamp.from(eta));
                        write.setTimestamp(3, Timestamp.from(Instant.now()));
                        write.setLong(4, after);
                        write.addBatch();
                    }
                }
                write.executeBatch();
            } while (read1 == PAGE);
        }
    }
}
