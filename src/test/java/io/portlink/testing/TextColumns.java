package io.portlink.testing;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

/** A search of every text column of the database (H2 or PostgreSQL), as an erasure's proof reads it. */
public final class TextColumns {

    private TextColumns() {
    }

    /**
     * Every text cell of the database that holds {@code needle} (any case), as "table.column", once per row, sorted;
     * Quartz's tables left out.
     */
    public static List<String> occurrences(DataSource dataSource, String needle) throws Exception {
        List<String> hits = new ArrayList<>();
        try (Connection db = dataSource.getConnection()) {
            DatabaseMetaData meta = db.getMetaData();
            String schema = meta.getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2") ? "PUBLIC" : "public";
            List<String[]> columns = new ArrayList<>();
            try (ResultSet c = meta.getColumns(null, schema, "%", "%")) {
                while (c.next()) {
                    int type = c.getInt("DATA_TYPE");
                    String table = c.getString("TABLE_NAME");
                    if ((type == Types.VARCHAR || type == Types.CLOB || type == Types.LONGVARCHAR
                            || type == Types.NVARCHAR || type == Types.CHAR)
                            && !table.toLowerCase(Locale.ROOT).startsWith("qrtz_")) {
                        columns.add(new String[] { table, c.getString("COLUMN_NAME") });
                    }
                }
            }
            for (String[] tc : columns) {
                try (PreparedStatement q = db.prepareStatement(
                        "select count(*) from \"" + tc[0] + "\" where lower(\"" + tc[1] + "\") like ?")) {
                    q.setString(1, "%" + needle.toLowerCase(Locale.ROOT) + "%");
                    try (ResultSet r = q.executeQuery()) {
                        r.next();
                        for (long i = r.getLong(1); i > 0; i--) {
                            hits.add(tc[0].toLowerCase(Locale.ROOT) + "." + tc[1].toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
        }
        Collections.sort(hits);
        return hits;
    }
}
